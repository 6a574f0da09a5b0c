package dev.nhigraph.analysis;

import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.analysis.AwsProjection.ResourceNode;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.PolicySet;
import dev.nhigraph.policy.eval.AccessRequest;
import dev.nhigraph.policy.eval.Arns;
import dev.nhigraph.policy.eval.CompiledPolicy;
import dev.nhigraph.policy.eval.ConditionContext;
import dev.nhigraph.policy.eval.EvaluationPolicies;
import dev.nhigraph.policy.eval.EvaluationResult;
import dev.nhigraph.policy.eval.PolicyEvaluator;
import dev.nhigraph.policy.eval.RequestContexts;
import dev.nhigraph.policy.eval.RequestPrincipal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access decisions over a projection of the graph: who may do what on which resource, with the policies the
 * graph holds for both sides (identity policies, boundary, SCPs and RCPs, the trust policy or resource policy).
 *
 * <p>Policies are compiled once per projection and shared by every decision, and each caller's side of a
 * decision (identity policies, boundary, SCPs and RCPs) is assembled once per resource account. Thread-safe.
 */
public final class AwsAuthorization {

    private final AwsProjection projection;
    private final Map<String, CompiledPolicy> compiled = new ConcurrentHashMap<>();
    private final Map<String, CompiledPolicy> compiledVia = new ConcurrentHashMap<>();
    private final Map<String, CompiledPolicy> resourcePolicies = new ConcurrentHashMap<>();
    private final Map<CallerKey, EvaluationPolicies> callerPolicies = new ConcurrentHashMap<>();
    private final Map<String, RequestPrincipal> requestPrincipals = new ConcurrentHashMap<>();

    public AwsAuthorization(AwsProjection projection) {
        this.projection = projection;
    }

    /**
     * Decides whether {@code principalId} (a user, or a session of a role) may perform {@code action} on
     * {@code resourceArn}.
     *
     * @throws NoSuchElementException when the principal is not a loaded user or role
     */
    public EvaluationResult decide(String principalId, String action, String resourceArn, ConditionContext context) {
        PrincipalNode node = projection.principal(principalId);
        if (node == null || node.external() || !(node.kind().equals("AwsUser") || node.kind().equals("AwsRole"))) {
            throw new NoSuchElementException("No loaded IAM user or role " + principalId
                    + "; decisions need a principal whose policies are in the graph.");
        }
        return PolicyEvaluator.evaluate(request(node, action, resourceArn, context), policiesFor(node, action, resourceArn));
    }

    /** Returns the request a user or a session of a role makes. */
    AccessRequest request(PrincipalNode node, String action, String resourceArn, ConditionContext context) {
        RequestPrincipal principal = requestPrincipals.computeIfAbsent(node.id(), id -> requestPrincipal(node));
        return new AccessRequest(principal, action, resourceArn, resourceAccount(resourceArn), context);
    }

    /** Returns every policy that applies when {@code node} performs {@code action} on {@code resourceArn}. */
    EvaluationPolicies policiesFor(PrincipalNode node, String action, String resourceArn) {
        // The resource's account matters to the caller's side only through its RCPs. Without them, one entry per
        // caller serves every account, where tier M has 22,000 callers and 50 accounts.
        String resourceAccount = resourceAccount(resourceArn);
        String rcpAccount = resourceAccount != null && projection.hasRcps(resourceAccount) ? resourceAccount : null;
        EvaluationPolicies policies = callerPolicies.computeIfAbsent(new CallerKey(node.id(), rcpAccount),
                key -> callerPolicies(node, key.resourceAccount()));

        // A role's trust policy is its resource policy for assuming it only; iam:* actions on a role have none.
        PrincipalNode role = projection.principal(resourceArn);
        boolean assumeRole = action.regionMatches(true, 0, "sts:AssumeRole", 0, "sts:AssumeRole".length());
        if (assumeRole && role != null && "AwsRole".equals(role.kind()) && role.trustPolicy() != null) {
            CompiledPolicy trust = compiled.computeIfAbsent(role.id() + "#trust", key -> CompiledPolicy.compile(
                    Policy.parse(key, "trust policy of " + role.name(), "trust", role.trustPolicy())));
            return policies.withResourcePolicy(trust, true);
        }
        ResourceNode resource = owningResource(resourceArn);
        if (resource != null && projection.policy(resource.policyId()) != null) {
            boolean keyPolicy = "kms".equals(resource.service());
            // Looked up by policy id, since the key that compile builds is a new string per decision.
            CompiledPolicy resourcePolicy = resourcePolicies.computeIfAbsent(resource.policyId(),
                    id -> compile(projection.policy(id), null));
            return policies.withResourcePolicy(resourcePolicy, keyPolicy);
        }
        return policies;
    }

    /**
     * Returns the caller's side of a decision: its identity policies, boundary, and the SCPs and RCPs between it
     * and a resource in {@code resourceAccount}. The same for every action, so it is built once per pair.
     */
    private EvaluationPolicies callerPolicies(PrincipalNode node, String resourceAccount) {
        PolicySet set = projection.policySet(node.id());
        List<CompiledPolicy> identity = new ArrayList<>();
        for (PolicySet.GrantingPolicy granting : set.identityPolicies()) {
            identity.add(compile(granting.policy(), granting.via()));
        }
        CompiledPolicy boundary = set.boundary() == null ? null : compile(set.boundary(), null);
        return EvaluationPolicies.identityOnly(List.copyOf(identity), boundary)
                .withOrganization(levels(node.account(), true),
                        resourceAccount == null ? List.of() : levels(resourceAccount, false), projection.managementAccount());
    }

    /**
     * The key of the caller's side of a decision; {@code resourceAccount} is null when the resource's account is
     * unknown or has no RCPs above it.
     */
    private record CallerKey(String principal, String resourceAccount) {
    }

    /**
     * Returns the condition context of {@code node} acting on no particular resource, and the SCPs that limit it
     * from the organization root down (none in the management account or for a service-linked role).
     */
    public AccessScope scope(PrincipalNode node) {
        RequestPrincipal principal = requestPrincipal(node);
        List<List<Policy>> scps = new ArrayList<>();
        boolean exempt = principal.serviceLinked() || node.account().equals(projection.managementAccount());
        if (!exempt) {
            for (List<String> level : projection.organizationPolicies(node.account(), true)) {
                List<Policy> policies = new ArrayList<>();
                for (String id : level) {
                    Policy policy = projection.policy(id);
                    if (policy != null) {
                        policies.add(policy);
                    }
                }
                scps.add(policies);
            }
        }
        return new AccessScope(RequestContexts.forPrincipal(principal), scps);
    }

    /** The limits on a principal's access besides its own policies: its condition context and its SCPs by level. */
    public record AccessScope(ConditionContext context, List<List<Policy>> scpLevels) {
    }

    private List<List<CompiledPolicy>> levels(String account, boolean serviceControl) {
        List<List<CompiledPolicy>> levels = new ArrayList<>();
        for (List<String> level : projection.organizationPolicies(account, serviceControl)) {
            List<CompiledPolicy> policies = new ArrayList<>();
            for (String id : level) {
                Policy policy = projection.policy(id);
                if (policy != null) {
                    policies.add(compile(policy, null));
                }
            }
            levels.add(policies);
        }
        return levels;
    }

    private CompiledPolicy compile(Policy policy, String via) {
        if (via == null) {
            return compiled.computeIfAbsent(policy.id() + "|" + policy.kind(), key -> CompiledPolicy.compile(policy));
        }
        return compiledVia.computeIfAbsent(policy.id() + "|" + via, key -> CompiledPolicy.compile(policy, via));
    }

    /** Returns the account that owns a resource: from its ARN, or from the loaded resource for S3 ARNs, which lack it. */
    String resourceAccount(String resourceArn) {
        String account = Arns.account(resourceArn);
        if (account != null) {
            return account;
        }
        ResourceNode resource = owningResource(resourceArn);
        return resource == null ? null : resource.account();
    }

    /** Returns the loaded resource that owns {@code arn}: the resource itself, or the bucket of an S3 object. */
    ResourceNode owningResource(String arn) {
        ResourceNode resource = projection.resource(arn);
        if (resource == null && arn.startsWith("arn:") && arn.contains(":s3:::") && arn.indexOf('/') > 0) {
            resource = projection.resource(arn.substring(0, arn.indexOf('/')));
        }
        return resource;
    }

    static RequestPrincipal requestPrincipal(PrincipalNode node) {
        Map<String, Object> properties = node.properties();
        Map<String, String> tags = new LinkedHashMap<>();
        Object tagList = properties.get("tags");
        if (tagList instanceof List<?> list) {
            for (Object tag : list) {
                String text = String.valueOf(tag);
                int equals = text.indexOf('=');
                tags.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? "" : text.substring(equals + 1));
            }
        }
        String path = properties.get("path") == null ? "/" : properties.get("path").toString();
        String uniqueId = properties.get("uniqueId") == null ? null : properties.get("uniqueId").toString();
        RequestPrincipal.Kind kind = node.kind().equals("AwsUser") ? RequestPrincipal.Kind.USER : RequestPrincipal.Kind.ROLE_SESSION;
        return new RequestPrincipal(node.id(), kind, node.account(), node.name(), uniqueId, tags,
                path.startsWith("/aws-service-role/"), null);
    }
}
