package dev.nhigraph.cli;

import dev.nhigraph.BadInputException;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.api.ApiServer;
import dev.nhigraph.api.BindPolicy;
import dev.nhigraph.api.ServerLimits;
import dev.nhigraph.api.ServerSettings;
import dev.nhigraph.api.TlsKeystore;
import dev.nhigraph.api.TokenFile;
import dev.nhigraph.audit.Audit;
import dev.nhigraph.policy.ActionCatalog;
import java.nio.file.Path;
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

    @Override
    public Integer call() throws InterruptedException {
        String warning = http.checkBind();
        TokenFile.Tokens tokens = TokenFile.load(System.getenv(), http.tokenFile != null ? http.tokenFile : database.tokenFileBesideData());
        Database db = database.openForServer();
        ApiServer server = serveUntilStopped(db, http, tokens);
        http.warnAtStart(warning);
        System.out.println("nhigraph is serving " + server.scheme() + "://" + http.host + ":" + server.port() + "/ (graph: "
                + db.boltUri() + "). Ctrl-C stops it.");
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

    static ApiServer serveUntilStopped(Database db, HttpOptions http, TokenFile.Tokens tokens) {
        // Ctrl-C is how a server stops, so it logs its shutdown instead of printing an interruption message.
        db.onInterrupt(null);
        try {
            ServerSettings settings = new ServerSettings(tokens.toApiTokens(), tokens.file(), http.limits(), http.tls());
            return new ApiServer(new GraphService(db.store(), ActionCatalog.loadDefault()), settings).start(http.host, http.port);
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
