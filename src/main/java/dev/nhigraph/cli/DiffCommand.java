package dev.nhigraph.cli;

import dev.nhigraph.analysis.SnapshotDiff;
import dev.nhigraph.analysis.SnapshotDigest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Show what changed between two snapshots of the graph: principals, keys, trust, policies, the"
                + " derived CAN_ASSUME, CAN_ESCALATE and CAN_IMPERSONATE steps, administrators, and who can reach one"
                + " (\"a new path from X to an administrator appeared\").",
                "Each load records a snapshot; the graph keeps the last 30. Without arguments, compares the latest"
                        + " snapshot with the one before it."})
final class DiffCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "SNAPSHOT_A",
            description = "The earlier snapshot: its id or a unique prefix (default: the one before SNAPSHOT_B).")
    String from;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SNAPSHOT_B",
            description = "The later snapshot: its id or a unique prefix (default: the latest).")
    String to;

    @Option(names = "--max-items", paramLabel = "N", defaultValue = "" + SnapshotDiff.DEFAULT_MAX_ITEMS,
            description = "Items listed per part and direction; the rest are counted (default: ${DEFAULT-VALUE}).")
    int maxItems;

    @Option(names = "--json", description = "Print the diff as JSON.")
    boolean json;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        Validation.range(maxItems, 1, 100_000, "--max-items");
        try (Database db = database.openExisting()) {
            db.onInterrupt(() -> Interruption.readMessage("diff"));
            SnapshotDiff.Diff diff = SnapshotDiff.between(db.store(), from, to, maxItems);
            System.out.println(json ? Output.json(diff) : text(diff));
            return 0;
        }
    }

    private static String text(SnapshotDiff.Diff diff) {
        StringBuilder out = new StringBuilder();
        out.append("From snapshot ").append(diff.from().id(), 0, 12).append(" (").append(diff.from().loadedAt())
                .append(") to ").append(diff.to().id(), 0, 12).append(" (").append(diff.to().loadedAt()).append(")\n");
        if (diff.headlines().isEmpty()) {
            out.append("  Nothing changed.\n");
        }
        diff.headlines().forEach(line -> out.append("  ").append(line).append('\n'));
        diff.parts().forEach((part, change) -> {
            if (change.added() + change.removed() == 0) {
                return;
            }
            out.append('\n').append(SnapshotDigest.label(part)).append(": ").append(change.added()).append(" added, ").append(change.removed())
                    .append(" removed\n");
            change.addedItems().forEach(item -> out.append("  + ").append(item).append('\n'));
            change.removedItems().forEach(item -> out.append("  - ").append(item).append('\n'));
            int unlisted = change.added() - change.addedItems().size() + change.removed() - change.removedItems().size();
            if (unlisted > 0) {
                out.append("  ... and ").append(unlisted).append(" more (--max-items, or --json)\n");
            }
        });
        return out.toString().stripTrailing();
    }
}
