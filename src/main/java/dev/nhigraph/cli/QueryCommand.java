package dev.nhigraph.cli;

import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.UnfinishedLoad;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.query.CypherAnswer;
import dev.nhigraph.query.ReadOnlyCypher;
import dev.nhigraph.query.SavedQueries;
import dev.nhigraph.query.SavedQuery;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Run read-only Cypher against the graph and print the rows.",
                "The query is checked as the API's /api/cypher checks it (no writes, no schema changes, no LOAD CSV,"
                        + " only schema-reading procedures) and runs in a read-only transaction."})
final class QueryCommand implements Callable<Integer> {

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
            super(SavedQueries.bundled().names());
        }
    }

    @Option(names = "--param", paramLabel = "KEY=VALUE",
            description = "A query parameter. For a saved query it is converted to the type its header declares; otherwise it is a string.")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print the rows as a JSON list of objects.")
    boolean json;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "10000",
            description = "Print at most N rows (default: ${DEFAULT-VALUE}); a note on stderr says when more were left out.")
    int maxRows;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Stop the query after this many seconds (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        Validation.range(maxRows, 1, 1_000_000, "--max-rows");
        Validation.range(timeoutSeconds, 1, 86_400, "--timeout");
        String cypher;
        Map<String, Object> values;
        SavedQuery saved = null;
        if (source.saved != null) {
            saved = SavedQueries.bundled().find(source.saved);
            cypher = saved.cypher();
            values = SavedQueries.parameters(saved, parameters);
        } else {
            cypher = source.cypher;
            values = new LinkedHashMap<>(parameters);
        }
        try (Database db = database.openExisting()) {
            db.onInterrupt(() -> Interruption.readMessage("query"));
            UnfinishedLoad.Marker unfinished = UnfinishedLoad.find(db.store());
            if (unfinished != null) {
                // An analyst may want to look at such a graph, so query warns where blast-radius and can reject it.
                System.err.println("warning: " + UnfinishedLoad.describe(unfinished) + " Its CAN_ASSUME, CAN_ACCESS"
                        + " and CAN_ESCALATE edges and administrator marks are missing or stale. " + UnfinishedLoad.WHAT_TO_DO);
            }
            if (saved != null && SavedQueries.takesPrincipal(saved)) {
                GraphService graph = new GraphService(db.store(), ActionCatalog.loadDefault());
                values = SavedQueries.resolvePrincipals(saved, values, reference -> GraphCommands.principal(graph, reference));
            }
            CypherAnswer answer = new ReadOnlyCypher(db.store()).run(cypher, values, maxRows, timeoutSeconds);
            print(answer);
            return 0;
        }
    }

    private void print(CypherAnswer answer) {
        if (answer.truncated()) {
            System.err.println("note: the query returned more than " + answer.maxRows() + " rows; only the first "
                    + answer.maxRows() + " are printed. Raise --max-rows or add a LIMIT.");
        }
        if (json) {
            System.out.println(Output.json(answer.rows()));
            return;
        }
        if (answer.rows().isEmpty()) {
            System.out.println("(no rows)");
            return;
        }
        System.out.println(String.join("\t", answer.columns()));
        for (Map<String, Object> row : answer.rows()) {
            List<String> cells = new ArrayList<>();
            answer.columns().forEach(column -> cells.add(cell(row.get(column))));
            System.out.println(String.join("\t", cells));
        }
        System.err.println(answer.rowCount() + (answer.rowCount() == 1 ? " row" : " rows"));
    }

    /** Returns a node as (:Label id), a relationship as [:TYPE], a path as its steps, and other values as text. */
    @SuppressWarnings("unchecked")
    static String cell(Object value) {
        if (value instanceof Map<?, ?> map && map.containsKey("elementId") && map.containsKey("labels")) {
            Map<String, Object> properties = (Map<String, Object>) map.get("properties");
            Object name = properties.getOrDefault("id", properties.getOrDefault("name", map.get("elementId")));
            return "(:" + String.join(":", (List<String>) map.get("labels")) + " " + name + ")";
        }
        if (value instanceof Map<?, ?> map && map.containsKey("elementId") && map.containsKey("type")) {
            return "[:" + map.get("type") + "]";
        }
        if (value instanceof Map<?, ?> map && map.containsKey("nodes") && map.containsKey("relationships")) {
            StringBuilder text = new StringBuilder();
            Iterator<?> nodes = ((List<?>) map.get("nodes")).iterator();
            Iterator<?> relationships = ((List<?>) map.get("relationships")).iterator();
            text.append(cell(nodes.next()));
            while (relationships.hasNext() && nodes.hasNext()) {
                text.append("-").append(cell(relationships.next())).append("-").append(cell(nodes.next()));
            }
            return text.toString();
        }
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(item -> items.add(cell(item)));
            return "[" + String.join(", ", items) + "]";
        }
        return String.valueOf(value);
    }
}
