package dev.nhigraph.cli;

import dev.nhigraph.NhigraphException;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.api.ApiServer;
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
    static final String SAMPLE_ROLE = "arn:aws:iam::200611803367:role/privesc-high-priv-service-role";

    @Mixin
    DatabaseOptions database;

    @Mixin
    ServeCommand.HttpOptions http;

    @Override
    public Integer call() throws InterruptedException {
        Validation.port(http.port, "--port");
        Validation.httpPortFree(http.host, http.port);
        Path sample = extractSample();
        Database db = database.openForOfflineRun();
        ApiServer server;
        try {
            LoadResult result = new LoadService(db.store()).load(List.of(sample), stage -> { });
            System.out.println(result.summaryLine().replace(sample.toString(), "the bundled sample"));
            server = ServeCommand.serveUntilStopped(db, http);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        } finally {
            sample.toFile().delete();
        }
        String base = "http://" + http.host + ":" + server.port() + "/";
        System.out.println("nhigraph demo is serving " + base);
        System.out.println("  blast radius of a role of the sample: " + base + "?id=" + URLEncoder.encode(SAMPLE_ROLE, StandardCharsets.UTF_8));
        System.out.println("  Cypher over Bolt: " + db.boltUri() + " (no authentication). Ctrl-C stops the demo.");
        ServeCommand.awaitShutdown(server, db);
        return 0;
    }

    private static Path extractSample() {
        try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(SAMPLE)) {
            if (in == null) {
                throw new NhigraphException("The bundled sample " + SAMPLE + " is missing from the build; rebuild with mvn package.");
            }
            Path file = Files.createTempFile("nhigraph-sample-", ".json");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new NhigraphException("Failed to extract the bundled sample: " + e.getMessage(), e);
        }
    }
}
