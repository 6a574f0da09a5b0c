package dev.nhigraph.cli;

import dev.nhigraph.analysis.BlastRadius;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.report.ScanReport;
import java.nio.file.Path;
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

    @Mixin
    DatabaseOptions database;

    /** The report once written, for the message of an interrupted scan. */
    private volatile Path reportFile;

    @Override
    public Integer call() {
        Validation.depth(maxDepth);
        // Bad input is rejected before the database starts and before the report folder is created.
        LoadService.PreparedLoad prepared = LoadService.prepare(paths);
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
            Output.printLoad(result, false);
            System.out.println("Report written to " + file);
            return 0;
        }
    }

    private String interruptMessage(LoadService service, Database db) {
        String report = reportFile != null ? "Scan interrupted after it wrote " + reportFile + "."
                : "Scan interrupted before it wrote its report to " + out + ".";
        boolean throwAway = database.dataDir == null && database.neo4jUri == null;
        return throwAway ? report + " Its throw-away database is deleted." : report + " " + Interruption.loadMessage(service, db);
    }
}
