package dev.nhigraph.testsupport;

import dev.nhigraph.db.GraphStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A digest of a whole graph, to tell whether two graphs are the same snapshot. It gives the node counts by labels
 * and the relationship counts by type. It adds a SHA-256 over every node's labels, id and properties and every
 * relationship's type, end ids and properties.
 *
 * <p>The Snapshot, SnapshotDigest and LoadInProgress nodes are left out, because they carry the times of loads. So
 * are the LoadUndoCopy nodes, which exist only while a load into an external Neo4j runs or after it died.
 */
public final class GraphFingerprint {

    private GraphFingerprint() {
    }

    public static String of(GraphStore store) {
        List<String> entries = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        store.read(tx -> {
            tx.run("""
                    MATCH (n) WHERE NOT n:Snapshot AND NOT n:LoadInProgress AND NOT n:SnapshotDigest AND NOT n:LoadUndoCopy
                    RETURN reduce(s = '', label IN labels(n) | s + ':' + label) AS labels, coalesce(n.id, '') AS id,
                           properties(n) AS properties""")
                    .forEachRemaining(r -> {
                        entries.add(r.get("labels").asString() + " " + r.get("id").asString() + " "
                                + sorted(r.get("properties").asMap()));
                        counts.merge(r.get("labels").asString(), 1, Integer::sum);
                    });
            tx.run("""
                    MATCH (a)-[r]->(b) WHERE NOT a:Snapshot AND NOT a:SnapshotDigest
                    RETURN type(r) AS type, coalesce(a.id, '') AS source, coalesce(b.id, '') AS target,
                           properties(r) AS properties""")
                    .forEachRemaining(r -> {
                        entries.add("[" + r.get("type").asString() + "] " + r.get("source").asString() + " -> "
                                + r.get("target").asString() + " " + sorted(r.get("properties").asMap()));
                        counts.merge("[" + r.get("type").asString() + "]", 1, Integer::sum);
                    });
            return null;
        });
        entries.sort(null);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            entries.forEach(entry -> digest.update((entry + "\n").getBytes(StandardCharsets.UTF_8)));
            return counts + " sha256:" + HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the properties in key order with lists spelled out, so that equal maps give equal text. */
    private static String sorted(Map<String, Object> properties) {
        Map<String, String> ordered = new TreeMap<>();
        properties.forEach((key, value) -> ordered.put(key, value instanceof List<?> list ? list.toString() : String.valueOf(value)));
        return ordered.toString();
    }
}
