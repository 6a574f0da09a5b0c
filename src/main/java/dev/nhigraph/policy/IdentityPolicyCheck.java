package dev.nhigraph.policy;

import dev.nhigraph.policy.Decision.Outcome;
import dev.nhigraph.policy.PolicySet.GrantingPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * A first decision procedure for identity-based access: explicit Deny wins, then an Allow is needed, and a
 * permissions boundary must allow too.
 *
 * <p>Conditions are not evaluated: a statement with a Condition makes the answer CONDITIONAL, with the
 * condition in the evidence, whatever its keys.
 *
 * <p>TODO: SCPs, resource-based policies, session policies, policy variables and condition evaluation are not
 * applied yet, so an answer can be ALLOWED where an SCP or a resolvable condition would deny it.
 */
public final class IdentityPolicyCheck {

    private IdentityPolicyCheck() {
    }

    /** Decides whether the principal whose policies are {@code policies} may perform {@code action} on {@code resourceArn}. */
    public static Decision decide(PolicySet policies, String action, String resourceArn) {
        List<Evidence> allows = new ArrayList<>();
        List<Evidence> conditionalAllows = new ArrayList<>();
        List<Evidence> conditionalDenies = new ArrayList<>();
        List<Evidence> denies = new ArrayList<>();

        for (GrantingPolicy granting : policies.identityPolicies()) {
            for (Statement statement : granting.policy().statements()) {
                if (!statement.coversAction(action) || !statement.coversResource(resourceArn)) {
                    continue;
                }
                Evidence evidence = Evidence.of(granting.policy(), granting.via(), statement, null, null);
                if (!statement.allow()) {
                    (statement.conditional() ? conditionalDenies : denies).add(evidence);
                } else {
                    (statement.conditional() ? conditionalAllows : allows).add(evidence);
                }
            }
        }
        if (!denies.isEmpty()) {
            return new Decision(Outcome.DENIED_EXPLICIT, denies);
        }
        if (allows.isEmpty() && conditionalAllows.isEmpty()) {
            return new Decision(Outcome.DENIED_IMPLICIT, List.of());
        }

        List<Evidence> evidence = new ArrayList<>(allows);
        evidence.addAll(conditionalAllows);
        evidence.addAll(conditionalDenies);
        boolean conditional = allows.isEmpty() || !conditionalDenies.isEmpty();

        if (policies.boundary() != null) {
            Decision bounded = boundaryDecision(policies.boundary(), action, resourceArn);
            if (!bounded.allowedOrConditional()) {
                return bounded;
            }
            evidence.addAll(bounded.evidence());
            conditional |= bounded.outcome() == Outcome.CONDITIONAL;
        }
        return new Decision(conditional ? Outcome.CONDITIONAL : Outcome.ALLOWED, List.copyOf(evidence));
    }

    private static Decision boundaryDecision(Policy boundary, String action, String resourceArn) {
        List<Evidence> allows = new ArrayList<>();
        boolean conditional = true;
        for (Statement statement : boundary.statements()) {
            if (!statement.coversAction(action) || !statement.coversResource(resourceArn)) {
                continue;
            }
            Evidence evidence = Evidence.of(boundary, null, statement, null, "permissions boundary");
            if (!statement.allow() && !statement.conditional()) {
                return new Decision(Outcome.DENIED_EXPLICIT, List.of(evidence));
            }
            if (statement.allow()) {
                allows.add(evidence);
                conditional &= statement.conditional();
            }
        }
        if (allows.isEmpty()) {
            return new Decision(Outcome.DENIED_IMPLICIT, List.of(new Evidence(boundary.id(), boundary.name(), "boundary",
                    null, -1, null, null, List.of(action), List.of(resourceArn), null, null,
                    "the permissions boundary does not allow this action")));
        }
        return new Decision(conditional ? Outcome.CONDITIONAL : Outcome.ALLOWED, allows);
    }
}
