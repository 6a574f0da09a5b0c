package dev.nhigraph.analysis;

import dev.nhigraph.BadInputException;
import dev.nhigraph.db.GraphStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;

/**
 * The changes between two snapshots, from their {@link SnapshotDigest}s: principals, credentials, trust, policies,
 * derived steps, administrators, and who can reach one. The headlines name the changes a reviewer reads first, such
 * as a new path to an administrator.
 */
public final class SnapshotDiff {

    /** Items listed per part and direction; the rest are counted. */
    public static final int DEFAULT_MAX_ITEMS = 200;

    private SnapshotDiff() {
    }

    /** A snapshot as the diff names it. */
    public record SnapshotRef(String id, String loadedAt, List<String> files) {
    }

    /** The items of one part that the later snapshot added and removed; the lists stop at the item limit. */
    public record Change(int added, int removed, List<String> addedItems, List<String> removedItems) {
    }

    /**
     * The diff of two snapshots.
     *
     * @param headlines one sentence per change of who is or can reach an administrator, then one per part that changed
     */
    public record Diff(SnapshotRef from, SnapshotRef to, List<String> headlines, Map<String, Change> parts, int maxItems) {
    }

    /**
     * Compares two snapshots of the graph.
     *
     * @param fromRef the earlier snapshot's id or a unique prefix of it; null for the one before {@code toRef}
     * @param toRef   the later snapshot's id or prefix; null for the latest
     * @throws BadInputException when a reference matches no snapshot, or several, or a snapshot has no digest
     */
    public static Diff between(GraphStore store, String fromRef, String toRef, int maxItems) {
        List<Record> snapshots = store.read(tx -> tx.run("""
                MATCH (s:Snapshot)-[:HAS_DIGEST]->(d:SnapshotDigest)
                RETURN s.id AS id, s.loadedAt AS loadedAt, s.files AS files, d AS digest
                ORDER BY s.loadedAt DESC""").list());
        if (snapshots.size() < (fromRef == null ? 2 : 1)) {
            throw new BadInputException("The graph has " + snapshots.size() + (snapshots.size() == 1 ? " snapshot" : " snapshots") + " with a digest, and a diff needs"
                    + " two. A snapshot is named by the SHA-256 of its files, so loading the same files again updates"
                    + " the same snapshot: load the changed export, then run diff.");
        }
        Record to = toRef == null ? snapshots.get(0) : find(snapshots, toRef);
        Record from;
        if (fromRef != null) {
            from = find(snapshots, fromRef);
        } else {
            int index = snapshots.indexOf(to);
            if (index + 1 >= snapshots.size()) {
                throw new BadInputException("Snapshot " + to.get("id").asString() + " is the earliest one kept, so it has"
                        + " no previous snapshot; name two snapshots: " + list(snapshots) + ".");
            }
            from = snapshots.get(index + 1);
        }

        Map<String, Change> parts = new LinkedHashMap<>();
        List<String> headlines = new ArrayList<>();
        for (String part : SnapshotDigest.PARTS) {
            Set<String> before = items(from.get("digest").get(part));
            Set<String> after = items(to.get("digest").get(part));
            List<String> added = after.stream().filter(item -> !before.contains(item)).sorted().toList();
            List<String> removed = before.stream().filter(item -> !after.contains(item)).sorted().toList();
            parts.put(part, new Change(added.size(), removed.size(), added.stream().limit(maxItems).toList(),
                    removed.stream().limit(maxItems).toList()));
        }
        Change reach = parts.get("reachesAdministrator");
        Change admins = parts.get("administrators");
        reach.addedItems().stream().limit(maxItems)
                .forEach(id -> headlines.add("A new path from " + id + " to an administrator appeared."));
        // A principal that became an administrator itself leaves the list of those that reach one. That is no
        // relief, so it gets only the headline below.
        reach.removedItems().stream().filter(id -> !admins.addedItems().contains(id)).limit(maxItems)
                .forEach(id -> headlines.add(id + " can no longer reach an administrator."));
        admins.addedItems().forEach(id -> headlines.add(id + " became an administrator."));
        admins.removedItems().forEach(id -> headlines.add(id + " is no longer an administrator."));
        parts.forEach((part, change) -> {
            if (change.added() + change.removed() > 0 && !part.equals("reachesAdministrator") && !part.equals("administrators")) {
                headlines.add(SnapshotDigest.label(part) + ": " + change.added() + " added, " + change.removed() + " removed.");
            }
        });
        return new Diff(ref(from), ref(to), headlines, parts, maxItems);
    }

    private static Record find(List<Record> snapshots, String reference) {
        List<Record> matches = snapshots.stream().filter(s -> s.get("id").asString().startsWith(reference)).toList();
        if (matches.size() != 1) {
            throw new BadInputException("\"" + reference + "\" " + (matches.isEmpty() ? "matches no snapshot with a digest"
                    : "matches " + matches.size() + " snapshots") + ". Snapshots, newest first: " + list(snapshots) + ".");
        }
        return matches.get(0);
    }

    private static String list(List<Record> snapshots) {
        return String.join(", ", snapshots.stream().limit(10)
                .map(s -> s.get("id").asString().substring(0, 12) + " (" + s.get("loadedAt").asString() + ")").toList())
                + (snapshots.size() > 10 ? " and " + (snapshots.size() - 10) + " more" : "");
    }

    private static SnapshotRef ref(Record snapshot) {
        return new SnapshotRef(snapshot.get("id").asString(), snapshot.get("loadedAt").asString(),
                snapshot.get("files").isNull() ? List.of() : snapshot.get("files").asList(Value::asString));
    }

    private static Set<String> items(Value value) {
        return value == null || value.isNull() ? Set.of() : new HashSet<>(value.asList(Value::asString));
    }
}
