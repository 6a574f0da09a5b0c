package dev.nhigraph.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The statement behind an edge or a decision, as the user needs it to check the answer in the AWS console.
 *
 * @param policy     the policy ARN, or "OWNER_ARN#inline/NAME" for an inline policy, or "ROLE_ARN#trust"
 * @param policyName the policy name as AWS shows it
 * @param policyKind managed, aws-managed, inline, boundary or trust
 * @param via        the group the policy reaches the principal through, or null when attached directly
 * @param statement  the statement index in the policy, from 0
 * @param condition  the Condition block as written, or null
 * @param note       why this statement matters for the edge, in one sentence
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Evidence(String policy, String policyName, String policyKind, String via, int statement, String sid,
                       String effect, List<String> actions, List<String> resources, List<String> principals,
                       JsonNode condition, String note) {

    /** Builds the evidence of {@code statement} of {@code policy}; {@code principals} may be null. */
    public static Evidence of(Policy policy, String via, Statement statement, List<String> principals, String note) {
        List<String> actions = statement.notAction()
                ? statement.actions().stream().map(a -> "NotAction " + a).toList() : statement.actions();
        List<String> resources = statement.notResource()
                ? statement.resources().stream().map(r -> "NotResource " + r).toList() : statement.resources();
        return new Evidence(policy.id(), policy.name(), policy.kind(), via, statement.index(), statement.sid(),
                statement.effect(), actions, resources.isEmpty() ? null : resources, principals,
                statement.conditional() ? statement.condition() : null, note);
    }

    /**
     * Returns this evidence without the statement's actions and resources. The policy's document in the graph contains
     * them at {@code policy} and {@code statement}, so edges that number in the millions store this form.
     */
    public Evidence withoutActionsAndResources() {
        return new Evidence(policy, policyName, policyKind, via, statement, sid, effect, null, null, principals, condition,
                note);
    }
}
