package dev.nhigraph.findings;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nhigraph.policy.Evidence;
import java.util.List;
import java.util.Map;

/**
 * One finding: a rule that fired for one principal, with what the report needs to act on it.
 *
 * @param rule          the rule id
 * @param principal     the identity the finding is about: an ARN, or a GCP member such as serviceAccount:EMAIL
 * @param principalKind the principal's node label, such as AwsRole or GcpServiceAccount
 * @param resource      what else the finding names, such as a key id or the trusted account; null when nothing
 * @param detail        one sentence that states what the check found
 * @param conditional   true when a condition of a policy, binding or step may stop it
 * @param parts         for a toxic combination, how the principal holds each part; null for a hygiene finding
 * @param facts         for a hygiene finding, the properties the check read; null for a toxic combination
 * @param acceptedRisk  the exception that accepts this finding, or null when it is open
 * @param toxicCombinations on an administrator finding, the ids of the toxic-combination rules that the principal
 *                      holds and that are listed here instead of as findings of their own; null elsewhere
 * @param cause         the id of the report's cause that this open finding belongs to; null for an accepted risk
 * @param expiredException the exception that accepted this finding until it expired, so that a reviewer can tell why it
 *                      is open again; null when none did
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(String rule, String title, String severity, String kind, String cloud, String principal,
                      String principalKind, String resource, String detail, boolean conditional, List<PartHeld> parts,
                      Map<String, Object> facts, String remediation, Rule.Controls controls, AcceptedRisk acceptedRisk,
                      List<String> toxicCombinations, String cause, AcceptedRisk expiredException) {

    /**
     * How a principal holds one part of a toxic combination.
     *
     * @param heldBy      the principal whose policies or bindings grant the rights: the finding's principal itself,
     *                    or one it can become
     * @param path        the steps from the finding's principal to {@code heldBy}; empty when it holds them itself
     * @param rights      the actions or permissions of the part that {@code heldBy} holds, the first ten
     * @param conditional true when the grant or a step of the path depends on a condition
     * @param evidence    the statements or bindings that grant the rights
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PartHeld(String name, String heldBy, List<PathStep> path, List<String> rights, boolean conditional,
                           List<Evidence> evidence) {
    }

    /** One step of a path: a CAN_ASSUME, CAN_ESCALATE (with its technique) or CAN_IMPERSONATE relationship. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PathStep(String from, String to, String kind, String technique, boolean conditional) {
    }

    /** An exception from the exceptions file that accepts a finding until it expires. */
    public record AcceptedRisk(String owner, String reason, String expires, String file) {
    }

    /** Returns this finding with {@code risk} attached. */
    public Finding accepted(AcceptedRisk risk) {
        return new Finding(rule, title, severity, kind, cloud, principal, principalKind, resource, detail, conditional, parts,
                facts, remediation, controls, risk, toxicCombinations, cause, expiredException);
    }

    /** Returns this open finding with the exception that accepted it until {@code risk.expires()}. */
    public Finding withExpiredException(AcceptedRisk risk) {
        return new Finding(rule, title, severity, kind, cloud, principal, principalKind, resource, detail, conditional, parts,
                facts, remediation, controls, acceptedRisk, toxicCombinations, cause, risk);
    }

    /** Returns this finding with {@code heldParts} as its parts. */
    public Finding withParts(List<PartHeld> heldParts) {
        return new Finding(rule, title, severity, kind, cloud, principal, principalKind, resource, detail, conditional,
                heldParts, facts, remediation, controls, acceptedRisk, toxicCombinations, cause, expiredException);
    }

    /** Returns this finding with {@code ruleIds} as the toxic combinations it lists. */
    public Finding withToxicCombinations(List<String> ruleIds) {
        return new Finding(rule, title, severity, kind, cloud, principal, principalKind, resource, detail, conditional, parts,
                facts, remediation, controls, acceptedRisk, ruleIds, cause, expiredException);
    }

    /** Returns this finding with {@code causeId} as its cause. */
    public Finding withCause(String causeId) {
        return new Finding(rule, title, severity, kind, cloud, principal, principalKind, resource, detail, conditional, parts,
                facts, remediation, controls, acceptedRisk, toxicCombinations, causeId, expiredException);
    }

    /** Creates a finding of {@code rule} with the rule's title, severity, remediation and controls. */
    static Finding of(Rule rule, String principal, String principalKind, String resource, String detail, boolean conditional,
                      List<PartHeld> parts, Map<String, Object> facts) {
        return new Finding(rule.id(), rule.title(), rule.severity(), rule.kind(), rule.cloud(), principal, principalKind,
                resource, detail, conditional, parts, facts, rule.remediation(), rule.controls(), null, null, null, null);
    }
}
