package dev.nhigraph.analysis;

import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.PolicySet;
import dev.nhigraph.policy.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which loaded users and roles have an identity policy that could allow an action, whatever the resource.
 *
 * <p>A resource or trust policy that names an account (or names {@code "*"} to callers of another account) only
 * delegates: the caller's own identity policies must allow the action too. So for such a policy the candidates
 * worth a full decision are the principals found here, and deriving edges grows with the number of identity
 * grants of an action rather than with every principal of the account.
 *
 * <p>The test is deliberately coarse: an Allow statement whose Action covers the action counts, whatever its
 * Resource and Condition, and whatever the principal's boundary, SCPs and Deny statements contain. So it never
 * leaves out a principal that the full evaluator would allow; it only saves decisions that would be DENIED.
 */
final class IdentityGrants {

    private final AwsProjection projection;
    /** Identity policy id to the users and roles it applies to: attached to them, or to a group of a user. */
    private final Map<String, Set<String>> principalsByPolicy = new HashMap<>();
    private final Map<String, Set<String>> principalsByAction = new ConcurrentHashMap<>();
    private final Set<String> everyone = new HashSet<>();
    private final boolean exhaustive;

    /** The index of the projection's identity grants. */
    IdentityGrants(AwsProjection projection) {
        this(projection, false);
    }

    /**
     * With {@code exhaustive} true, every user and role counts as a grantee of every action: the derivations then
     * decide every candidate in full, which tests use to show that the index leaves no edge out.
     */
    IdentityGrants(AwsProjection projection, boolean exhaustive) {
        this.projection = projection;
        this.exhaustive = exhaustive;
        for (PrincipalNode node : projection.principals().values()) {
            if (node.external() || !("AwsUser".equals(node.kind()) || "AwsRole".equals(node.kind()))) {
                continue;
            }
            everyone.add(node.id());
            PolicySet set = projection.policySet(node.id());
            for (PolicySet.GrantingPolicy granting : set.identityPolicies()) {
                principalsByPolicy.computeIfAbsent(granting.policy().id(), id -> new HashSet<>()).add(node.id());
            }
        }
    }

    /** Returns the ids of the users and roles with an identity Allow statement that covers {@code action}. */
    Set<String> mayAllow(String action) {
        if (exhaustive) {
            return everyone;
        }
        return principalsByAction.computeIfAbsent(action.toLowerCase(Locale.ROOT), this::principalsAllowed);
    }

    private Set<String> principalsAllowed(String action) {
        Set<String> principals = new HashSet<>();
        for (Map.Entry<String, Set<String>> entry : principalsByPolicy.entrySet()) {
            Policy policy = projection.policy(entry.getKey());
            if (policy != null && allows(policy.statements(), action)) {
                principals.addAll(entry.getValue());
            }
        }
        return Set.copyOf(principals);
    }

    private static boolean allows(List<Statement> statements, String action) {
        for (Statement statement : statements) {
            if (statement.allow() && statement.coversAction(action)) {
                return true;
            }
        }
        return false;
    }
}
