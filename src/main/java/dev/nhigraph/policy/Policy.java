package dev.nhigraph.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed IAM policy: its identity in the graph and its statements.
 *
 * @param id   the policy ARN, or the inline id "OWNER_ARN#inline/NAME", or "OWNER_ARN#trust" for a trust policy
 * @param name the policy name as AWS shows it
 * @param kind managed, aws-managed, inline or trust
 */
public record Policy(String id, String name, String kind, List<Statement> statements) {

    /**
     * Parses a document that {@link PolicyDocuments#invalidReason} accepted.
     *
     * @throws IllegalArgumentException when the document is not a policy
     */
    public static Policy parse(String id, String name, String kind, String documentJson) {
        JsonNode document = PolicyDocuments.decode(PolicyDocuments.JSON.getNodeFactory().textNode(documentJson));
        String reason = PolicyDocuments.invalidReason(document);
        if (reason != null) {
            throw new IllegalArgumentException("policy " + id + " is not a valid IAM policy: " + reason);
        }
        JsonNode statementNode = document.get("Statement");
        List<JsonNode> nodes = new ArrayList<>();
        if (statementNode.isArray()) {
            statementNode.forEach(nodes::add);
        } else {
            nodes.add(statementNode);
        }
        List<Statement> statements = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            statements.add(statement(i, nodes.get(i)));
        }
        return new Policy(id, name, kind, List.copyOf(statements));
    }

    private static Statement statement(int index, JsonNode node) {
        boolean notAction = node.has("NotAction");
        boolean notResource = node.has("NotResource");
        boolean notPrincipal = node.has("NotPrincipal");
        JsonNode condition = node.get("Condition");
        return new Statement(index,
                node.hasNonNull("Sid") ? node.get("Sid").asText() : null,
                "Allow".equals(node.path("Effect").asText()),
                strings(node.get(notAction ? "NotAction" : "Action")), notAction,
                strings(node.get(notResource ? "NotResource" : "Resource")), notResource,
                principals(node.get(notPrincipal ? "NotPrincipal" : "Principal")), notPrincipal,
                condition == null || condition.isNull() ? null : condition);
    }

    private static List<String> strings(JsonNode value) {
        List<String> values = new ArrayList<>();
        if (value == null || value.isNull()) {
            return values;
        }
        if (value.isArray()) {
            value.forEach(item -> values.add(item.asText()));
        } else {
            values.add(value.asText());
        }
        return List.copyOf(values);
    }

    private static Map<String, List<String>> principals(JsonNode value) {
        Map<String, List<String>> principals = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return principals;
        }
        if (value.isTextual()) {
            principals.put("*", List.of(value.asText()));
            return principals;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            principals.put(field.getKey(), strings(field.getValue()));
        }
        return principals;
    }
}
