package dev.nhigraph.cli;

import dev.nhigraph.NhigraphException;
import dev.nhigraph.ShutdownHooks;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.api.ApiServer;
import dev.nhigraph.api.TokenFile;
import dev.nhigraph.audit.Audit;
import dev.nhigraph.db.TempDirectories;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start the embedded database, load the bundled sample (a real export of an AWS account with the"
                + " iam-vulnerable privilege-escalation lab) and serve the browser view until Ctrl-C.",
                "The database is throw-away unless --data-dir is given."})
final class DemoCommand implements Callable<Integer> {

    static final String SAMPLE = "samples/iam-vulnerable-authorization-details.json";
    /**
     * The files loaded with the sample: credential reports, key listings, an EC2 instance and a Lambda function,
     * made up for the demo so that it can answer leaked-key and what-runs-as questions (samples/NOTICE.md).
     */
    static final List<String> SAMPLE_EXTRAS = List.of(
            "samples/iam-vulnerable-credential-report-200611803367.json",
            "samples/iam-vulnerable-credential-report-012345678901.json",
            "samples/iam-vulnerable-access-keys-privesc1-CreateNewPolicyVersion-user.json",
            "samples/iam-vulnerable-access-keys-privesc4-CreateAccessKey-user.json",
            "samples/iam-vulnerable-access-keys-obama.json",
            "samples/iam-vulnerable-ec2-instances.json",
            "samples/iam-vulnerable-lambda-functions.json");
    /** A made-up access key of the sample whose user can make itself an administrator. */
    static final String SAMPLE_KEY = "AKIASAMPLEPOLICYVER1";
    static final String SAMPLE_ROLE = "arn:aws:iam::200611803367:role/privesc-high-priv-service-role";

    @Mixin
    DatabaseOptions database;

    @Mixin
    ServeCommand.HttpOptions http;

    @Override
    public Integer call() throws InterruptedException {
        String warning = http.checkBind();
        TokenFile.Tokens tokens = demoTokens();
        Path sample = extractSample();
        // Ctrl-C during the start ends the JVM before the finally below runs, so a hook deletes the sample too.
        Thread sampleCleanup = ShutdownHooks.add("nhigraph-demo-sample", () -> TempDirectories.deleteRecursively(sample));
        Database db = database.openForOfflineRun();
        ApiServer server;
        try {
            LoadResult result = new LoadService(db.store()).load(List.of(sample), stage -> { });
            System.out.println(result.summaryLine().replace(sample.toString(), "the bundled sample"));
            server = ServeCommand.serveUntilStopped(db, http, tokens, null);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        } finally {
            TempDirectories.deleteRecursively(sample);
            ShutdownHooks.remove(sampleCleanup);
        }
        http.warnAtStart(warning);
        String base = server.scheme() + "://" + http.host + ":" + server.port() + "/";
        // The token rides in the fragment, which the browser keeps to itself: it is not sent to the server, so it
        // reaches neither a request log nor a Referer header. The page moves it into the tab's sessionStorage.
        String fragment = "#token=" + URLEncoder.encode(tokens.read(), StandardCharsets.UTF_8);
        System.out.println("nhigraph demo is serving " + base);
        System.out.println("  blast radius of a role of the sample (this address carries the read token; share it as"
                + " you would the token): " + base + "?id=" + URLEncoder.encode(SAMPLE_ROLE, StandardCharsets.UTF_8) + fragment);
        System.out.println("  blast radius of a made-up leaked access key of the sample: " + base + "?id=" + SAMPLE_KEY + fragment);
        System.out.println("  API tokens: " + ServeCommand.describe(tokens));
        System.out.println("  Audit log: " + Audit.file());
        System.out.println("  Cypher over Bolt: " + db.boltLogin() + ". Ctrl-C stops the demo.");
        ServeCommand.awaitShutdown(server, db);
        return 0;
    }

    /**
     * Returns the tokens from the environment or, for a persistent graph, the token file beside it. A throw-away graph
     * gets throw-away tokens, so that the demo leaves no file behind.
     */
    private TokenFile.Tokens demoTokens() {
        if (System.getenv(TokenFile.API_TOKEN_ENV) != null || http.tokenFile != null || database.persistent()) {
            return TokenFile.load(System.getenv(), http.tokenFile != null ? http.tokenFile : database.tokenFileBesideData());
        }
        return TokenFile.inMemory();
    }

    /** Copies the sample's files into a new temporary folder and returns the folder. */
    private static Path extractSample() {
        try {
            Path folder = Files.createTempDirectory("nhigraph-sample-");
            List<String> resources = new java.util.ArrayList<>(List.of(SAMPLE));
            resources.addAll(SAMPLE_EXTRAS);
            for (String resource : resources) {
                try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new NhigraphException("The bundled sample file " + resource + " is missing from the build;"
                                + " rebuild with mvn package.");
                    }
                    Path file = folder.resolve(resource.substring(resource.lastIndexOf('/') + 1));
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return folder;
        } catch (IOException e) {
            throw new NhigraphException("Failed to extract the bundled sample: " + e.getMessage(), e);
        }
    }
}
