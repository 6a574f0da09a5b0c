package dev.nhigraph.policy.eval;

import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.eval.EvaluationResult.Decision;
import dev.nhigraph.policy.eval.PrincipalMatcher.Naming;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides one request as AWS's policy evaluation logic does, with three-valued results for conditions that
 * depend on the request.
 *
 * <p>The order and the rules follow the AWS IAM User Guide pages "Policy evaluation logic", "Cross account
 * policy evaluation logic" and "Permissions boundaries for IAM entities":
 * <ol>
 *   <li>an explicit Deny in any applicable policy (identity, boundary, session, SCP, RCP, resource) denies;</li>
 *   <li>RCPs on the resource's account and SCPs on the caller's account need an Allow at every level from the
 *       organization root down, except in the management account, and SCPs never limit service-linked roles;</li>
 *   <li>within one account, an Allow in the identity policies (capped by the boundary and the session policy) or in
 *       the resource-based policy grants. How the resource policy names the caller sets its limits: the user ARN
 *       or the role session ARN grants even where identity policies and the boundary are silent, the role ARN is
 *       still capped by the boundary and session policy, and the account only delegates to the identity policies;</li>
 *   <li>across accounts both sides must allow: the resource policy in the resource's account and the identity
 *       policies in the caller's;</li>
 *   <li>role trust policies and KMS key policies must allow the caller themselves: an identity policy alone is
 *       never enough.</li>
 * </ol>
 * A permissions boundary also caps {@code sts:AssumeRole} when the trust policy names the user ARN, following the AWS
 * troubleshooting note on boundaries.
 *
 * <p>Each decision costs a map lookup per policy for the statements that cover the action, then only those
 * statements' resource and condition checks; nothing is parsed per decision.
 */
public final class PolicyEvaluator {

    /**
     * Services whose resources RCPs can restrict (AWS Organizations user guide, "Resource control policies",
     * list as of 2025). NOTE: AWS adds services to this list; an RCP on a service missing here is not applied.
     */
    static final Set<String> RCP_SERVICES = Set.of("s3", "sts", "kms", "sqs", "secretsmanager", "ecr", "aoss",
            "cognito-idp", "logs", "dynamodb");

    /** The namings of a request without a resource policy: none of them names the caller. */
    private static final Map<Naming, Tri> NO_RESOURCE_POLICY;

    static {
        Map<Naming, Tri> none = new EnumMap<>(Naming.class);
        for (Naming naming : Naming.values()) {
            none.put(naming, Tri.FALSE);
        }
        NO_RESOURCE_POLICY = java.util.Collections.unmodifiableMap(none);
    }

    private PolicyEvaluator() {
    }

    /** Decides {@code request} under {@code policies}. */
    public static EvaluationResult evaluate(AccessRequest request, EvaluationPolicies policies) {
        return new Evaluation(request, policies).run();
    }

    /** The state of one decision: the derived context and what each layer contributed. */
    private static final class Evaluation {

        private final AccessRequest request;
        private final EvaluationPolicies policies;
        private final ConditionContext context;
        private final String action;
        private final int actionId;
        private final boolean assumeRole;
        private final Layer denies = new Layer();
        private final List<Evidence> granting = new ArrayList<>();
        private final List<UnresolvedCondition> unresolved = new ArrayList<>();

        Evaluation(AccessRequest request, EvaluationPolicies policies) {
            this.request = request;
            this.policies = policies;
            this.context = RequestContexts.derive(request);
            this.action = request.action().toLowerCase(Locale.ROOT);
            this.actionId = ActionIndex.id(action);
            this.assumeRole = action.startsWith("sts:assumerole");
        }

        EvaluationResult run() {
            boolean scpApplies = scpApplies();
            boolean rcpApplies = rcpApplies();

            // Step 1: explicit Deny anywhere.
            collectDenies(policies.identity());
            collectDenies(single(policies.boundary()));
            collectDenies(single(policies.sessionPolicy()));
            if (scpApplies) {
                policies.scpLevels().forEach(this::collectDenies);
            }
            if (rcpApplies) {
                policies.rcpLevels().forEach(this::collectDenies);
            }
            collectResourceDenies();
            if (denies.value == Tri.TRUE) {
                return new EvaluationResult(Decision.DENIED, "explicit", "an explicit Deny matches the request",
                        List.copyOf(denies.certain), List.of());
            }

            // Step 2: organization guardrails, then the grant.
            Tri scp = scpApplies ? levels(policies.scpLevels()) : Tri.TRUE;
            Tri rcp = rcpApplies ? levels(policies.rcpLevels()) : Tri.TRUE;
            Grant grant = grant();
            Tri result = denies.value.not().and(scp).and(rcp).and(grant.value);

            if (result == Tri.TRUE) {
                return new EvaluationResult(Decision.ALLOWED, null, grant.reason, List.copyOf(granting), List.of());
            }
            if (result == Tri.FALSE) {
                String reason = scp == Tri.FALSE ? "no SCP allows the action at every level from the organization root to account " + request.principal().account()
                        : rcp == Tri.FALSE ? "no RCP allows the action at every level from the organization root to account " + request.resourceAccount()
                        : grant.reason;
                return new EvaluationResult(Decision.DENIED, "implicit", reason, List.copyOf(granting), List.of());
            }
            List<Evidence> statements = new ArrayList<>(granting);
            statements.addAll(denies.uncertain);
            String reason = denies.value == Tri.UNKNOWN ? "a Deny may match, depending on its conditions" : grant.reason;
            return new EvaluationResult(Decision.CONDITIONAL, null, reason, statements, List.copyOf(unresolved));
        }

        private boolean scpApplies() {
            RequestPrincipal principal = request.principal();
            return !policies.scpLevels().isEmpty() && !principal.account().equals(policies.managementAccount())
                    && !principal.serviceLinked() && principal.kind() != RequestPrincipal.Kind.SERVICE;
        }

        private boolean rcpApplies() {
            String account = request.resourceAccount();
            String service = action.contains(":") ? action.substring(0, action.indexOf(':')) : action;
            return !policies.rcpLevels().isEmpty() && account != null && !account.equals(policies.managementAccount())
                    && RCP_SERVICES.contains(service);
        }

        /** Returns TRUE when every level has an Allow; a level without any policy allows nothing. */
        private Tri levels(List<List<CompiledPolicy>> levels) {
            Tri all = Tri.TRUE;
            for (List<CompiledPolicy> level : levels) {
                all = all.and(allows(level, true));
                if (all == Tri.FALSE) {
                    return Tri.FALSE;
                }
            }
            return all;
        }

        private Grant grant() {
            Tri identity = allows(policies.identity(), false);
            Tri boundary = policies.boundary() == null ? Tri.TRUE : allows(single(policies.boundary()), false);
            Tri session = policies.sessionPolicy() == null ? Tri.TRUE : allows(single(policies.sessionPolicy()), false);
            Tri identityGrant = identity.and(boundary).and(session);
            Map<Naming, Tri> resource = resourceAllows();

            if (request.crossAccount()) {
                Tri resourceGrant = resource.values().stream().reduce(Tri.FALSE, Tri::or);
                Tri both = resourceGrant.and(identityGrant);
                if (both == Tri.UNKNOWN) {
                    return new Grant(both, "allowed by both accounts only if the listed conditions hold at request time");
                }
                return new Grant(both, both == Tri.TRUE ? "allowed by both accounts: the resource policy and the caller's identity policies"
                        : resourceGrant == Tri.FALSE ? "cross-account request: the resource account " + request.resourceAccount()
                        + " has no resource-based policy that allows the caller" : identityReason(identity, boundary, session));
            }

            RequestPrincipal.Kind kind = request.principal().kind();
            Tri direct = resource.get(Naming.USER_ARN).and(assumeRole ? boundary : Tri.TRUE)
                    .or(resource.get(Naming.SESSION_ARN))
                    .or(resource.get(Naming.ANY).and(kind == RequestPrincipal.Kind.USER && assumeRole ? boundary : Tri.TRUE))
                    .or(resource.get(Naming.ROLE_ARN).and(boundary).and(session));
            Tri delegated = policies.resourcePolicyMustAllow()
                    ? resource.get(Naming.ACCOUNT).and(identityGrant) : identityGrant;
            Tri value = direct.or(delegated);
            if (value == Tri.TRUE) {
                return new Grant(value, direct == Tri.TRUE ? "allowed by the resource-based policy, which names the caller"
                        : "allowed by the caller's identity policies");
            }
            if (value == Tri.UNKNOWN) {
                return new Grant(value, "allowed only if the listed conditions hold at request time");
            }
            if (policies.resourcePolicyMustAllow() && resource.values().stream().allMatch(t -> t == Tri.FALSE)) {
                String policyKind = "trust".equals(policies.resourcePolicy().policy().kind()) ? "trust" : "resource";
                return new Grant(value, "the " + policyKind + " policy does not allow the caller, and it must for this resource");
            }
            return new Grant(value, identityReason(identity, boundary, session));
        }

        private static String identityReason(Tri identity, Tri boundary, Tri session) {
            if (identity == Tri.FALSE) {
                return "no identity-based or resource-based policy allows the action";
            }
            if (boundary == Tri.FALSE) {
                return "the permissions boundary does not allow the action";
            }
            if (session == Tri.FALSE) {
                return "the session policy does not allow the action";
            }
            return "allowed only if the conditions hold";
        }

        /** Returns whether an Allow statement of {@code layer} applies; records granting statements and unresolved conditions. */
        private Tri allows(List<CompiledPolicy> layer, boolean organizationLevel) {
            Tri any = Tri.FALSE;
            for (CompiledPolicy policy : layer) {
                for (CompiledStatement statement : policy.statementsFor(actionId, action)) {
                    if (!statement.allow) {
                        continue;
                    }
                    Tri applies = applies(statement);
                    if (applies != Tri.FALSE) {
                        // FullAWSAccess-style SCP grants are noise in the evidence unless they are the question.
                        if (!organizationLevel || applies == Tri.UNKNOWN || !statement.statement.actions().equals(List.of("*"))) {
                            granting.add(statement.evidence());
                        }
                        any = any.or(applies);
                    }
                }
            }
            return any;
        }

        private Map<Naming, Tri> resourceAllows() {
            CompiledPolicy resourcePolicy = policies.resourcePolicy();
            if (resourcePolicy == null) {
                return NO_RESOURCE_POLICY;
            }
            Map<Naming, Tri> byNaming = new EnumMap<>(NO_RESOURCE_POLICY);
            for (CompiledStatement statement : resourcePolicy.statementsFor(actionId, action)) {
                if (!statement.allow) {
                    continue;
                }
                List<PrincipalMatcher.Match> matches = statement.principalMatches(request.principal());
                if (matches == null || matches.isEmpty()) {
                    continue;
                }
                for (PrincipalMatcher.Match match : matches) {
                    Tri applies = match.value().and(applies(statement));
                    if (applies == Tri.UNKNOWN && match.value() == Tri.UNKNOWN) {
                        unresolved.add(new UnresolvedCondition("Principal", "role session name",
                                List.of(request.principal().sessionArn())));
                    }
                    if (applies != Tri.FALSE) {
                        byNaming.merge(match.naming(), applies, Tri::or);
                        granting.add(statement.evidence());
                    }
                }
            }
            return byNaming;
        }

        private void collectDenies(List<CompiledPolicy> layer) {
            for (CompiledPolicy policy : layer) {
                for (CompiledStatement statement : policy.statementsFor(actionId, action)) {
                    if (!statement.allow) {
                        denies.add(statement, applies(statement));
                    }
                }
            }
        }

        private void collectResourceDenies() {
            CompiledPolicy resourcePolicy = policies.resourcePolicy();
            if (resourcePolicy == null) {
                return;
            }
            for (CompiledStatement statement : resourcePolicy.statementsFor(actionId, action)) {
                if (statement.allow) {
                    continue;
                }
                List<PrincipalMatcher.Match> matches = statement.principalMatches(request.principal());
                Tri named = matches == null ? Tri.TRUE : matches.stream().map(PrincipalMatcher.Match::value).reduce(Tri.FALSE, Tri::or);
                if (statement.statement.notPrincipal() && policies.boundary() != null) {
                    // A Deny with NotPrincipal always denies a caller that has a permissions boundary, whatever the
                    // list says (AWS IAM User Guide, "Permissions boundaries for IAM entities").
                    named = Tri.TRUE;
                }
                denies.add(statement, named.and(applies(statement)));
            }
        }

        /** Matches the resource and the condition of a statement whose action already matched. */
        private Tri applies(CompiledStatement statement) {
            Tri resource = statement.coversResource(request.resourceArn(), context);
            if (resource == Tri.FALSE) {
                return Tri.FALSE;
            }
            ConditionResult condition = statement.condition(context);
            Tri applies = resource.and(condition.value());
            if (applies == Tri.UNKNOWN) {
                unresolved.addAll(condition.unresolved());
                if (resource == Tri.UNKNOWN) {
                    unresolved.add(new UnresolvedCondition("Resource", "policy variable", statement.statement.resources()));
                }
            }
            return applies;
        }

        private static List<CompiledPolicy> single(CompiledPolicy policy) {
            return policy == null ? List.of() : List.of(policy);
        }
    }

    /** Deny statements that apply for certain, and those that apply only under conditions. */
    private static final class Layer {
        Tri value = Tri.FALSE;
        final List<Evidence> certain = new ArrayList<>();
        final List<Evidence> uncertain = new ArrayList<>();

        void add(CompiledStatement statement, Tri applies) {
            value = value.or(applies);
            if (applies == Tri.TRUE) {
                certain.add(statement.evidence());
            } else if (applies == Tri.UNKNOWN) {
                uncertain.add(statement.evidence());
            }
        }
    }

    private record Grant(Tri value, String reason) {
    }
}
