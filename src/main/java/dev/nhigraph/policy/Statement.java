package dev.nhigraph.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One statement of an IAM policy, with every field normalised to a list.
 *
 * @param index      the position of the statement in its policy, from 0
 * @param sid        the Sid, or null
 * @param allow      true for Effect Allow, false for Deny
 * @param actions    the Action patterns, or the NotAction patterns when {@code notAction} is true
 * @param resources  the Resource patterns, or the NotResource patterns when {@code notResource} is true;
 *                   empty when the statement has neither (trust policies)
 * @param principals Principal or NotPrincipal entries by type (AWS, Service, Federated, CanonicalUser);
 *                   the string "*" alone is stored under type "*"
 * @param condition  the Condition block as written, or null
 */
public record Statement(int index, String sid, boolean allow,
                        List<String> actions, boolean notAction,
                        List<String> resources, boolean notResource,
                        Map<String, List<String>> principals, boolean notPrincipal,
                        JsonNode condition) {

    public boolean conditional() {
        return condition != null && !condition.isEmpty();
    }

    /** Tells whether the statement covers {@code action}, comparing case-insensitively. */
    public boolean coversAction(String action) {
        // Loops rather than streams, since the analyses call these two methods for every caller, target and statement.
        boolean listed = false;
        for (int i = 0; i < actions.size() && !listed; i++) {
            listed = Wildcards.matchesIgnoreCase(actions.get(i), action);
        }
        return notAction != listed;
    }

    /** Tells whether the statement covers the resource ARN; a statement without Resource covers every resource. */
    public boolean coversResource(String resourceArn) {
        if (resources.isEmpty() && !notResource) {
            return true;
        }
        boolean listed = false;
        for (int i = 0; i < resources.size() && !listed; i++) {
            listed = Wildcards.matches(resources.get(i), resourceArn);
        }
        return notResource != listed;
    }

    /** Tells whether the statement's resources include every resource ({@code "*"} without NotResource). */
    public boolean coversAllResources() {
        return !notResource && (resources.isEmpty() || resources.contains("*"));
    }

    public String effect() {
        return allow ? "Allow" : "Deny";
    }
}
