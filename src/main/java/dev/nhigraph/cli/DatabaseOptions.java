package dev.nhigraph.cli;

import dev.nhigraph.BadInputException;
import dev.nhigraph.NhigraphException;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.db.EmbeddedNeo4j;
import dev.nhigraph.db.GraphStore;
import dev.nhigraph.db.Neo4jPasswordFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import picocli.CommandLine.Option;

/** The location of the graph: the embedded database (default) or an external Neo4j given by URI. */
final class DatabaseOptions {

    static final String DEFAULT_DATA_DIR = "./nhigraph-data";

    @Option(names = "--neo4j-uri", paramLabel = "URI",
            description = "Use the external Neo4j at URI (bolt://, neo4j://, ...) instead of the embedded one;"
                    + " credentials from NEO4J_USER (default neo4j) and NEO4J_PASSWORD, or --neo4j-password-file.")
    String neo4jUri;

    @Option(names = "--neo4j-password-file", paramLabel = "FILE",
            description = "Read the password for --neo4j-uri from FILE, such as the DATA_DIR.neo4j-password file of"
                    + " a running `serve`; the user is NEO4J_USER, default neo4j.")
    Path neo4jPasswordFile;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory of the embedded database (default: " + DEFAULT_DATA_DIR + "; scan, demo, and the"
                    + " commands given export files, use a throw-away one instead).")
    Path dataDir;

    @Option(names = "--page-cache", paramLabel = "SIZE",
            description = "Memory for the embedded database's page cache: bytes, or a number with k, m or g such as"
                    + " 512m, from 32m to the machine's memory (default: Neo4j's, sized from the machine's memory)."
                    + " Lower it to bound the resident memory of a large load.")
    String pageCache;

    @Option(names = "--bolt-port", paramLabel = "PORT",
            description = "Bolt port of the embedded database on 127.0.0.1 (default: 7687 for serve; other commands pick a free port).")
    Integer boltPort;

    /**
     * Opens the persistent graph for a server, whose Bolt port (7687 unless --bolt-port) analysts connect to:
     * the external server, or the embedded database under --data-dir.
     */
    Database openForServer() {
        return open(false, EmbeddedNeo4j.DEFAULT_BOLT_PORT);
    }

    /**
     * Opens the persistent graph for a short command. Its embedded Bolt connector takes a free port unless
     * --bolt-port is given, so the command does not clash with another Neo4j on 7687.
     */
    Database openPersistent() {
        return open(false, 0);
    }

    /**
     * Opens the persistent graph for a command that only reads it: an embedded data directory that does not exist
     * yet is a mistake (a typo, or no load yet), not a request for an empty graph.
     */
    Database openExisting() {
        if (neo4jUri == null) {
            Path dir = embeddedDataDir().toAbsolutePath().normalize();
            // A start that failed, such as one whose page cache Neo4j could not allocate, leaves data/dbms but no database.
            if (!java.nio.file.Files.isDirectory(dir.resolve("data").resolve("databases").resolve("neo4j"))) {
                throw new BadInputException("No graph in " + dir + ": the folder contains no database. Load exports first"
                        + " with `" + Invocation.command() + " load PATH --data-dir " + dir + "`, or give the --data-dir of an existing graph,"
                        + " or --neo4j-uri for a server.");
            }
        }
        return open(false, 0);
    }

    /** Opens a throw-away embedded database, unless --data-dir or --neo4j-uri ask for a persistent one. */
    Database openForOfflineRun() {
        return open(dataDir == null && neo4jUri == null, 0);
    }

    /**
     * Checks the options that need no database, so that a command can reject them before it creates a file or
     * folder of its own, such as scan's --out or serve's token file.
     *
     * @throws BadInputException when --neo4j-uri is combined with an option of the embedded database, or
     *                           --page-cache is not a size this machine can give
     */
    void check() {
        if (neo4jUri != null && (dataDir != null || boltPort != null || pageCache != null)) {
            throw new BadInputException("--neo4j-uri cannot be combined with --data-dir, --bolt-port or --page-cache,"
                    + " which configure the embedded database. Drop those options to use the Neo4j at " + neo4jUri
                    + ", or drop --neo4j-uri to use the embedded one.");
        }
        if (pageCache != null) {
            pageCacheBytes(pageCache);
        }
    }

    private Database open(boolean temporary, int defaultBoltPort) {
        check();
        if (neo4jUri != null) {
            GraphStore store;
            try {
                store = GraphStore.connect(neo4jUri, externalAuth(neo4jPasswordFile));
            } catch (GraphStore.CredentialsRejectedException e) {
                if (neo4jPasswordFile == null) {
                    throw e;
                }
                // The general message suggests the file, which the user gave already: name it instead.
                throw new NhigraphException("Neo4j at " + neo4jUri + " rejected the password in " + neo4jPasswordFile
                        + ". Give the password file of the server that listens there, such as the"
                        + " DATA_DIR.neo4j-password file of the nhigraph serve started with --data-dir DATA_DIR.", e);
            }
            store.keepSnapshotCopy().applySchema();
            finishRestoredLoad(store);
            return new Database(null, store);
        }
        if (neo4jPasswordFile != null) {
            throw new BadInputException("--neo4j-password-file is for --neo4j-uri. The embedded database reads its"
                    + " password file beside --data-dir itself.");
        }
        int port = boltPort == null ? defaultBoltPort : boltPort;
        Long pageCacheBytes = pageCache == null ? null : pageCacheBytes(pageCache);
        EmbeddedNeo4j embedded = temporary
                ? EmbeddedNeo4j.startTemporary(port, pageCacheBytes)
                : EmbeddedNeo4j.start(embeddedDataDir(), port, pageCacheBytes);
        try {
            GraphStore store = GraphStore.connect(embedded.boltUri(), embedded.authToken())
                    .undoUnfinishedLoadWith(embedded::undoUnfinishedLoad)
                    .countCommitsWith(embedded::commits);
            store.applySchema();
            finishRestoredLoad(store);
            return new Database(embedded, store);
        } catch (RuntimeException e) {
            embedded.close();
            throw e;
        }
    }

    /** The smallest page cache accepted, so that 512 (bytes) given for 512m is caught. */
    static final long MIN_PAGE_CACHE_BYTES = 32L << 20;
    private static final Pattern BYTE_SIZE = Pattern.compile("(\\d{1,15})([kmg]?)");

    /**
     * Parses the value of --page-cache, such as 512m, 2g or 1048576 (bytes), into bytes, and checks it against this
     * machine's memory.
     *
     * @throws BadInputException when {@code text} is not such a size, or is below 32m or above the machine's memory
     */
    static long pageCacheBytes(String text) {
        long machine = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return pageCacheBytes(text, machine);
    }

    /** Parses the value of --page-cache as {@link #pageCacheBytes(String)} does, for a machine of {@code machineBytes}. */
    static long pageCacheBytes(String text, long machineBytes) {
        String option = "--page-cache";
        Matcher size = BYTE_SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!size.matches()) {
            throw new BadInputException(option + " '" + text + "' is invalid. Give a number of bytes, or a number with k, m"
                    + " or g, such as 512m or 2g.");
        }
        int shift = switch (size.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        long number = Long.parseLong(size.group(1));
        // Neo4j allocates the whole page cache's bookkeeping at start, so a size beyond the machine's memory stops it
        // with an allocation error instead of a message.
        if (number > Long.MAX_VALUE >> shift || (number << shift) > machineBytes) {
            throw new BadInputException(option + " " + text + " is more than this machine's memory ("
                    + String.format(Locale.ROOT, "%.1f GiB", machineBytes / (double) (1L << 30))
                    + "). Give less, such as 512m, and leave room for the JVM heap.");
        }
        long bytes = number << shift;
        if (bytes < MIN_PAGE_CACHE_BYTES) {
            throw new BadInputException(option + " " + text + " is too small: give at least 32m.");
        }
        return bytes;
    }

    /**
     * Returns the graph to the snapshot before an interrupted load, and prints a message on stderr. The embedded
     * database has undone the load's facts from its journal when it started; for an external Neo4j the load's
     * snapshot copy is restored here. Either way the edges are then derived again.
     */
    private static void finishRestoredLoad(GraphStore store) {
        String restored = new LoadService(store).finishRestoredLoad(stage -> { });
        if (restored != null) {
            System.err.println("nhigraph: " + restored);
        }
    }

    /**
     * Returns the default API token file: beside the embedded data directory and named after it with .api-tokens, so
     * that a backup of the graph's folder does not copy it. For an external Neo4j it is nhigraph.api-tokens in the
     * working directory.
     */
    Path tokenFileBesideData() {
        if (neo4jUri != null) {
            return Path.of("nhigraph.api-tokens");
        }
        Path dir = embeddedDataDir().toAbsolutePath().normalize();
        return dir.resolveSibling(dir.getFileName() + ".api-tokens");
    }

    /** Returns whether --data-dir or --neo4j-uri names a graph that outlives the command. */
    boolean persistent() {
        return dataDir != null || neo4jUri != null;
    }

    /**
     * Returns --data-dir, or the default, after checking that it is not a regular file.
     *
     * @throws BadInputException naming the path when it is an existing file
     */
    private Path embeddedDataDir() {
        Path dir = dataDir == null ? Path.of(DEFAULT_DATA_DIR) : dataDir;
        if (java.nio.file.Files.isRegularFile(dir)) {
            throw new BadInputException("--data-dir " + dir.toAbsolutePath().normalize() + " is a file, not a folder."
                    + " Give the folder of the embedded database: an existing graph, or a new folder that nhigraph"
                    + " creates, such as --data-dir " + DEFAULT_DATA_DIR + ".");
        }
        return dir;
    }

    private static AuthToken externalAuth(Path passwordFile) {
        String user = System.getenv("NEO4J_USER");
        String password = System.getenv("NEO4J_PASSWORD");
        if (passwordFile != null) {
            if (password != null) {
                throw new BadInputException("Both NEO4J_PASSWORD and --neo4j-password-file give a password. Give one.");
            }
            return AuthTokens.basic(user == null ? Neo4jPasswordFile.USER : user, Neo4jPasswordFile.read(passwordFile));
        }
        if (user == null && password == null) {
            return AuthTokens.none();
        }
        if (password == null) {
            throw new BadInputException("NEO4J_USER is set but NEO4J_PASSWORD is not. Set NEO4J_PASSWORD, or give"
                    + " --neo4j-password-file, or unset NEO4J_USER for a server without authentication.");
        }
        // The user defaults to neo4j, as it does with --neo4j-password-file.
        return AuthTokens.basic(user == null ? Neo4jPasswordFile.USER : user, password);
    }
}
