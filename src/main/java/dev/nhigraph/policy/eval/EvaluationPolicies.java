package dev.nhigraph.policy.eval;

import java.util.List;

/**
 * Every policy that can take part in one decision.
 *
 * @param identity          the caller's identity policies, its groups' included
 * @param boundary          the caller's permissions boundary, or null
 * @param sessionPolicy     the session policy of a role session, or null
 * @param scpLevels         the SCPs attached at each level from the organization root down to the caller's account;
 *                          empty when the account is in no loaded organization
 * @param rcpLevels         the RCPs from the root down to the resource's account, likewise
 * @param managementAccount the organization's management account, to which neither SCPs nor RCPs apply, or null
 * @param resourcePolicy    the resource-based policy of the resource (for sts:AssumeRole, the role's trust policy),
 *                          or null
 * @param resourcePolicyMustAllow true where the resource policy alone decides whether its own account may use the
 *                          resource, as for role trust policies and KMS key policies: an identity policy is then never
 *                          enough by itself
 */
public record EvaluationPolicies(List<CompiledPolicy> identity, CompiledPolicy boundary, CompiledPolicy sessionPolicy,
                                 List<List<CompiledPolicy>> scpLevels, List<List<CompiledPolicy>> rcpLevels,
                                 String managementAccount, CompiledPolicy resourcePolicy, boolean resourcePolicyMustAllow) {

    /** Only identity policies and an optional boundary, as within one account without an organization. */
    public static EvaluationPolicies identityOnly(List<CompiledPolicy> identity, CompiledPolicy boundary) {
        return new EvaluationPolicies(identity, boundary, null, List.of(), List.of(), null, null, false);
    }

    public EvaluationPolicies withResourcePolicy(CompiledPolicy policy, boolean mustAllow) {
        return new EvaluationPolicies(identity, boundary, sessionPolicy, scpLevels, rcpLevels, managementAccount, policy, mustAllow);
    }

    public EvaluationPolicies withOrganization(List<List<CompiledPolicy>> scps, List<List<CompiledPolicy>> rcps, String management) {
        return new EvaluationPolicies(identity, boundary, sessionPolicy, scps, rcps, management, resourcePolicy, resourcePolicyMustAllow);
    }
}
