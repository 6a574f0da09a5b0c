package dev.nhigraph.db;

import dev.nhigraph.BadInputException;
import dev.nhigraph.NhigraphException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionCallback;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.TransientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way nhigraph talks to Neo4j: a Bolt driver with read and write transaction functions.
 *
 * <p>The same class serves the embedded database and an external server or cluster, so an analyst's
 * Cypher, the API and the reports all read the same graph through the same path.
 */
public final class GraphStore implements AutoCloseable {

    /** Schema files applied at every start, in this order; each statement in them is idempotent. */
    static final List<String> SCHEMA_FILES = List.of("cypher/schema/constraints.cypher", "cypher/schema/indexes.cypher",
            "cypher/schema/organizations.cypher", "cypher/schema/gcp.cypher");

    private static final Logger log = LoggerFactory.getLogger(GraphStore.class);

    /** How long {@link #applySchema} waits for new indexes to come online before Neo4j raises an error. */
    static final long INDEX_WAIT_SECONDS = 600;

    private final Driver driver;
    private final String uri;
    private volatile boolean snapshotCopy;
    private volatile BooleanSupplier undoUnfinishedLoad;
    private volatile LongSupplier commits;

    private GraphStore(Driver driver, String uri) {
        this.driver = driver;
        this.uri = uri;
    }

    /**
     * Connects to the Neo4j at {@code uri} and checks that it responds.
     *
     * @param auth {@link AuthTokens#none()} for the embedded database
     * @throws NhigraphException naming the URI when the server cannot be reached or rejects the credentials
     */
    public static GraphStore connect(String uri, AuthToken auth) {
        Config config = Config.builder()
                .withLogging(org.neo4j.driver.Logging.slf4j())
                .build();
        Driver driver;
        try {
            driver = GraphDatabase.driver(uri, auth, config);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("Invalid Neo4j URI \"" + uri + "\": " + Messages.sentence(e.getMessage())
                    + " Give it as bolt://HOST:PORT or neo4j://HOST:PORT, for example bolt://127.0.0.1:7687.", e);
        }
        try {
            driver.verifyConnectivity();
        } catch (AuthenticationException e) {
            driver.close();
            throw new CredentialsRejectedException("Neo4j at " + uri + " rejected the credentials: "
                    + Messages.sentence(e.getMessage()) + " Set NEO4J_USER and NEO4J_PASSWORD, or give"
                    + " --neo4j-password-file, such as the DATA_DIR.neo4j-password file of a running nhigraph serve.", e);
        } catch (ServiceUnavailableException e) {
            driver.close();
            throw new NhigraphException("Neo4j at " + uri + " is not reachable: " + Messages.sentence(e.getMessage())
                    + " Start the server (see docker-compose.yml) or leave out --neo4j-uri to use the embedded database.", e);
        } catch (RuntimeException e) {
            driver.close();
            throw new NhigraphException("Failed to connect to Neo4j at " + uri + ": " + Messages.sentence(e.getMessage()), e);
        }
        log.info("Connected to Neo4j at {}", uri);
        return new GraphStore(driver, uri);
    }

    /** Runs {@code work} in a read transaction, retried by the driver on transient errors. */
    public <T> T read(TransactionCallback<T> work) {
        try (Session session = driver.session()) {
            return session.executeRead(work);
        }
    }

    /** Runs {@code work} in one write transaction: it commits whole or not at all. */
    public <T> T write(TransactionCallback<T> work) {
        try (Session session = driver.session()) {
            return session.executeWrite(work);
        } catch (TransientException e) {
            if (e.getMessage() != null && e.getMessage().contains("memory")) {
                // Retrying cannot help: the same transaction needs the same memory again. Nothing was committed.
                throw new NhigraphException("Neo4j rejected a write transaction for lack of memory, so nothing of it"
                        + " was stored: " + e.getMessage() + ". Give the JVM more heap (java -Xmx12g -jar nhigraph.jar ...)"
                        + " or load fewer accounts at once.", e);
            }
            throw e;
        }
    }

    /** Opens a session for callers that need one directly, such as the read-only analyst query. */
    public Session session(SessionConfig config) {
        return driver.session(config);
    }

    /** Creates the constraints and indexes of {@code cypher/schema}; running it again changes nothing. */
    public void applySchema() {
        List<String> statements = new ArrayList<>();
        for (String file : SCHEMA_FILES) {
            statements.addAll(CypherFiles.statements(readResource(file)));
        }
        try (Session session = driver.session()) {
            for (String statement : statements) {
                session.run(statement).consume();
            }
            // Some loader queries force an index with USING INDEX, and Neo4j 5 rejects a query on an index that is
            // still populating (status 51N63), as a new index on a large external database can be.
            session.run("CALL db.awaitIndexes($seconds)", Map.of("seconds", INDEX_WAIT_SECONDS)).consume();
        }
        log.info("Applied {} schema statements to {}", statements.size(), uri);
    }

    public String uri() {
        return uri;
    }

    /**
     * Makes each load keep a {@link SnapshotCopy} of the facts in the graph until it finishes, so that a load that
     * dies half way can be undone. For an external Neo4j: the embedded one journals its loads itself.
     */
    public GraphStore keepSnapshotCopy() {
        this.snapshotCopy = true;
        return this;
    }

    /**
     * Sets how this store undoes the stored facts of a load that fails before it finishes: the embedded database
     * applies its {@link LoadJournal}. The supplier returns whether it undid them.
     */
    public GraphStore undoUnfinishedLoadWith(BooleanSupplier undo) {
        this.undoUnfinishedLoad = undo;
        return this;
    }

    /**
     * Undoes the stored facts of a load that stopped before it finished, when {@link #undoUnfinishedLoadWith} set an
     * undo for this store.
     *
     * @return whether the facts are the previous snapshot's again
     */
    public boolean undoUnfinishedLoad() {
        BooleanSupplier undo = undoUnfinishedLoad;
        return undo != null && undo.getAsBoolean();
    }

    /**
     * Sets where this store reads how many write transactions its database has committed: the embedded database
     * counts them in its own JVM. Readers may then skip a query when nothing was written since their last one.
     */
    public GraphStore countCommitsWith(LongSupplier commits) {
        this.commits = commits;
        return this;
    }

    /** Returns the number of write transactions committed so far, or -1 when this store cannot tell (an external Neo4j). */
    public long commitCount() {
        LongSupplier counter = commits;
        return counter == null ? -1 : counter.getAsLong();
    }

    /** Returns whether loads keep a {@link SnapshotCopy}; see {@link #keepSnapshotCopy()}. */
    public boolean keepsSnapshotCopy() {
        return snapshotCopy;
    }

    @Override
    public void close() {
        driver.close();
    }

    static String readResource(String path) {
        try (InputStream in = GraphStore.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new NhigraphException("Resource " + path + " is missing from the build; rebuild with mvn package.");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NhigraphException("Failed to read resource " + path + ": " + e.getMessage(), e);
        }
    }

    /** Neo4j rejected the user name or password, as opposed to being unreachable. */
    public static final class CredentialsRejectedException extends NhigraphException {

        CredentialsRejectedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
