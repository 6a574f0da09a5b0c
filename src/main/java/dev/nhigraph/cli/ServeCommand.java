package dev.nhigraph.cli;

import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.api.ApiServer;
import dev.nhigraph.policy.ActionCatalog;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the API and the browser view over the current graph until Ctrl-C."})
final class ServeCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Mixin
    HttpOptions http;

    @Override
    public Integer call() throws InterruptedException {
        Validation.port(http.port, "--port");
        Validation.httpPortFree(http.host, http.port);
        Database db = database.openForServer();
        ApiServer server = serveUntilStopped(db, http);
        System.out.println("nhigraph is serving http://" + http.host + ":" + server.port() + "/ (graph: " + db.boltUri() + "). Ctrl-C stops it.");
        awaitShutdown(server, db);
        return 0;
    }

    static ApiServer serveUntilStopped(Database db, HttpOptions http) {
        // Ctrl-C is how a server stops, so it logs its shutdown instead of printing an interruption message.
        db.onInterrupt(null);
        try {
            return new ApiServer(new GraphService(db.store(), ActionCatalog.loadDefault())).start(http.host, http.port);
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

    /** The address and port of the HTTP server. */
    static final class HttpOptions {
        @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
                description = "Address to listen on (default: ${DEFAULT-VALUE}; anything else exposes the API without authentication).")
        String host;

        @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + ApiServer.DEFAULT_PORT,
                description = "HTTP port (default: ${DEFAULT-VALUE}).")
        int port;
    }
}
