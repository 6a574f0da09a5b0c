package dev.nhigraph.query;

import dev.nhigraph.db.GraphStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neo4j.driver.AccessMode;
import org.neo4j.driver.Record;
import org.neo4j.driver.Result;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.summary.ResultSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an analyst's Cypher against the graph so that it can only read, within a time and row budget.
 *
 * <p>Three layers stop a query that would change anything: {@link CypherGuard#checkText} on the text,
 * {@link CypherGuard#checkPlan} on Neo4j's EXPLAIN of it, and a session in READ access mode for both the EXPLAIN and
 * the run, in which Neo4j rejects any write. The run's transaction carries a timeout, after which Neo4j stops it, and
 * at most {@code maxRows} rows are read; the rest are discarded on the server.
 *
 * <p>NOTE: Neo4j Community has no per-query memory limit that a client can set, so a query that builds a large
 * result in memory (ORDER BY or collect() over a huge cartesian product) uses heap until the timeout stops it.
 */
public final class ReadOnlyCypher {

    public static final int DEFAULT_MAX_ROWS = 1_000;
    public static final int DEFAULT_TIMEOUT_SECONDS = 10;

    private static final Logger log = LoggerFactory.getLogger(ReadOnlyCypher.class);
    private static final SessionConfig READ = SessionConfig.builder().withDefaultAccessMode(AccessMode.READ).build();
    /** The prefix that plans a query before it runs, so that the plan can be checked. */
    private static final String EXPLAIN = "EXPLAIN ";
    private static final Pattern POSITION = Pattern.compile("\\(line (\\d+), column (\\d+) \\(offset: (\\d+)\\)\\)");

    private final GraphStore store;

    public ReadOnlyCypher(GraphStore store) {
        this.store = store;
    }

    /**
     * Checks and runs {@code query}.
     *
     * @throws RejectedQueryException when a check rejects it, Neo4j finds it invalid, or it runs past the timeout
     */
    public CypherAnswer run(String query, Map<String, Object> parameters, int maxRows, int timeoutSeconds) {
        CypherGuard.checkText(query);
        Map<String, Object> values = parameters == null ? Map.of() : parameters;
        TransactionConfig config = TransactionConfig.builder()
                .withTimeout(Duration.ofSeconds(timeoutSeconds))
                .withMetadata(Map.of("app", "nhigraph-analyst-query"))
                .build();
        try (Session session = store.session(READ)) {
            ResultSummary explained;
            try {
                explained = session.executeRead(tx -> tx.run(EXPLAIN + query, values).consume(), config);
            } catch (Neo4jException e) {
                throw rejected(e, timeoutSeconds, EXPLAIN.length());
            }
            CypherGuard.checkPlan(explained);
            return session.executeRead(tx -> read(tx.run(query, values), maxRows, timeoutSeconds), config);
        } catch (Neo4jException e) {
            throw rejected(e, timeoutSeconds, 0);
        }
    }

    /**
     * Returns Neo4j's message about {@code EXPLAIN QUERY} as if it were about the query alone: the quoted text, the
     * caret under it (for an error on the first line) and the position "(line L, column C (offset: O))" without the
     * prefix of {@code prefixLength} characters, so that the column counts in the text the analyst wrote.
     */
    static String withoutPrefix(String message, int prefixLength) {
        if (prefixLength == 0 || message == null) {
            return message;
        }
        Matcher position = POSITION.matcher(message);
        StringBuilder shifted = new StringBuilder();
        boolean onFirstLine = false;
        while (position.find()) {
            int line = Integer.parseInt(position.group(1));
            onFirstLine |= line == 1;
            int column = Integer.parseInt(position.group(2));
            int offset = Integer.parseInt(position.group(3));
            int newColumn = line == 1 ? Math.max(1, column - prefixLength) : column;
            position.appendReplacement(shifted, "(line " + line + ", column " + newColumn + " (offset: "
                    + Math.max(0, offset - prefixLength) + "))");
        }
        position.appendTail(shifted);
        String text = shifted.toString().replace("\"" + EXPLAIN, "\"");
        String spaces = " ".repeat(prefixLength);
        StringBuilder lines = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            // Neo4j quotes only the line with the error, and only the first line carries the prefix.
            boolean caret = onFirstLine && line.trim().equals("^") && line.startsWith(spaces);
            lines.append(lines.length() == 0 ? "" : "\n").append(caret ? line.substring(prefixLength) : line);
        }
        return lines.toString();
    }

    private static CypherAnswer read(Result result, int maxRows, int timeoutSeconds) {
        List<String> columns = result.keys();
        CypherValues values = new CypherValues();
        List<Map<String, Object>> rows = new ArrayList<>();
        while (rows.size() < maxRows && result.hasNext()) {
            Record record = result.next();
            Map<String, Object> row = new LinkedHashMap<>();
            for (String column : columns) {
                row.put(column, values.convert(record.get(column)));
            }
            rows.add(row);
        }
        boolean truncated = result.hasNext();
        // Discards the rows past the cap on the server instead of streaming them here.
        result.consume();
        return new CypherAnswer(columns, rows, truncated, maxRows, timeoutSeconds,
                new CypherAnswer.Graph(values.nodes(), values.relationships()));
    }

    /**
     * Turns Neo4j's rejection into a message for the analyst. Errors of the statement itself (syntax, semantics,
     * types, missing parameters) keep Neo4j's text, because it points into the analyst's own query. Other errors get
     * a fixed sentence, and the cause goes to the log.
     */
    private static RejectedQueryException rejected(Neo4jException e, int timeoutSeconds, int prefixLength) {
        String code = e.code() == null ? "" : e.code();
        if (code.contains("TransactionTimedOut") || code.contains("Terminated")) {
            return new RejectedQueryException("timeout", "The query ran longer than the limit of " + timeoutSeconds
                    + " s and was stopped. Add a LIMIT, bound variable-length patterns such as [*1..4], or match fewer nodes.");
        }
        if (code.contains("Forbidden") || code.contains("AccessMode")) {
            return new RejectedQueryException("write", "Neo4j rejected the query in a read-only transaction: it would write"
                    + " to the graph, and analyst Cypher in nhigraph only reads.");
        }
        if (code.startsWith("Neo.ClientError.Statement.") || code.startsWith("Neo.ClientError.Procedure.")) {
            return new RejectedQueryException("invalid", "Neo4j rejected the query (" + code.substring(code.lastIndexOf('.') + 1)
                    + "): " + withoutPrefix(e.getMessage(), prefixLength));
        }
        log.warn("Analyst query rejected by Neo4j with {}", code, e);
        return new RejectedQueryException("invalid", "Neo4j rejected the query with " + code + ".");
    }
}
