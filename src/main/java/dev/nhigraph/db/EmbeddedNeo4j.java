package dev.nhigraph.db;

import dev.nhigraph.BadInputException;
import dev.nhigraph.NhigraphException;
import dev.nhigraph.ShutdownHooks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Neo4j Community running inside this JVM, reachable only through its Bolt connector on 127.0.0.1.
 *
 * <p>Nothing in nhigraph uses the embedded API for queries: every read and write goes through the Bolt
 * driver, so the embedded database and an external server share one code path.
 *
 * <p>Bolt requires authentication: the user {@value Neo4jPasswordFile#USER} with the password of a
 * {@link Neo4jPasswordFile}, which is created on the first start. Binding to the loopback address keeps other hosts
 * out, and the password keeps out the other local users of this machine.
 */
public final class EmbeddedNeo4j implements AutoCloseable {

    public static final int DEFAULT_BOLT_PORT = 7687;
    private static final String LOOPBACK = "127.0.0.1";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedNeo4j.class);

    private final DatabaseManagementService dbms;
    private final Path home;
    private final int boltPort;
    private final Path passwordFile;
    private final String password;
    private final boolean deleteOnClose;
    private final LoadJournal.Restore restore;
    private final CommitCounter commits;
    private volatile boolean closed;
    /** The shutdown hook that deletes a throw-away database's directory, removed once {@link #close()} has. */
    private volatile Thread temporaryCleanup;

    private EmbeddedNeo4j(DatabaseManagementService dbms, Path home, int boltPort, Path passwordFile, String password,
            boolean deleteOnClose, LoadJournal.Restore restore, CommitCounter commits) {
        this.restore = restore;
        this.commits = commits;
        this.dbms = dbms;
        this.home = home;
        this.boltPort = boltPort;
        this.passwordFile = passwordFile;
        this.password = password;
        this.deleteOnClose = deleteOnClose;
    }

    /**
     * Starts the database stored under {@code home}, creating it when absent, with Bolt on 127.0.0.1. Its password
     * file is {@link Neo4jPasswordFile#besideData(Path) beside} {@code home}.
     *
     * @param boltPort the port to listen on; 0 picks a free ephemeral port
     * @throws BadInputException when the port is already taken or the password file is readable by others
     */
    public static EmbeddedNeo4j start(Path home, int boltPort) {
        return start(home, boltPort, null);
    }

    /**
     * Starts the database under {@code home} as {@link #start(Path, int)} does, with a page cache of
     * {@code pageCacheBytes}, or Neo4j's default size when it is null.
     */
    public static EmbeddedNeo4j start(Path home, int boltPort, Long pageCacheBytes) {
        return start(home, boltPort, Neo4jPasswordFile.besideData(home), false, pageCacheBytes);
    }

    /**
     * Starts a throw-away database in a new temporary directory that {@link #close()} deletes, password file included:
     * the file is inside that directory, which only its owner may open.
     */
    public static EmbeddedNeo4j startTemporary(int boltPort) {
        return startTemporary(boltPort, null);
    }

    /** Starts a throw-away database as {@link #startTemporary(int)} does, with a page cache of {@code pageCacheBytes} or Neo4j's default. */
    public static EmbeddedNeo4j startTemporary(int boltPort, Long pageCacheBytes) {
        Path home;
        try {
            home = Files.createTempDirectory("nhigraph-neo4j-");
        } catch (IOException e) {
            throw new NhigraphException("Failed to create a temporary directory for the embedded Neo4j: " + e.getMessage(), e);
        }

        // Ctrl-C during the start, which takes several seconds, ends the JVM through its shutdown hooks before the
        // caller can close the database, so one of them deletes the directory and the password file in it.
        AtomicReference<EmbeddedNeo4j> started = new AtomicReference<>();
        Thread cleanup = ShutdownHooks.add("nhigraph-temporary-neo4j", () -> {
            EmbeddedNeo4j neo4j = started.get();
            if (neo4j != null) {
                neo4j.close();
            } else {
                TempDirectories.deleteRecursively(home);
            }
        });
        try {
            EmbeddedNeo4j neo4j = start(home, boltPort, home.resolve("nhigraph" + Neo4jPasswordFile.SUFFIX), true, pageCacheBytes);
            neo4j.temporaryCleanup = cleanup;
            started.set(neo4j);
            return neo4j;
        } catch (RuntimeException e) {
            ShutdownHooks.remove(cleanup);
            TempDirectories.deleteRecursively(home);
            throw e;
        }
    }

    private static EmbeddedNeo4j start(Path requestedHome, int requestedPort, Path passwordFile, boolean deleteOnClose,
                                       Long pageCacheBytes) {
        // Neo4j rejects paths with "." or ".." segments, such as the default ./nhigraph-data.
        Path home = requestedHome.toAbsolutePath().normalize();
        int port = requestedPort == 0 ? freeLoopbackPort() : requestedPort;
        ensurePortFree(port);

        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            Path file = firstRegularFile(home);
            if (file != null) {
                throw new BadInputException("Cannot create the data directory " + home + ": " + file
                        + " is a file, not a folder. Choose another directory with --data-dir.", e);
            }
            throw new BadInputException("Cannot create the data directory " + home + ": " + e.getMessage()
                    + ". Choose a writable directory with --data-dir.", e);
        }

        String password = Neo4jPasswordFile.readOrCreate(passwordFile);
        InitialPassword.stage(home, password);

        long started = System.nanoTime();
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home.toAbsolutePath())
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(LOOPBACK, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(LOOPBACK, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                // Transaction logs are kept for a day at most: the graph is rebuilt from exports, not replayed.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "1 days")
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Bolt's default graceful stop waits up to 15 s for idle network threads. The driver is closed
                // before the database, so there is nothing left to drain.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2));
        if (pageCacheBytes != null) {
            // Neo4j sizes its default from the machine's memory, and a large store fills it. Pages left out of a
            // smaller cache are read again from the operating system's file cache, which is not this process's memory.
            builder.setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheBytes);
        }
        DatabaseManagementService dbms;
        try {
            dbms = build(builder, home);
        } finally {
            InitialPassword.unstage(home);
        }
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME)
                .isAvailable(Duration.ofSeconds(60).toMillis());

        CommitCounter commits = new CommitCounter();
        dbms.registerTransactionEventListener(GraphDatabaseSettings.DEFAULT_DATABASE_NAME, commits);

        // A throw-away database is not journaled: after a crash there is nothing to return to.
        LoadJournal.Restore restore = LoadJournal.Restore.NONE;
        if (!deleteOnClose) {
            restore = LoadJournal.restore(dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME), home);
            dbms.registerTransactionEventListener(GraphDatabaseSettings.DEFAULT_DATABASE_NAME, new LoadJournal(home));
        }

        EmbeddedNeo4j neo4j = new EmbeddedNeo4j(dbms, home, port, passwordFile.toAbsolutePath().normalize(), password,
                deleteOnClose, restore, commits);
        try {
            InitialPassword.ensureAccepted(dbms, home, neo4j.boltUri(), neo4j.authToken(), password, neo4j.passwordFile);
        } catch (RuntimeException e) {
            neo4j.close();
            throw e;
        }
        log.info("Embedded Neo4j started in {} ms: data in {}, Bolt on {} (user {}, password in {})",
                (System.nanoTime() - started) / 1_000_000, home.toAbsolutePath(), neo4j.boltUri(),
                Neo4jPasswordFile.USER, neo4j.passwordFile);
        return neo4j;
    }

    /**
     * Removes the shutdown hook of a throw-away database, for a caller whose own hook closes it from now on, so that
     * two hooks do not stop it at once.
     */
    public void handOverShutdown() {
        Thread cleanup = temporaryCleanup;
        temporaryCleanup = null;
        if (cleanup != null) {
            ShutdownHooks.remove(cleanup);
        }
    }

    /**
     * Returns how many write transactions the default database has committed since it started, from any client; see
     * {@link GraphStore#countCommitsWith}.
     */
    public long commits() {
        return commits.commits();
    }

    /** Returns the Bolt URI that the driver connects to. */
    public String boltUri() {
        return "bolt://" + LOOPBACK + ":" + boltPort;
    }

    /** Returns the credentials that Bolt accepts: user {@value Neo4jPasswordFile#USER} and the file's password. */
    public AuthToken authToken() {
        return AuthTokens.basic(Neo4jPasswordFile.USER, password);
    }

    /** Returns the file that contains the Bolt password, for analysts who connect with cypher-shell. */
    public Path passwordFile() {
        return passwordFile;
    }

    /**
     * Returns what this start did with the journal of an unfinished load: {@link LoadJournal.Restore#RESTORED} means
     * the facts are the previous snapshot's again and the edges must be derived anew, which the caller does.
     */
    public LoadJournal.Restore loadRestore() {
        return restore;
    }

    /**
     * Applies the journal of a load that stopped after it stored its facts, while the database runs: a load of this
     * process that failed, or one that another process sent over Bolt and that died. The journal is applied only
     * while the graph has that load's marker.
     *
     * @return whether the facts are the previous snapshot's again, and the edges remain to be derived
     */
    public boolean undoUnfinishedLoad() {
        return journaled()
                && LoadJournal.restore(dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME), home) == LoadJournal.Restore.RESTORED;
    }

    /** Returns whether loads into this database keep an undo journal; a throw-away database keeps none. */
    public boolean journaled() {
        return !deleteOnClose;
    }

    public int boltPort() {
        return boltPort;
    }

    public Path home() {
        return home;
    }

    /** Shuts the database down cleanly; safe to call twice, for example from a shutdown hook and a finally block. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        dbms.shutdown();
        log.info("Embedded Neo4j stopped: data in {}", home.toAbsolutePath());
        if (deleteOnClose) {
            TempDirectories.deleteRecursively(home);
        }
        Thread cleanup = temporaryCleanup;
        if (cleanup != null && Thread.currentThread() != cleanup) {
            ShutdownHooks.remove(cleanup);
        }
    }

    private static DatabaseManagementService build(DatabaseManagementServiceBuilder builder, Path home) {
        try {
            return builder.build();
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                String message = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
                if (cause.getClass().getSimpleName().contains("FileLock") || message.contains("lock")) {
                    throw new BadInputException("The database in " + home.toAbsolutePath() + " is in use by another"
                            + " process (is `nhigraph serve` or `demo` running?). Connect to it with --neo4j-uri, or"
                            + " choose another --data-dir.", e);
                }
            }
            throw new NhigraphException("Failed to start the embedded Neo4j in " + home + ": "
                    + Messages.sentence(e.getMessage()) + " Its log, if it got that far, is " + home.resolve("logs/debug.log") + ".", e);
        }
    }

    /** Returns {@code path} or the nearest of its parents that is a regular file, or null when none is. */
    private static Path firstRegularFile(Path path) {
        for (Path candidate = path; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static void ensurePortFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
        } catch (IOException e) {
            throw new BadInputException("Bolt port " + port + " on " + LOOPBACK + " is already in use"
                    + " (another nhigraph or Neo4j may be running). Choose another port with --bolt-port,"
                    + " or connect to the running server with --neo4j-uri bolt://" + LOOPBACK + ":" + port + ".");
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new NhigraphException("Failed to find a free port on " + LOOPBACK + ": " + e.getMessage(), e);
        }
    }
}
