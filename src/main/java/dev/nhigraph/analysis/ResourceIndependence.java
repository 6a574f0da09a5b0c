package dev.nhigraph.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.PolicySet;
import dev.nhigraph.policy.Statement;
import dev.nhigraph.policy.eval.Arns;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds where a principal's own side of a decision differs between the resources of one account and service.
 *
 * <p>The caller's side is its identity policies, its boundary, the SCPs of its account and the RCPs of the
 * resource's account. A statement that covers one of the actions with Resource {@code "*"} applies to every
 * resource alike. A statement whose Resource names ARNs applies only to the resources it matches, so the caller's
 * side is the same on every resource that none of those statements match. A statement with NotResource, a policy
 * variable in its Resource, or a condition on the resource's tags could apply to any resource, so then every
 * resource keeps its own decision.
 *
 * <p>NOTE: a condition on another per-resource key, such as {@code kms:ResourceAliases}, is unknown to the
 * evaluator for every resource alike (decisions here pass no request context), so it does not make decisions
 * differ between members and is not checked.
 */
final class ResourceIndependence {

    private final AwsProjection projection;
    private final Map<Key, Optional<Scope>> known = new ConcurrentHashMap<>();

    ResourceIndependence(AwsProjection projection) {
        this.projection = projection;
    }

    /**
     * The cache key: the result depends on the shape's actions, which groups of one service often share, and on the
     * resource's account only through its RCPs. Without RCPs in the bundle the account is left out of the key, so
     * one principal's result serves every account of the organisation.
     */
    private record Key(String principal, String resourceAccount, List<String> actions) {
    }

    /**
     * The Resource patterns of a principal's statements that cover an action of a shape on named resources only,
     * compiled once, because every member of every group of that shape is matched against them.
     */
    static final class Scope {

        private final Arns.Pattern[] patterns;

        private Scope(List<Statement> statements) {
            this.patterns = statements.stream().flatMap(statement -> statement.resources().stream())
                    .map(Arns::compile).toArray(Arns.Pattern[]::new);
        }

        /** Tells whether one of the statements names one of {@code targets}, the ARNs a decision is made on. */
        boolean touches(List<String> targets) {
            for (Arns.Pattern pattern : patterns) {
                for (String target : targets) {
                    if (pattern.matches(target)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /**
     * Returns the scope of {@code principalId}'s statements that cover an action of {@code shape} on named resources
     * only, or null when its side of a decision may differ on every resource of the shape.
     */
    Scope scope(String principalId, ResourcePolicyShape shape) {
        String resourceAccount = shape.account() != null && projection.hasRcps(shape.account()) ? shape.account() : null;
        return known.computeIfAbsent(new Key(principalId, resourceAccount, shape.actions()), this::compute).orElse(null);
    }

    private Optional<Scope> compute(Key key) {
        PrincipalNode node = projection.principal(key.principal());
        PolicySet set = projection.policySet(key.principal());
        List<Policy> policies = new ArrayList<>();
        set.identityPolicies().forEach(granting -> policies.add(granting.policy()));
        if (set.boundary() != null) {
            policies.add(set.boundary());
        }
        // SCPs apply by the caller's account and RCPs by the resource's. Every level is checked, also where the
        // evaluator skips it (the management account, service-linked roles), which can only keep more per-resource edges.
        addLevels(projection.organizationPolicies(node.account(), true), policies);
        if (key.resourceAccount() != null) {
            addLevels(projection.organizationPolicies(key.resourceAccount(), false), policies);
        }

        List<Statement> scoped = new ArrayList<>();
        for (Policy policy : policies) {
            for (Statement statement : policy.statements()) {
                if (!coversAny(statement, key.actions()) || statement.coversAllResources() && !testsResourceTags(statement.condition())) {
                    continue;
                }
                if (statement.notResource() || statement.resources().isEmpty() || testsResourceTags(statement.condition())
                        || statement.resources().stream().anyMatch(pattern -> pattern.contains("${"))) {
                    return Optional.empty();
                }
                scoped.add(statement);
            }
        }
        return Optional.of(new Scope(scoped));
    }

    private void addLevels(List<List<String>> levels, List<Policy> policies) {
        for (List<String> level : levels) {
            for (String id : level) {
                Policy policy = projection.policy(id);
                if (policy != null) {
                    policies.add(policy);
                }
            }
        }
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
