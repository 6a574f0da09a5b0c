package dev.nhigraph.testsupport;

import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.api.ApiServer;
import dev.nhigraph.api.ServerLimits;
import dev.nhigraph.api.ServerSettings;
import dev.nhigraph.db.EmbeddedNeo4j;
import dev.nhigraph.db.GraphStore;
import dev.nhigraph.policy.ActionCatalog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The real embedded Neo4j, started once per test JVM (it takes about 5 s) and shared by every test class.
 *
 * <p>Test classes run one after another, and each one that depends on the graph's content calls {@link #reset()}
 * first. The database is stopped by a shutdown hook when the JVM ends.
 */
public final class SharedGraph {

    /** The real export bundled with the demo. */
    public static final Path SAMPLE = Path.of("src/main/resources/samples/iam-vulnerable-authorization-details.json");

    private static EmbeddedNeo4j neo4j;
    private static GraphStore store;

    private SharedGraph() {
    }

    /** Returns the store of the shared database, starting it on first use. */
    public static synchronized GraphStore store() {
        if (store == null) {
            neo4j = EmbeddedNeo4j.startTemporary(0);
            // As the commands do, so that every test of the server and the graph service runs with the commit count.
            store = GraphStore.connect(neo4j.boltUri(), neo4j.authToken()).countCommitsWith(neo4j::commits);
            store.applySchema();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                store.close();
                neo4j.close();
            }));
            neo4j.handOverShutdown();
        }
        return store;
    }

    /** Returns the Bolt URI of the shared database, for tests that go through --neo4j-uri. */
    public static String boltUri() {
        store();
        return neo4j.boltUri();
    }

    /** Returns the Bolt password file of the shared database, for tests that go through --neo4j-password-file. */
    public static String passwordFile() {
        store();
        return neo4j.passwordFile().toString();
    }

    /** Returns the credentials that the shared database's Bolt connector accepts. */
    public static org.neo4j.driver.AuthToken authToken() {
        store();
        return neo4j.authToken();
    }

    /** Deletes every node and relationship; constraints and indexes stay. */
    public static void reset() {
        store().write(tx -> tx.run("MATCH (n) DETACH DELETE n").consume());
    }

    /** Empties the graph and loads {@code files}. */
    public static LoadResult resetAndLoad(Path... files) {
        reset();
        return new LoadService(store()).load(List.of(files), stage -> { });
    }

    public static GraphService graphService() {
        return new GraphService(store(), ActionCatalog.loadDefault());
    }

    /** Starts the HTTP server over the shared database on 127.0.0.1 and a free port; close it after the test. */
    public static ApiServer startServer() {
        return startServer(ServerLimits.defaults());
    }

    /** Starts the server as {@link #startServer()} does, with other limits; the tokens are {@link TestTokens}. */
    public static ApiServer startServer(ServerLimits limits) {
        return startServer(limits, null);
    }

    /** Starts the server as {@link #startServer()} does, listing the findings reports of {@code reportDir}. */
    public static ApiServer startServer(ServerLimits limits, Path reportDir) {
        ServerSettings settings = new ServerSettings(TestTokens.apiTokens(), null, limits, null, reportDir);
        return new ApiServer(graphService(), settings).start("127.0.0.1", 0);
    }

    /** Returns the number of nodes per label and of relationships per type, for before/after comparisons. */
    public static Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        store().read(tx -> {
            tx.run("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS c")
                    .forEachRemaining(r -> counts.put(":" + r.get("label").asString(), r.get("c").asLong()));
            tx.run("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS c")
                    .forEachRemaining(r -> counts.put("[" + r.get("type").asString() + "]", r.get("c").asLong()));
            return null;
        });
        return counts;
    }

    /** Returns the count of the Cypher pattern in {@code query}, which must return one column named c. */
    public static long count(String query, Object... parameters) {
        return store().read(tx -> tx.run(query, org.neo4j.driver.Values.parameters(parameters)).single().get("c").asLong());
    }
}
