package dev.nhigraph.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.PolicySet;
import dev.nhigraph.policy.Statement;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells whether a principal's own side of a decision is the same for every resource of one account and service.
 *
 * <p>The caller's side is its identity policies, its boundary, the SCPs of its account and the RCPs of the
 * resource's account. It does not depend on the resource when every statement of those policies that covers one
 * of the actions has Resource {@code "*"} (without NotResource) and no condition on the resource's tags. A
 * statement that names resource ARNs, or tests {@code aws:ResourceTag}, could allow or deny one member and not
 * another, so such a principal keeps per-resource edges.
 *
 * <p>NOTE: a condition on another per-resource key, such as {@code kms:ResourceAliases}, is unknown to the
 * evaluator for every resource alike (decisions here pass no request context), so it does not make decisions
 * differ between members and is not checked.
 */
final class ResourceIndependence {

    private final AwsProjection projection;
    private final Map<Key, Boolean> known = new ConcurrentHashMap<>();

    ResourceIndependence(AwsProjection projection) {
        this.projection = projection;
    }

    /** The cache key: the result depends on the shape's account and actions, which groups of one service often share. */
    private record Key(String principal, String resourceAccount, List<String> actions) {
    }

    /** Tells whether {@code principalId}'s side of a decision on any resource of {@code shape} is the same. */
    boolean of(String principalId, ResourcePolicyShape shape) {
        return known.computeIfAbsent(new Key(principalId, shape.account(), shape.actions()), this::compute);
    }

    private boolean compute(Key key) {
        PrincipalNode node = projection.principal(key.principal());
        PolicySet set = projection.policySet(key.principal());
        for (PolicySet.GrantingPolicy granting : set.identityPolicies()) {
            if (dependsOnResource(granting.policy(), key.actions())) {
                return false;
            }
        }
        if (set.boundary() != null && dependsOnResource(set.boundary(), key.actions())) {
            return false;
        }
        // SCPs apply by the caller's account and RCPs by the resource's; a level's policies are checked whatever
        // the evaluator later skips (the management account, service-linked roles), which can only keep more
        // per-resource edges.
        if (dependsOnResource(projection.organizationPolicies(node.account(), true), key.actions())) {
            return false;
        }
        return key.resourceAccount() == null
                || !dependsOnResource(projection.organizationPolicies(key.resourceAccount(), false), key.actions());
    }

    private boolean dependsOnResource(List<List<String>> levels, List<String> actions) {
        for (List<String> level : levels) {
            for (String id : level) {
                Policy policy = projection.policy(id);
                if (policy != null && dependsOnResource(policy, actions)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean dependsOnResource(Policy policy, List<String> actions) {
        for (Statement statement : policy.statements()) {
            if (!coversAny(statement, actions)) {
                continue;
            }
            if (statement.notResource() || !statement.resources().contains("*") || testsResourceTags(statement.condition())) {
                return true;
            }
        }
        return false;
    }

    private static boolean coversAny(Statement statement, List<String> actions) {
        for (String action : actions) {
            if (statement.coversAction(action)) {
                return true;
            }
        }
        return false;
    }

    /** Tells whether a Condition block tests a resource's tags: aws:ResourceTag/..., or a service's own form of it. */
    private static boolean testsResourceTags(JsonNode condition) {
        if (condition == null) {
            return false;
        }
        for (JsonNode operator : condition) {
            Iterator<String> keys = operator.fieldNames();
            while (keys.hasNext()) {
                String key = keys.next().toLowerCase(Locale.ROOT);
                if (key.contains("resourcetag/") || key.contains("existingobjecttag/")) {
                    return true;
                }
            }
        }
        return false;
    }
}
