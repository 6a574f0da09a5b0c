package dev.nhigraph.query;

import java.util.List;
import java.util.Map;

/**
 * The rows of one analyst query, with the limits it ran under.
 *
 * @param columns        the column names, in the query's RETURN order
 * @param rows           at most {@code maxRows} rows, each a map from column to a plain value (see {@link CypherValues})
 * @param truncated      true when the query had more rows than {@code maxRows}, which were not read
 * @param maxRows        the row cap this query ran with
 * @param timeoutSeconds the transaction timeout this query ran with
 * @param graph          the distinct nodes and relationships in the rows, for drawing; empty when the rows hold none
 */
public record CypherAnswer(List<String> columns, List<Map<String, Object>> rows, boolean truncated, int maxRows,
                           int timeoutSeconds, Graph graph) {

    /**
     * Nodes and relationships of the rows.
     *
     * @param nodes         each {@code {elementId, labels, properties}}
     * @param relationships each {@code {elementId, type, start, end, properties}}; only those whose two ends are in
     *                      {@code nodes}
     */
    public record Graph(List<Map<String, Object>> nodes, List<Map<String, Object>> relationships) {
    }

    public int rowCount() {
        return rows.size();
    }
}
