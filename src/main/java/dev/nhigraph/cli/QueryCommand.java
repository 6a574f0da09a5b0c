package dev.nhigraph.cli;

import dev.nhigraph.BadInputException;
import dev.nhigraph.analysis.UnfinishedLoad;
import dev.nhigraph.db.CypherFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neo4j.driver.AccessMode;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.exceptions.ClientException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Run read-only Cypher against the graph and print the rows.",
                "The session is opened in read mode, so a query that writes is rejected by Neo4j."})
final class QueryCommand implements Callable<Integer> {

    static final List<String> SAVED = List.of("principals-by-kind", "cross-account-trust", "admin-policies", "federated-any-subject",
            "gcp-administrators", "gcp-user-managed-keys", "gcp-public-bindings");

    @ArgGroup(multiplicity = "1")
    QuerySource source;

    static final class QuerySource {
        @Parameters(paramLabel = "CYPHER", description = "The Cypher query; use $name for parameters given with --param.")
        String cypher;

        @Option(names = "--saved", paramLabel = "NAME", description = "Run a saved query of cypher/queries: ${COMPLETION-CANDIDATES}.",
                completionCandidates = SavedNames.class)
        String saved;
    }

    static final class SavedNames extends ArrayList<String> {
        SavedNames() {
            super(SAVED);
        }
    }

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "A query parameter, as a string.")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print the rows as a JSON list of objects.")
    boolean json;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        String cypher = source.cypher != null ? source.cypher : savedQuery(source.saved);
        try (Database db = database.openExisting();
             Session session = db.store().session(SessionConfig.builder().withDefaultAccessMode(AccessMode.READ).build())) {
            db.onInterrupt(() -> Interruption.readMessage("query"));
            UnfinishedLoad.Marker unfinished = UnfinishedLoad.find(db.store());
            if (unfinished != null) {
                // An analyst may want to look at such a graph, so query warns where blast-radius and can reject it.
                System.err.println("warning: " + UnfinishedLoad.describe(unfinished) + " Its CAN_ASSUME, CAN_ACCESS"
                        + " and CAN_ESCALATE edges and administrator marks are missing or stale; load the files again.");
            }
            List<Map<String, Object>> rows = session.executeRead(tx -> tx.run(cypher, new LinkedHashMap<String, Object>(parameters))
                    .list(Record::asMap));
            print(rows);
            return 0;
        } catch (ClientException e) {
            throw new BadInputException("Neo4j rejected the query: " + e.getMessage(), e);
        }
    }

    private void print(List<Map<String, Object>> rows) {
        if (json) {
            System.out.println(Output.json(rows));
            return;
        }
        if (rows.isEmpty()) {
            System.out.println("(no rows)");
            return;
        }
        List<String> columns = new ArrayList<>(rows.get(0).keySet());
        System.out.println(String.join("\t", columns));
        for (Map<String, Object> row : rows) {
            List<String> cells = new ArrayList<>();
            columns.forEach(column -> cells.add(String.valueOf(row.get(column))));
            System.out.println(String.join("\t", cells));
        }
        System.err.println(rows.size() + (rows.size() == 1 ? " row" : " rows"));
    }

    /** Returns the text of a saved query from the classpath copy of {@code cypher/queries}. */
    static String savedQuery(String name) {
        if (!SAVED.contains(name)) {
            throw new BadInputException("No saved query \"" + name + "\". Saved queries: " + String.join(", ", SAVED) + ".");
        }
        String path = "cypher/queries/" + name + ".cypher";
        try (InputStream in = QueryCommand.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new BadInputException("Saved query " + path + " is missing from the build; rebuild with mvn package.");
            }
            return CypherFiles.body(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BadInputException("Failed to read saved query " + path + ": " + e.getMessage(), e);
        }
    }
}
