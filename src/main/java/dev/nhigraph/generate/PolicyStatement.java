package dev.nhigraph.generate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A builder of one IAM policy statement. It writes the elements in the order the IAM console and the AWS
 * documentation use (Sid, Effect, Principal, Action, Resource, Condition), a single value as a string and
 * several as a list.
 */
final class PolicyStatement {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String VERSION = "2012-10-17";

    private final String effect;
    private String sid;
    private final Map<String, List<String>> principals = new LinkedHashMap<>();
    private boolean anyPrincipal;
    private List<String> actions = List.of();
    private boolean notAction;
    private List<String> resources = List.of();
    private boolean notResource;
    private final Map<String, Map<String, List<String>>> conditions = new LinkedHashMap<>();

    private PolicyStatement(String effect) {
        this.effect = effect;
    }

    static PolicyStatement allow() {
        return new PolicyStatement("Allow");
    }

    static PolicyStatement deny() {
        return new PolicyStatement("Deny");
    }

    PolicyStatement sid(String value) {
        sid = value;
        return this;
    }

    /** Adds principals of one type: AWS, Service or Federated. */
    PolicyStatement principal(String type, String... values) {
        principals.computeIfAbsent(type, key -> new ArrayList<>()).addAll(List.of(values));
        return this;
    }

    /** Sets {@code "Principal": "*"}. */
    PolicyStatement anyPrincipal() {
        anyPrincipal = true;
        return this;
    }

    PolicyStatement actions(String... values) {
        return actions(List.of(values));
    }

    PolicyStatement actions(List<String> values) {
        actions = List.copyOf(values);
        notAction = false;
        return this;
    }

    PolicyStatement notActions(String... values) {
        actions = List.of(values);
        notAction = true;
        return this;
    }

    PolicyStatement resources(String... values) {
        return resources(List.of(values));
    }

    PolicyStatement resources(List<String> values) {
        resources = List.copyOf(values);
        notResource = false;
        return this;
    }

    PolicyStatement notResources(String... values) {
        resources = List.of(values);
        notResource = true;
        return this;
    }

    /** Adds one condition test; tests under the same operator share its block. */
    PolicyStatement condition(String operator, String key, String... values) {
        conditions.computeIfAbsent(operator, k -> new LinkedHashMap<>()).put(key, List.of(values));
        return this;
    }

    boolean hasCondition() {
        return !conditions.isEmpty();
    }

    ObjectNode build() {
        ObjectNode node = NODES.objectNode();
        if (sid != null) {
            node.put("Sid", sid);
        }
        node.put("Effect", effect);
        if (anyPrincipal) {
            node.put("Principal", "*");
        } else if (!principals.isEmpty()) {
            ObjectNode principal = node.putObject("Principal");
            principals.forEach((type, values) -> principal.set(type, values(values)));
        }
        node.set(notAction ? "NotAction" : "Action", values(actions));
        if (!resources.isEmpty()) {
            node.set(notResource ? "NotResource" : "Resource", values(resources));
        }
        if (!conditions.isEmpty()) {
            ObjectNode condition = node.putObject("Condition");
            conditions.forEach((operator, tests) -> {
                ObjectNode block = condition.putObject(operator);
                tests.forEach((key, values) -> block.set(key, values(values)));
            });
        }
        return node;
    }

    /** Returns a policy document with {@code statements}. */
    static ObjectNode document(List<ObjectNode> statements) {
        ObjectNode document = NODES.objectNode();
        document.put("Version", VERSION);
        ArrayNode list = document.putArray("Statement");
        statements.forEach(list::add);
        return document;
    }

    static ObjectNode document(ObjectNode... statements) {
        return document(List.of(statements));
    }

    private static com.fasterxml.jackson.databind.JsonNode values(List<String> values) {
        if (values.size() == 1) {
            return NODES.textNode(values.get(0));
        }
        ArrayNode list = NODES.arrayNode();
        values.forEach(list::add);
        return list;
    }
}
