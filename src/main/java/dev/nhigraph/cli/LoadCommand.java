package dev.nhigraph.cli;

import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.analysis.LoadService.LoadResult;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Load offline exports into the graph and derive CAN_ASSUME, CAN_ACCESS and CAN_ESCALATE.",
                "Accepts the JSON output of `aws iam get-account-authorization-details` and the other AWS CLI outputs of"
                        + " docs/offline-bundle.md (files, or folders of .json files; several accounts and pages together).",
                "A file that is not JSON stops the load with exit code 2 and leaves the graph unchanged. JSON of no known"
                        + " kind is skipped and reported, unless no file is of a known kind, which is exit code 2."})
final class LoadCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Export files or folders.")
    List<Path> paths;

    @Option(names = "--json", description = "Print the load result as JSON on stdout.")
    boolean json;

    @Option(names = "--keep-missing", description = {"Keep the stored users, groups and roles of an account that its"
            + " export does not list. Without it, an account's IAM export replaces its principals, and those it no longer"
            + " lists are deleted with their inline policies and keys. Use it for an export that holds part of an"
            + " account."})
    boolean keepMissing;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        // Bad input is rejected before the database opens, so it neither waits for Neo4j nor creates a data dir.
        return load(LoadService.prepare(paths), database, json, keepMissing);
    }

    /** Loads a prepared bundle into the database that {@code database} names, and prints the result. */
    static int load(LoadService.PreparedLoad prepared, DatabaseOptions database, boolean json) {
        return load(prepared, database, json, false);
    }

    /** Loads a prepared bundle; {@code keepMissing} keeps principals that the bundle's IAM exports do not list. */
    static int load(LoadService.PreparedLoad prepared, DatabaseOptions database, boolean json, boolean keepMissing) {
        try (Database db = database.openPersistent(); Progress progress = new Progress(System.err)) {
            LoadService service = new LoadService(db.store()).keepMissingPrincipals(keepMissing);
            db.onInterrupt(() -> Interruption.loadMessage(service, db));
            LoadResult result = service.load(prepared, progress);
            progress.close();
            Output.printLoad(result, json);
            return 0;
        }
    }
}
