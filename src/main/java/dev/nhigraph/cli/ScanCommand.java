package dev.nhigraph.cli;

import dev.nhigraph.analysis.BlastRadius;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.report.ScanReport;
import dev.nhigraph.db.Messages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"One-shot offline run: load the exports into a throw-away embedded database, analyse,"
                + " and write DIR/report.json: every principal with the roles it can assume, its escalation steps,"
                + " whether it reaches an administrator (reachesAdmin, with the shortest path) and its blast radius,"
                + " and the findings."})
final class ScanCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Export files or folders.")
    List<Path> paths;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for report.json (created if missing).")
    Path out;

    @Option(names = {"--max-depth", "--depth"}, paramLabel = "N", defaultValue = "" + BlastRadius.DEFAULT_MAX_DEPTH,
            description = "Maximum number of CAN_ASSUME, CAN_ESCALATE and CAN_IMPERSONATE steps in each blast radius, 0.." + BlastRadius.MAX_DEPTH_LIMIT
                    + " (default: ${DEFAULT-VALUE}).")
    int maxDepth;

    @Option(names = "--json", description = "Print the summary as one JSON object on stdout instead of text lines:"
            + " the load result, the findings by severity, the principals by reachesAdmin and the files written.")
    boolean json;

    @Mixin
    DatabaseOptions database;

    /** The report once written, for the message of an interrupted scan. */
    private volatile Path reportFile;

    @Override
    public Integer call() {
        Validation.depth(maxDepth);
        // Bad input is rejected before the database starts and before the report folder is created.
        LoadService.PreparedLoad prepared = LoadService.prepare(paths);
        database.check();
        Validation.writableFolder(out, "--out");
        try (Database db = database.openForOfflineRun(); Progress progress = new Progress(System.err)) {
            LoadService service = new LoadService(db.store());
            db.onInterrupt(() -> interruptMessage(service, db));
            LoadResult result = service.load(prepared, progress);
            progress.accept("computing the blast radius of each principal");
            GraphService graph = new GraphService(db.store(), ActionCatalog.loadDefault());
            Map<String, Object> report = ScanReport.build(graph, result, maxDepth);
            Path file = ScanReport.write(report, out);
            reportFile = file;
            progress.close();
            printSummary(result, ScanReport.totals(report), file);
            return 0;
        }
    }

    /**
     * Prints what the scan loaded, found and wrote: as text lines, or with --json as one JSON object that contains the
     * same facts, so that stdout stays one document.
     */
    private void printSummary(LoadResult load, ScanReport.Totals totals, Path file) {
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("load", load);
            summary.put("findingsBySeverity", totals.findingsBySeverity());
            summary.put("principals", totals.principals());
            summary.put("reachesAdmin", totals.reachesAdmin());
            summary.put("files", List.of(file.toString()));
            System.out.println(Output.json(summary));
            return;
        }
        Output.printLoad(load, false);
        System.out.println(findingsLine(totals));
        System.out.println(reachLine(totals));
        System.out.println("Wrote " + file);
    }

    static String findingsLine(ScanReport.Totals totals) {
        List<String> counts = new ArrayList<>();
        totals.findingsBySeverity().forEach((severity, count) -> counts.add(count + " " + severity));
        String bySeverity = counts.isEmpty() ? "" : " (" + String.join(", ", counts) + ")";
        return Messages.count(totals.findings(), "finding", "findings") + bySeverity
                + " of federated trust; `" + Invocation.command() + " report PATH... --out DIR`, with the same"
                + " export paths, evaluates the whole rule catalogue.";
    }

    static String reachLine(ScanReport.Totals totals) {
        Map<String, Long> reach = totals.reachesAdmin();
        return reach.get("YES") + " of " + Messages.count(totals.principals(), "principal", "principals")
                + " are or can become an administrator, " + reach.get("CONDITIONAL") + " more only if conditions hold,"
                + " and " + reach.get("NO") + " cannot.";
    }

    private String interruptMessage(LoadService service, Database db) {
        String report = reportFile != null ? "Scan interrupted after it wrote " + reportFile + "."
                : "Scan interrupted before it wrote its report to " + out + ".";
        boolean throwAway = database.dataDir == null && database.neo4jUri == null;
        return throwAway ? report + " Its throw-away database is deleted." : report + " " + Interruption.loadMessage(service, db);
    }
}
