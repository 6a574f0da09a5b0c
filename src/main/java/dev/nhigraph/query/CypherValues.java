package dev.nhigraph.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.Value;
import org.neo4j.driver.types.Node;
import org.neo4j.driver.types.Path;
import org.neo4j.driver.types.Relationship;
import org.neo4j.driver.types.TypeSystem;

/**
 * Converts driver values into plain Java values that Jackson writes as JSON, and collects the nodes and
 * relationships found in them so that a client can draw the result.
 *
 * <p>A node becomes {@code {elementId, labels, properties}}, a relationship {@code {elementId, type, start, end,
 * properties}} with the element ids of its ends, and a path {@code {nodes, relationships}}. Dates, times and
 * durations become their ISO 8601 text, points their WKT-like text.
 */
final class CypherValues {

    private final Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> relationships = new LinkedHashMap<>();

    /** Returns the plain form of {@code value}, remembering every node and relationship in it. */
    Object convert(Value value) {
        if (value == null || value.isNull()) {
            return null;
        }
        TypeSystem types = org.neo4j.driver.types.TypeSystem.getDefault();
        if (value.hasType(types.NODE())) {
            return node(value.asNode());
        }
        if (value.hasType(types.RELATIONSHIP())) {
            return relationship(value.asRelationship());
        }
        if (value.hasType(types.PATH())) {
            return path(value.asPath());
        }
        if (value.hasType(types.LIST())) {
            List<Object> items = new ArrayList<>();
            value.values().forEach(item -> items.add(convert(item)));
            return items;
        }
        if (value.hasType(types.MAP())) {
            Map<String, Object> map = new LinkedHashMap<>();
            value.keys().forEach(key -> map.put(key, convert(value.get(key))));
            return map;
        }
        if (value.hasType(types.BOOLEAN()) || value.hasType(types.INTEGER()) || value.hasType(types.FLOAT())
                || value.hasType(types.STRING())) {
            return value.asObject();
        }
        if (value.hasType(types.BYTES())) {
            return value.asByteArray().length + " bytes";
        }
        // Temporal values, durations and points: their text form.
        return value.asObject().toString();
    }

    /** Returns the nodes met so far, each once, in the order first met. */
    List<Map<String, Object>> nodes() {
        return new ArrayList<>(nodes.values());
    }

    /** Returns the relationships met so far whose two ends are among {@link #nodes()}. */
    List<Map<String, Object>> relationships() {
        return relationships.values().stream()
                .filter(r -> nodes.containsKey((String) r.get("start")) && nodes.containsKey((String) r.get("end")))
                .toList();
    }

    private Map<String, Object> node(Node node) {
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("elementId", node.elementId());
        List<String> labels = new ArrayList<>();
        node.labels().forEach(labels::add);
        plain.put("labels", labels);
        plain.put("properties", properties(node.asMap(v -> v)));
        nodes.putIfAbsent(node.elementId(), plain);
        return plain;
    }

    private Map<String, Object> relationship(Relationship relationship) {
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("elementId", relationship.elementId());
        plain.put("type", relationship.type());
        plain.put("start", relationship.startNodeElementId());
        plain.put("end", relationship.endNodeElementId());
        plain.put("properties", properties(relationship.asMap(v -> v)));
        relationships.putIfAbsent(relationship.elementId(), plain);
        return plain;
    }

    private Map<String, Object> path(Path path) {
        List<Object> pathNodes = new ArrayList<>();
        path.nodes().forEach(node -> pathNodes.add(node(node)));
        List<Object> pathRelationships = new ArrayList<>();
        path.relationships().forEach(relationship -> pathRelationships.add(relationship(relationship)));
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("nodes", pathNodes);
        plain.put("relationships", pathRelationships);
        return plain;
    }

    private Map<String, Object> properties(Map<String, Value> properties) {
        Map<String, Object> plain = new LinkedHashMap<>();
        properties.forEach((key, value) -> plain.put(key, convert(value)));
        return plain;
    }
}
