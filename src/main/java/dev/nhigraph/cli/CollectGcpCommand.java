package dev.nhigraph.cli;

import dev.nhigraph.BadInputException;
import dev.nhigraph.NhigraphException;
import dev.nhigraph.ShutdownHooks;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.db.TempDirectories;
import dev.nhigraph.gcp.collect.CollectionGap;
import dev.nhigraph.gcp.collect.GcpCollectSettings;
import dev.nhigraph.gcp.collect.GcpCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "gcp", mixinStandardHelpOptions = true,
        description = {"Collect an organization, folder or project from the Google APIs and load it into the graph.",
                "Calls Cloud Asset Inventory, Resource Manager and IAM with Application Default Credentials, writes the"
                        + " answers as the gcloud outputs of docs/offline-bundle.md, and loads them as `nhigraph load` would.",
                "Calls that fail for lack of permission, an API that is not enabled or a timeout are listed as gaps in"
                        + " collection-gaps.json and on stderr, and the rest is collected."})
final class CollectGcpCommand implements Callable<Integer> {

    @Option(names = "--scope", required = true, paramLabel = "SCOPE",
            description = "organizations/ID, folders/ID or projects/PROJECT_ID: what to collect.")
    String scope;

    @Option(names = "--impersonate-service-account", paramLabel = "EMAIL",
            description = "Call as this service account; the caller needs roles/iam.serviceAccountTokenCreator on it.")
    String impersonate;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "" + GcpCollectSettings.DEFAULT_PARALLELISM,
            description = "Maximum number of API calls in flight at once (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--save-bundle", paramLabel = "DIR",
            description = "Keep the collected files in DIR, a new or empty folder, for `nhigraph load DIR` later."
                    + " Without it they go to a temporary folder that is deleted after the load.")
    Path saveBundle;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "Send every API call to URL instead of Google, without credentials (for stubs and emulators).")
    String endpointUrl;

    @Option(names = "--json", description = "Print the load result as JSON on stdout.")
    boolean json;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        GcpCollectSettings settings = settings();
        Path bundle = bundleFolder();
        // Ctrl-C ends the JVM without the finally block below, so a hook deletes the temporary folder then.
        Thread cleanup = new Thread(() -> TempDirectories.deleteRecursively(bundle), "nhigraph-bundle-cleanup");
        if (saveBundle == null) {
            Runtime.getRuntime().addShutdownHook(cleanup);
        }
        CollectorRunAudit audit = new CollectorRunAudit("gcp " + scope
                + (impersonate == null ? "" : " as " + impersonate));
        try {
            GcpCollector.Result result = collect(settings, bundle);
            audit.collected(result.organizations() + " organizations, " + result.folders() + " folders, "
                    + result.projects() + " projects, " + result.serviceAccounts() + " service accounts",
                    result.gaps().size());
            printGaps(result.gaps());
            System.err.println(result.summaryLine());
            int exitCode = load(bundle, result);
            audit.loaded();
            return exitCode;
        } finally {
            audit.write();
            if (saveBundle == null) {
                ShutdownHooks.remove(cleanup);
                TempDirectories.deleteRecursively(bundle);
            }
        }
    }


    private GcpCollectSettings settings() {
        try {
            return GcpCollectSettings.of(scope, impersonate, parallelism, endpointUrl);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    private static GcpCollector.Result collect(GcpCollectSettings settings, Path bundle) {
        boolean terminal = System.console() != null;
        try (Progress progress = new Progress(System.err)) {
            // On a terminal the live line shows stages and counts; elsewhere each stage is one plain line.
            Consumer<String> stages = terminal ? progress : line -> System.err.println("nhigraph: " + line);
            Consumer<String> status = terminal ? progress::update : line -> { };
            return new GcpCollector(settings, stages, status).collect(bundle);
        }
    }

    private Integer load(Path bundle, GcpCollector.Result result) {
        LoadService.PreparedLoad prepared;
        try {
            prepared = LoadService.prepare(List.of(bundle));
        } catch (BadInputException e) {
            throw new NhigraphException("The collection from " + scope + " gathered nothing to load (" + result.gaps().size()
                    + " gaps, listed above): " + e.getMessage() + " Grant the role in collectors/gcp/collector-role.yaml"
                    + " on the scope and collect again.", e);
        }
        return LoadCommand.load(prepared, database, json);
    }

    private static void printGaps(List<CollectionGap> gaps) {
        for (CollectionGap gap : gaps) {
            System.err.println("nhigraph: gap: " + gap.call().method() + " on " + gap.scope() + " (" + gap.reason() + "): "
                    + gap.message());
        }
    }

    private Path bundleFolder() {
        try {
            if (saveBundle == null) {
                return Files.createTempDirectory("nhigraph-gcp-bundle-");
            }
            if (Files.isDirectory(saveBundle)) {
                try (Stream<Path> entries = Files.list(saveBundle)) {
                    if (entries.findAny().isPresent()) {
                        throw new BadInputException("--save-bundle " + saveBundle + " is not empty. Give a new or empty"
                                + " folder, so that files of an earlier collection do not mix with this one.");
                    }
                }
            } else if (Files.exists(saveBundle)) {
                throw new BadInputException("--save-bundle " + saveBundle + " is a file. Give a new or empty folder.");
            }
            return Files.createDirectories(saveBundle);
        } catch (IOException e) {
            throw new NhigraphException("Could not create the bundle folder " + (saveBundle == null ? "" : saveBundle)
                    + ": " + e.getMessage() + ". Check the path and its permissions.", e);
        }
    }
}
