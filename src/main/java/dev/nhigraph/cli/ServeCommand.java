package dev.nhigraph.cli;

import dev.nhigraph.BadInputException;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.analysis.UnfinishedLoadWatch;
import dev.nhigraph.api.ApiServer;
import dev.nhigraph.api.BindPolicy;
import dev.nhigraph.api.ServerLimits;
import dev.nhigraph.api.ServerSettings;
import dev.nhigraph.api.TlsKeystore;
import dev.nhigraph.api.TokenFile;
import dev.nhigraph.audit.Audit;
import dev.nhigraph.findings.AcceptedRisks;
import dev.nhigraph.findings.FindingsReport;
import dev.nhigraph.findings.ReportHistory;
import dev.nhigraph.findings.Rule;
import dev.nhigraph.findings.RuleCatalog;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.report.CronSchedule;
import dev.nhigraph.report.ReportSchedule;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the API and the browser view over the current graph until Ctrl-C.",
                "Every /api route needs a bearer token. The tokens are read from the token file beside the data"
                        + " directory, which is created on first start, or from NHIGRAPH_API_TOKEN and NHIGRAPH_ADMIN_TOKEN."})
final class ServeCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    DatabaseOptions database;

    @Mixin
    HttpOptions http;

    @Mixin
    ScheduleOptions schedule;

    @Override
    public Integer call() throws InterruptedException {
        String warning = http.checkBind();
        // A bad schedule, bundle, webhook or exceptions file is rejected before the database starts.
        ReportSchedule.Settings reportSettings = schedule.toSettings();
        Path reportDir = reportSettings != null ? reportSettings.outDir() : schedule.listedFolder();
        database.check();
        TokenFile.Tokens tokens = TokenFile.load(System.getenv(), http.tokenFile != null ? http.tokenFile : database.tokenFileBesideData());
        Database db = database.openForServer();
        ApiServer server = serveUntilStopped(db, http, tokens, reportDir);
        http.warnAtStart(warning);
        if (reportSettings != null) {
            ReportSchedule reports = new ReportSchedule(new GraphService(db.store(), ActionCatalog.loadDefault()),
                    reportSettings, Clock.systemUTC());
            System.out.println("  Findings reports: " + reportSettings.cron() + " into "
                    + reportSettings.outDir().toAbsolutePath().normalize() + ", next at " + reports.start()
                    + (reportSettings.bundle().isEmpty() ? "" : ", each after loading " + reportSettings.bundle() + " again")
                    + (reportSettings.webhook() == null ? "" : ", summary posted to " + reportSettings.webhook()));
        } else if (reportDir != null) {
            System.out.println("  Findings reports: listed from " + reportDir.toAbsolutePath().normalize()
                    + "; add --report-cron CRON to write them on a schedule.");
        }
        System.out.println("nhigraph is serving " + server.scheme() + "://" + http.host + ":" + server.port() + "/ (graph: "
                + db.boltLogin() + "). Ctrl-C stops it.");
        System.out.println("  API tokens: " + describe(tokens));
        System.out.println("  Open the page at " + server.scheme() + "://" + http.host + ":" + server.port()
                + "/#token=TOKEN with the read token; it stays in that browser tab only.");
        System.out.println("  Audit log: " + Audit.file());
        awaitShutdown(server, db);
        return 0;
    }

    /** Says where the tokens are, never what they are. */
    static String describe(TokenFile.Tokens tokens) {
        return switch (tokens.source()) {
            case ENVIRONMENT -> "from " + TokenFile.API_TOKEN_ENV + (tokens.admin() == null
                    ? " (no admin token: set " + TokenFile.ADMIN_TOKEN_ENV + " to use the admin routes)"
                    : " and " + TokenFile.ADMIN_TOKEN_ENV);
            case FILE_CREATED -> "created " + tokens.file().toAbsolutePath().normalize() + " (mode 0600: read= and admin= lines)";
            case FILE_READ -> "read from " + tokens.file().toAbsolutePath().normalize();
            case MEMORY -> "generated for this run only";
        };
    }

    /**
     * Starts the API over {@code db}.
     *
     * @param reportDir the folder that GET /api/reports lists, or null when the server writes no reports
     */
    static ApiServer serveUntilStopped(Database db, HttpOptions http, TokenFile.Tokens tokens, Path reportDir) {
        // Ctrl-C is how a server stops, so it logs its shutdown instead of printing an interruption message.
        db.onInterrupt(null);
        try {
            ServerSettings settings = new ServerSettings(tokens.toApiTokens(), tokens.file(), http.limits(), http.tls(),
                    reportDir);
            ApiServer server = new ApiServer(new GraphService(db.store(), ActionCatalog.loadDefault()), settings)
                    .start(http.host, http.port);
            // A daemon thread: it stops with the JVM, after the shutdown hook has closed the server and the database.
            UnfinishedLoadWatch.start(db.store());
            return server;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Blocks until the JVM is asked to stop, then stops the server before the database. */
    static void awaitShutdown(ApiServer server, Database db) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "nhigraph-http-shutdown"));
        stopped.await();
    }

    /** The findings report on a schedule: when, from what, into which folder, and whom to tell. */
    static final class ScheduleOptions {

        @Option(names = "--report-cron", paramLabel = "CRON",
                description = "Write the findings report on this five-field cron schedule (minute hour day-of-month month"
                        + " day-of-week), such as \"0 6 * * *\" for 06:00 every day, in --report-zone.")
        String cron;

        @Option(names = "--report-zone", paramLabel = "ZONE", defaultValue = "UTC",
                description = "Time zone of --report-cron, such as Europe/Berlin (default: ${DEFAULT-VALUE}).")
        String zone;

        @Option(names = "--report-dir", paramLabel = "DIR",
                description = "Folder of the scheduled reports; GET /api/reports lists it (default: nhigraph-report)."
                        + " Without --report-cron, the folder of reports written by `report --out DIR`, listed only.")
        Path outDir;

        @Option(names = "--report-keep", paramLabel = "N", defaultValue = "" + ReportHistory.DEFAULT_KEEP,
                description = "Reports the folder keeps, the latest included (default: ${DEFAULT-VALUE}).")
        int keep;

        @Option(names = "--report-bundle", paramLabel = "PATH",
                description = "Export file or folder to load again before each scheduled report; repeat for more.")
        List<Path> bundle = new ArrayList<>();

        @Option(names = "--report-exceptions", paramLabel = "FILE",
                description = "YAML file of accepted risks for the scheduled reports; see docs/findings.md.")
        Path exceptions;

        @Option(names = "--webhook", paramLabel = "URL",
                description = "POST a JSON summary of each scheduled report (counts and changes, no evidence) to this"
                        + " http or https URL.")
        String webhook;

        /**
         * Returns the folder of reports that a server without a schedule lists, or null when --report-dir is not
         * given. It must exist, since nothing here writes to it.
         */
        Path listedFolder() {
            if (cron != null || outDir == null) {
                return null;
            }
            if (!Files.isDirectory(outDir)) {
                throw new BadInputException("--report-dir " + outDir + " is not a folder. Without --report-cron the server"
                        + " only lists reports: give the folder that `nhigraph report --out DIR` wrote, or add"
                        + " --report-cron CRON to write reports there.");
            }
            return outDir;
        }

        /** Returns the schedule, or null when --report-cron is not given. */
        ReportSchedule.Settings toSettings() {
            if (cron == null) {
                if (webhook != null || !bundle.isEmpty() || exceptions != null) {
                    throw new BadInputException("--webhook, --report-bundle and --report-exceptions apply to scheduled"
                            + " reports; add --report-cron CRON, such as --report-cron \"0 6 * * *\".");
                }
                return null;
            }
            ZoneId zoneId;
            try {
                zoneId = ZoneId.of(zone);
            } catch (DateTimeException e) {
                throw new BadInputException("--report-zone \"" + zone + "\" is not a time zone; give one such as UTC or"
                        + " Europe/Berlin.", e);
            }
            CronSchedule schedule = CronSchedule.parse(cron, zoneId);
            Validation.range(keep, 1, 10_000, "--report-keep");
            List<Path> files = List.copyOf(bundle);
            if (!files.isEmpty()) {
                // Checks the bundle once at start, so that a typo is found now and not at 06:00.
                LoadService.prepare(files);
            }
            List<Rule> rules = RuleCatalog.loadDefault();
            FindingsReport.Options options = FindingsReport.Options.defaults();
            if (exceptions != null) {
                options = options.withAcceptedRisks(AcceptedRisks.read(exceptions,
                        new HashSet<>(rules.stream().map(Rule::id).toList())));
            }
            URI webhookUri = webhookUri();
            // The folder is created last, so that a bad option rejected above leaves no empty folder behind.
            Path folder = outDir != null ? outDir : Path.of("nhigraph-report");
            Validation.writableFolder(folder, "--report-dir");
            return new ReportSchedule.Settings(schedule, files, folder, keep, webhookUri, rules, options);
        }

        private URI webhookUri() {
            if (webhook == null) {
                return null;
            }
            try {
                URI uri = new URI(webhook);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new URISyntaxException(webhook, "not an http or https URL with a host");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new BadInputException("--webhook \"" + webhook + "\" is invalid (" + e.getReason() + "); give a URL"
                        + " such as https://hooks.example.org/nhigraph.", e);
            }
        }
    }

    /** The address, port, transport security and limits of the HTTP server. */
    static final class HttpOptions {
        static final String TLS_PASSWORD_ENV = "NHIGRAPH_TLS_PASSWORD";

        @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
                description = "Address to listen on (default: ${DEFAULT-VALUE}). Any non-loopback address needs"
                        + " --tls-keystore or --insecure-plain-http.")
        String host;

        @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + ApiServer.DEFAULT_PORT,
                description = "HTTP port (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--tls-keystore", paramLabel = "FILE",
                description = "Serve HTTPS with the certificate and key in this PKCS#12 or JKS keystore.")
        Path tlsKeystore;

        @Option(names = "--tls-password", paramLabel = "PASSWORD", arity = "0..1", interactive = true,
                description = "Password of the keystore; without a value it is asked for. " + TLS_PASSWORD_ENV
                        + " sets it too and keeps it out of the process list.")
        char[] tlsPassword;

        @Option(names = "--insecure-plain-http",
                description = "Allow plain HTTP on a non-loopback --host, for a TLS proxy on the same machine. Tokens"
                        + " are still required. A warning is printed at every start.")
        boolean insecurePlainHttp;

        @Option(names = "--token-file", paramLabel = "FILE",
                description = "File of the API tokens (default: beside the data directory, such as"
                        + " nhigraph-data.api-tokens). Created with mode 0600 when missing.")
        Path tokenFile;

        @Option(names = "--rate-limit", paramLabel = "N", defaultValue = "" + ServerLimits.DEFAULT_REQUESTS_PER_MINUTE,
                description = "Requests a minute each client address may send to /api (default: ${DEFAULT-VALUE});"
                        + " more get 429 with Retry-After.")
        int requestsPerMinute;

        private TlsKeystore checkedTls;

        /**
         * Checks the port, the keystore and the address before anything starts or binds.
         *
         * @return the warning to print at every start, or null
         */
        String checkBind() {
            Validation.port(port, "--port");
            if (requestsPerMinute < 1) {
                throw new BadInputException("--rate-limit " + requestsPerMinute + " is below 1. Give the requests a"
                        + " minute each client may send, such as " + ServerLimits.DEFAULT_REQUESTS_PER_MINUTE + ".");
            }
            if (tlsKeystore == null && tlsPassword != null) {
                throw new BadInputException("--tls-password is given without --tls-keystore. Give the keystore too.");
            }
            String warning = BindPolicy.check(host, tlsKeystore != null, insecurePlainHttp);
            checkedTls = tlsKeystore == null ? null : new TlsKeystore(tlsKeystore, tlsPassword()).checked();
            Validation.httpPortFree(host, port);
            return warning;
        }

        TlsKeystore tls() {
            return checkedTls;
        }

        ServerLimits limits() {
            return ServerLimits.defaults().withRequestsPerMinute(requestsPerMinute);
        }

        void warnAtStart(String warning) {
            if (warning != null) {
                log.warn(warning);
                System.err.println(warning);
            }
        }

        private char[] tlsPassword() {
            if (tlsPassword != null) {
                return tlsPassword;
            }
            String fromEnvironment = System.getenv(TLS_PASSWORD_ENV);
            if (fromEnvironment == null) {
                throw new BadInputException("--tls-keystore " + tlsKeystore + " needs its password: set "
                        + TLS_PASSWORD_ENV + ", or give --tls-password.");
            }
            return fromEnvironment.toCharArray();
        }
    }
}
