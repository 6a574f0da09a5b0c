package dev.nhigraph.cli;

import dev.nhigraph.BadInputException;
import dev.nhigraph.ShutdownHooks;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.aws.collect.AwsCollector;
import dev.nhigraph.aws.collect.CallJournal;
import dev.nhigraph.aws.collect.CollectSettings;
import dev.nhigraph.aws.collect.LocalEndpointCredentials;
import dev.nhigraph.db.TempDirectories;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;

@Command(name = "aws", mixinStandardHelpOptions = true,
        description = {"Collect IAM, the credential report and access keys, AWS Organizations, resource policies and"
                + " workloads with read-only AWS API calls, then load them like an offline bundle.",
                "Credentials come from the default AWS credential chain, or from --profile. A call that is denied, not"
                        + " enabled, in a disabled region or timed out is a warning and a collection gap on the"
                        + " snapshot; the run goes on. collectors/aws/nhigraph-collector-policy.json is the policy the"
                        + " collector needs."})
final class CollectAwsCommand implements Callable<Integer> {

    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    @Option(names = "--profile", paramLabel = "NAME", description = "Take credentials from this AWS CLI profile.")
    String profile;

    @Option(names = "--regions", split = ",", paramLabel = "REGION",
            description = "Regions to collect, comma-separated (default: every region enabled in each account).")
    List<String> regions = List.of();

    @Option(names = "--assume-role-name", paramLabel = "NAME",
            description = "Assume this role in every member account of the organisation, or in those of --accounts,"
                    + " and collect them too.")
    String assumeRoleName;

    @Option(names = "--accounts", split = ",", paramLabel = "ID",
            description = "Member accounts to assume --assume-role-name in, comma-separated 12-digit ids"
                    + " (default: every active account of the organisation).")
    List<String> accounts = List.of();

    @Option(names = "--parallelism", paramLabel = "N",
            description = "Maximum number of API calls in flight at once (default: " + CollectSettings.DEFAULT_PARALLELISM + ").")
    int parallelism = CollectSettings.DEFAULT_PARALLELISM;

    @Option(names = "--service-last-accessed", description = {"Also request IAM's service last accessed report of every"
            + " user and role, for the finding on allowed services an identity does not use. It takes two or more"
            + " calls per principal, and IAM builds each report in the background."})
    boolean serviceLastAccessed;

    @Option(names = "--save-bundle", paramLabel = "DIR",
            description = "Keep the collected responses in DIR, a new or empty folder, in the offline bundle layout,"
                    + " loadable with `load` (default: a temporary folder, deleted after the load).")
    Path saveBundle;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "Send every API call to this URL instead of the services' endpoints, such as a VPC endpoint"
                    + " or a test server. Credentials come from --profile, or else the default chain. For a loopback"
                    + " URL (localhost, 127.0.0.1, ::1) without --profile, they come only from AWS_ACCESS_KEY_ID and"
                    + " AWS_SECRET_ACCESS_KEY (or the aws.accessKeyId and aws.secretAccessKey system properties),"
                    + " which a local stub needs set to made-up values, and the run names the key id it uses.")
    String endpointUrl;

    @Option(names = "--json", description = "Print the load result as JSON on stdout.")
    boolean json;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() throws IOException {
        CollectSettings settings = settings();
        // Chosen before the bundle folder is created, so that a run without usable credentials leaves nothing behind.
        AwsCredentialsProvider credentials = credentials(settings.endpoint());
        Path folder = bundleFolder();
        boolean temporary = saveBundle == null;
        // Ctrl-C ends the JVM without running the finally block below, so a hook deletes the temporary folder then.
        Thread cleanup = new Thread(() -> TempDirectories.deleteRecursively(folder), "nhigraph-collect-cleanup");
        if (temporary) {
            Runtime.getRuntime().addShutdownHook(cleanup);
        }
        CollectorRunAudit audit = new CollectorRunAudit(auditedScope());
        try {
            CallJournal journal = new CallJournal();
            AwsCollector.Result collected;
            try (LiveLine terminal = new LiveLine()) {
                Consumer<String> progress = System.console() != null ? terminal : new StageLines();
                collected = new AwsCollector(settings, credentials, journal, versionOfNhigraph())
                        .collect(folder, progress);
            }
            audit.collected("accounts " + String.join(",", collected.accounts()), collected.gaps().size());
            collected.gaps().forEach(gap -> System.err.println("gap: " + gap.describe()));
            System.err.println(collected.summaryLine() + (temporary ? "" : "; saved in " + folder));

            int exitCode = LoadCommand.load(LoadService.prepare(List.of(folder)), database, json);
            audit.loaded();
            return exitCode;
        } finally {
            audit.write();
            if (temporary) {
                TempDirectories.deleteRecursively(folder);
                ShutdownHooks.remove(cleanup);
            }
        }
    }

    /** Describes the requested scope for the audit log: names of the role, accounts, regions and profile. */
    private String auditedScope() {
        StringBuilder scope = new StringBuilder("aws ");
        if (assumeRoleName == null) {
            scope.append("account of the caller");
        } else {
            scope.append("organisation via role ").append(assumeRoleName)
                    .append(accounts.isEmpty() ? " in every member account" : " in accounts " + String.join(",", accounts));
        }
        scope.append(regions.isEmpty() ? ", every enabled region" : ", regions " + String.join(",", regions));
        if (profile != null) {
            scope.append(", profile ").append(profile);
        }
        return scope.toString();
    }


    private CollectSettings settings() {
        for (String region : regions) {
            if (!REGION.matcher(region).matches()) {
                throw new BadInputException("--regions: " + region + " is not an AWS region name. Give names such as"
                        + " eu-west-1,us-east-1.");
            }
        }
        for (String account : accounts) {
            if (!ACCOUNT_ID.matcher(account).matches()) {
                throw new BadInputException("--accounts: " + account + " is not a 12-digit AWS account id.");
            }
        }
        if (!accounts.isEmpty() && assumeRoleName == null) {
            throw new BadInputException("--accounts names the accounts to assume a role in; give the role with"
                    + " --assume-role-name too.");
        }
        if (parallelism < 1 || parallelism > 256) {
            throw new BadInputException("--parallelism " + parallelism + " is out of range; give 1 to 256.");
        }
        return CollectSettings.of(profile, regions, assumeRoleName, accounts, parallelism, endpoint())
                .withServiceLastAccessed(serviceLastAccessed);
    }

    private URI endpoint() {
        if (endpointUrl == null) {
            return null;
        }
        try {
            URI uri = new URI(endpointUrl);
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                throw new URISyntaxException(endpointUrl, "not an http or https URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new BadInputException("--endpoint-url " + endpointUrl + " is not a valid URL: " + e.getReason()
                    + ". Give one such as https://vpce-0123.iam.eu-west-1.vpce.amazonaws.com.");
        }
    }

    private Path bundleFolder() throws IOException {
        if (saveBundle == null) {
            return Files.createTempDirectory("nhigraph-collect-");
        }
        if (Files.isRegularFile(saveBundle)) {
            throw new BadInputException("--save-bundle " + saveBundle + " is a file; give a folder to write the bundle to.");
        }
        if (Files.isDirectory(saveBundle)) {
            try (var entries = Files.list(saveBundle)) {
                if (entries.findAny().isPresent()) {
                    throw new BadInputException("--save-bundle " + saveBundle + " is not empty. Give a new or empty"
                            + " folder, so that the load reads only this collection's files.");
                }
            }
        }
        Files.createDirectories(saveBundle);
        return saveBundle;
    }

    /**
     * Returns the credentials of --profile, or else those set for the run when --endpoint-url is a loopback address,
     * or else the SDK's default chain. A run against a loopback address prints which credentials it sends there.
     */
    private AwsCredentialsProvider credentials(URI endpoint) {
        if (profile != null) {
            return ProfileCredentialsProvider.create(profile);
        }
        if (endpoint != null && LocalEndpointCredentials.isLoopback(endpoint)) {
            LocalEndpointCredentials.Choice choice = LocalEndpointCredentials.choose(endpoint);
            System.err.println("--endpoint-url " + endpoint + " is a loopback address: signing calls with key id "
                    + choice.keyId() + " from " + choice.source() + "; profile files, SSO and instance metadata"
                    + " are not read.");
            return choice.provider();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static String versionOfNhigraph() {
        String version = Main.class.getAnnotation(Command.class).version()[0];
        return version.replaceFirst("^nhigraph ", "");
    }

    /**
     * The live line on a terminal: each update overwrites the previous one, at most every 250 ms, because stages of a
     * collection change many times a second. {@link Progress} would show a stage only after it has run for 2 s.
     */
    private static final class LiveLine implements Consumer<String>, AutoCloseable {

        private static final long INTERVAL_MILLIS = 250;

        private long printedAt;
        private boolean shown;

        @Override
        public synchronized void accept(String line) {
            long now = System.currentTimeMillis();
            if (now - printedAt < INTERVAL_MILLIS || Interruption.started()) {
                return;
            }
            printedAt = now;
            shown = true;
            System.err.print("\r\033[K" + line);
            System.err.flush();
        }

        @Override
        public synchronized void close() {
            if (shown) {
                System.err.print("\r\033[K");
                System.err.flush();
            }
        }
    }

    /** One plain line per stage on stderr, for a stderr that is not a terminal; repeated stages are printed once. */
    private static final class StageLines implements Consumer<String> {

        private String last;

        @Override
        public synchronized void accept(String line) {
            String stage = line.replaceAll(", \\d+ calls, \\d+ retries$", "");
            if (!stage.equals(last)) {
                last = stage;
                System.err.println(line);
            }
        }
    }
}
