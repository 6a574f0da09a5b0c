package dev.nhigraph.policy;

import java.util.List;

/**
 * The policies that decide what one IAM principal may do: its identity policies (its own and its groups'),
 * and its permissions boundary.
 *
 * @param identityPolicies attached and inline policies, each with the group it comes through
 * @param boundary         the permissions boundary, or null when the principal has none
 */
public record PolicySet(List<GrantingPolicy> identityPolicies, Policy boundary) {

    /** A policy with the group through which it applies, or null when it is attached to the principal itself. */
    public record GrantingPolicy(Policy policy, String via) {
    }
}
