package dev.nhigraph.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.Record;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy of the graph's facts, written inside the transaction that stores a load's facts into an external Neo4j, so
 * that the next nhigraph that connects can return the graph to the previous snapshot if the load dies half way.
 *
 * <p>The embedded database journals only what a load changes ({@link LoadJournal}), from inside Neo4j's JVM. An
 * external server offers nothing of the kind over Bolt, so the facts transaction first reads every fact node and
 * relationship as it is before the load writes, and stores them as JSON in {@value #LABEL} nodes. Those commit with
 * the facts or not at all. A finished load deletes them.
 *
 * <p>{@link #restore} deletes every node but the marker and the copy, creates the copied ones again, and marks the
 * marker {@code restored}; the caller then derives the edges. It runs in several transactions, and starts over from
 * the copy when it is itself interrupted, because the copy stays untouched until the marker is {@code restored}.
 *
 * <p>NOTE: the copy is the whole fact graph, so each load into an external Neo4j reads and stores it once more in
 * its facts transaction: that transaction then needs about twice the memory on the server.
 */
public final class SnapshotCopy {

    /** The label of the nodes that hold the copy. */
    public static final String LABEL = "LoadUndoCopy";

    private static final String RESTORING = "LoadRestoring";
    private static final int CHUNK_CHARS = 4_000_000;
    private static final int ROWS_PER_STATEMENT = 1_000;
    private static final int DELETES_PER_TRANSACTION = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, Object>>> ROWS = new TypeReference<>() {
    };
    private static final Logger log = LoggerFactory.getLogger(SnapshotCopy.class);

    private SnapshotCopy() {
    }

    /**
     * Deletes any earlier copy and writes one of the graph as it is now, in the caller's transaction, tagged with
     * {@code snapshot}. Call it before the load writes its first fact.
     *
     * @return the number of nodes and relationships copied
     */
    public static int write(TransactionContext tx, String snapshot) {
        tx.run("MATCH (c:" + LABEL + ") DELETE c").consume();
        List<String> chunks = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        int nodes = copy(tx, """
                MATCH (n) WHERE NOT n:LoadInProgress AND NOT n:%s AND none(l IN labels(n) WHERE l IN $derivedLabels)
                RETURN elementId(n) AS key, labels(n) AS labels, properties(n) AS properties""".formatted(LABEL),
                "nodes", chunks, kinds);
        int relationships = copy(tx, """
                MATCH (a)-[r]->(b)
                WHERE NOT type(r) IN $derivedTypes AND NOT a:LoadInProgress AND NOT b:LoadInProgress
                  AND none(l IN labels(a) + labels(b) WHERE l IN $derivedLabels)
                RETURN elementId(a) AS start, elementId(b) AS end, type(r) AS type, properties(r) AS properties""",
                "relationships", chunks, kinds);
        for (int seq = 0; seq < chunks.size(); seq++) {
            tx.run("CREATE (:" + LABEL + " {snapshot: $snapshot, seq: $seq, chunks: $chunks, kind: $kind, rows: $rows})",
                    Values.parameters("snapshot", snapshot, "seq", seq, "chunks", chunks.size(), "kind", kinds.get(seq),
                            "rows", chunks.get(seq))).consume();
        }
        log.info("Snapshot copy: {} nodes and {} relationships copied for snapshot {} in {} chunks", nodes,
                relationships, shortId(snapshot), chunks.size());
        return nodes + relationships;
    }

    private static int copy(TransactionContext tx, String query, String kind, List<String> chunks, List<String> kinds) {
        List<Record> records = tx.run(query, Values.parameters("derivedLabels", List.copyOf(DerivedGraph.LABELS),
                "derivedTypes", List.copyOf(DerivedGraph.TYPES))).list();
        List<Map<String, Object>> rows = new ArrayList<>();
        int chars = 0;
        for (Record record : records) {
            Map<String, Object> row = record.asMap();
            rows.add(row);
            chars += 64 + String.valueOf(row.get("properties")).length();
            if (chars >= CHUNK_CHARS) {
                chunks.add(json(rows));
                kinds.add(kind);
                rows = new ArrayList<>();
                chars = 0;
            }
        }
        if (!rows.isEmpty()) {
            chunks.add(json(rows));
            kinds.add(kind);
        }
        return records.size();
    }

    /** Returns whether the graph contains a whole copy taken for {@code snapshot}. */
    public static boolean exists(GraphStore store, String snapshot) {
        return store.read(tx -> {
            Record counts = tx.run("MATCH (c:" + LABEL + " {snapshot: $snapshot}) RETURN count(c) AS found,"
                    + " max(c.chunks) AS expected", Values.parameters("snapshot", snapshot)).single();
            long found = counts.get("found").asLong();
            return found > 0 && found == counts.get("expected").asLong(0);
        });
    }

    /**
     * Replaces the graph with the copy taken for {@code snapshot}, except the LoadInProgress marker, which it marks
     * {@code restored}, and then deletes the copy.
     *
     * @return the number of nodes and relationships restored
     */
    public static int restore(GraphStore store, String snapshot) {
        long started = System.nanoTime();
        long deleted = Batches.deleteInTransactions(store, "MATCH (n) WHERE NOT n:LoadInProgress AND NOT n:" + LABEL
                + " WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS n", DELETES_PER_TRANSACTION);
        store.write(tx -> tx.run("CREATE INDEX nhigraph_restore_key IF NOT EXISTS FOR (n:" + RESTORING
                + ") ON (n.restoreKey)").consume());
        store.write(tx -> tx.run("CALL db.awaitIndexes(300)").consume());

        List<Record> chunks = store.read(tx -> tx.run("MATCH (c:" + LABEL + " {snapshot: $snapshot}) RETURN c.kind AS kind,"
                + " c.seq AS seq ORDER BY seq", Values.parameters("snapshot", snapshot)).list());
        int restored = 0;
        for (String kind : List.of("nodes", "relationships")) {
            for (Record chunk : chunks) {
                if (!kind.equals(chunk.get("kind").asString())) {
                    continue;
                }
                long seq = chunk.get("seq").asLong();
                restored += store.write(tx -> {
                    String text = tx.run("MATCH (c:" + LABEL + " {snapshot: $snapshot, seq: $seq}) RETURN c.rows AS rows",
                            Values.parameters("snapshot", snapshot, "seq", seq)).single().get("rows").asString();
                    List<Map<String, Object>> rows = rows(text);
                    if (kind.equals("nodes")) {
                        createNodes(tx, rows);
                    } else {
                        createRelationships(tx, rows);
                    }
                    return rows.size();
                });
            }
        }

        Batches.deleteInTransactions(store, "MATCH (n:" + RESTORING + ") WITH n LIMIT $limit REMOVE n:" + RESTORING
                + ", n.restoreKey RETURN count(*) AS n", DELETES_PER_TRANSACTION);
        store.write(tx -> tx.run("MATCH (m:LoadInProgress) SET m.restored = true, m.restoredAt = $now",
                Values.parameters("now", java.time.Instant.now().toString())).consume());
        delete(store);
        store.write(tx -> tx.run("DROP INDEX nhigraph_restore_key IF EXISTS").consume());
        log.info("Snapshot copy of snapshot {} restored: {} nodes deleted, {} nodes and relationships created again in {} ms",
                shortId(snapshot), deleted, restored, (System.nanoTime() - started) / 1_000_000);
        return restored;
    }

    /** Deletes the copy, in transactions of a few chunks, once a load has finished or the copy has been restored. */
    public static void delete(GraphStore store) {
        Batches.deleteInTransactions(store, "MATCH (c:" + LABEL + ") WITH c LIMIT $limit DELETE c RETURN count(*) AS n", 4);
    }

    /** Creates the nodes of one chunk, one statement per set of labels, since Cypher cannot take labels as parameters. */
    private static void createNodes(TransactionContext tx, List<Map<String, Object>> rows) {
        Map<String, List<Map<String, Object>>> byLabels = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            StringBuilder labels = new StringBuilder(":" + RESTORING);
            for (Object label : (List<?>) row.get("labels")) {
                labels.append(':').append(quoted(String.valueOf(label)));
            }
            byLabels.computeIfAbsent(labels.toString(), l -> new ArrayList<>()).add(row);
        }
        byLabels.forEach((labels, group) -> unwind(tx, "UNWIND $rows AS row CREATE (n" + labels + ")"
                + " SET n = row.properties, n.restoreKey = row.key", group));
    }

    private static void createRelationships(TransactionContext tx, List<Map<String, Object>> rows) {
        Map<String, List<Map<String, Object>>> byType = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            byType.computeIfAbsent(String.valueOf(row.get("type")), t -> new ArrayList<>()).add(row);
        }
        byType.forEach((type, group) -> unwind(tx, "UNWIND $rows AS row"
                + " MATCH (a:" + RESTORING + " {restoreKey: row.start}) MATCH (b:" + RESTORING + " {restoreKey: row.end})"
                + " CREATE (a)-[r:" + quoted(type) + "]->(b) SET r = row.properties", group));
    }

    private static void unwind(TransactionContext tx, String cypher, List<Map<String, Object>> rows) {
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            tx.run(cypher, Map.of("rows", rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT)))).consume();
        }
    }

    /** Returns a label or type in backticks, with backticks inside doubled, as Cypher escapes them. */
    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static String json(List<Map<String, Object>> rows) {
        try {
            return JSON.writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Failed to write the snapshot copy: " + e.getMessage(), e);
        }
    }

    private static List<Map<String, Object>> rows(String text) {
        try {
            return JSON.readValue(text, ROWS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The snapshot copy in the graph cannot be read: " + e.getMessage(), e);
        }
    }

    private static String shortId(String snapshot) {
        return snapshot.length() > 12 ? snapshot.substring(0, 12) : snapshot;
    }
}
