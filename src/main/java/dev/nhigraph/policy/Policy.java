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
 * @param id      the policy ARN, or the inline id "OWNER_ARN#inline/NAME", or "OWNER_ARN#trust" for a trust policy
 * @param name    the policy name as AWS shows it
 * @param kind    managed, aws-managed, inline, boundary, trust, resource, scp or rcp
 * @param version the Version element; a document without one is read as 2008-10-17, as AWS does, so policy
 *                variables in it are literal text
 */
public record Policy(String id, String name, String kind, List<Statement> statements, String version) {

    public static final String VERSION_2012 = "2012-10-17";

    public Policy(String id, String name, String kind, List<Statement> statements) {
        this(id, name, kind, statements, VERSION_2012);
    }

    /** Returns the same policy under another kind, such as a managed policy used as a permissions boundary. */
    public Policy withKind(String newKind) {
        return new Policy(id, name, newKind, statements, version);
    }

    /** Tells whether {@code ${...}} in this policy is a policy variable (version 2012-10-17 only). */
    public boolean policyVariables() {
        return VERSION_2012.equals(version);
    }

    /**
     * Parses a document that {@link PolicyDocuments#invalidReason} accepted.
     *
     * @throws IllegalArgumentException when the document is not a policy
     */
    public static Policy parse(String id, String name, String kind, String documentJson) {
        JsonNode document;
        try {
            document = PolicyDocuments.decode(PolicyDocuments.JSON.getNodeFactory().textNode(documentJson));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("policy " + id + " is not a valid IAM policy: " + e.getMessage(), e);
        }
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
        return new Policy(id, name, kind, List.copyOf(statements), document.path("Version").asText("2008-10-17"));
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
