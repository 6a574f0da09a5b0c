package dev.nhigraph.analysis;

import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.policy.AccessSummarizer;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.PolicySet;
import dev.nhigraph.policy.PrincipalAccess;
import dev.nhigraph.policy.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access each principal's own policies give it, summarised once per projection and then shared by every blast
 * radius, so a principal that a thousand blast radii reach is summarised once rather than a thousand times.
 *
 * <p>Principals with the same policies, none of whose statements depends on who the caller is, share one
 * computed summary; equal summaries are stored once, so callers can union the distinct ones only.
 */
public final class AccessSummaries {

    private final AwsProjection projection;
    private final AccessSummarizer summarizer;
    private final AwsAuthorization authorization;
    private final Map<String, PrincipalAccess> byPrincipal = new ConcurrentHashMap<>();
    private final Map<PrincipalAccess, PrincipalAccess> distinct = new ConcurrentHashMap<>();
    private final Map<String, PrincipalAccess> byPolicySet = new ConcurrentHashMap<>();
    private final Map<String, Boolean> adminByKey = new ConcurrentHashMap<>();

    public AccessSummaries(AwsProjection projection, AccessSummarizer summarizer, AwsAuthorization authorization) {
        this.projection = projection;
        this.summarizer = summarizer;
        this.authorization = authorization;
    }

    /**
     * Returns the access of a user, role or group under its conditions and its account's SCPs. Principals whose
     * access is equal get the same instance, so callers can union distinct summaries only.
     */
    public PrincipalAccess of(PrincipalNode principal) {
        return byPrincipal.computeIfAbsent(principal.id(), id -> {
            String key = policySetKey(principal);
            PrincipalAccess access = key == null ? summarize(principal) : byPolicySet.computeIfAbsent(key, k -> summarize(principal));
            PrincipalAccess earlier = distinct.putIfAbsent(access, access);
            return earlier == null ? access : earlier;
        });
    }

    /**
     * Tells whether a user's or role's own policies (identity, group and boundary, under its condition context)
     * allow every action on every resource. SCPs are left out on purpose: one that denies a single action
     * everywhere, such as organizations:LeaveOrganization, would otherwise leave no administrator in a member
     * account. NOTE: so a role with AdministratorAccess under an SCP that denies most actions still counts.
     */
    public boolean isAdmin(PrincipalNode principal) {
        String key = policySetKey(principal);
        return adminByKey.computeIfAbsent(key == null ? "principal " + principal.id() : key, k -> {
            AwsAuthorization.AccessScope scope = authorization.scope(principal);
            return summarizer.summarize(projection.policySet(principal.id()), scope.context(), List.of()).admin();
        });
    }

    /**
     * Returns a key shared by every principal whose summary must be the same: same kind of caller, account, SCP
     * exemption, identity policies (with the group each comes through) and boundary. Returns null when a statement
     * has a condition or a policy variable, since the summary then depends on the principal's own ARN and tags.
     */
    private String policySetKey(PrincipalNode principal) {
        PolicySet set = projection.policySet(principal.id());
        StringBuilder key = new StringBuilder(principal.kind()).append('|').append(principal.account());
        boolean serviceLinked = String.valueOf(principal.properties().get("path")).startsWith("/aws-service-role/");
        key.append('|').append(serviceLinked);

        List<Policy> involved = new ArrayList<>();
        for (PolicySet.GrantingPolicy granting : set.identityPolicies()) {
            key.append('|').append(granting.policy().id()).append('<').append(granting.via());
            involved.add(granting.policy());
        }
        if (set.boundary() != null) {
            key.append("|boundary ").append(set.boundary().id());
            involved.add(set.boundary());
        }
        for (List<String> level : projection.organizationPolicies(principal.account(), true)) {
            for (String id : level) {
                Policy scp = projection.policy(id);
                if (scp != null) {
                    involved.add(scp);
                }
            }
        }
        for (Policy policy : involved) {
            if (dependsOnPrincipal(policy)) {
                return null;
            }
        }
        return key.toString();
    }

    private static boolean dependsOnPrincipal(Policy policy) {
        for (Statement statement : policy.statements()) {
            if (statement.conditional()) {
                return true;
            }
            for (String resource : statement.resources()) {
                if (resource.contains("${")) {
                    return true;
                }
            }
        }
        return false;
    }

    public AccessSummarizer summarizer() {
        return summarizer;
    }

    public AwsProjection projection() {
        return projection;
    }

    private PrincipalAccess summarize(PrincipalNode principal) {
        if ("AwsGroup".equals(principal.kind())) {
            return summarizer.summarize(projection.policySet(principal.id()));
        }
        AwsAuthorization.AccessScope scope = authorization.scope(principal);
        return summarizer.summarize(projection.policySet(principal.id()), scope.context(), scope.scpLevels());
    }
}
