package dev.nhigraph.analysis;

import dev.nhigraph.analysis.AwsProjection.AssumeEdge;
import dev.nhigraph.NhigraphException;
import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.db.Batches;
import dev.nhigraph.db.GraphStore;
import dev.nhigraph.escalation.Permission;
import dev.nhigraph.escalation.TargetRequirements;
import dev.nhigraph.escalation.Technique;
import dev.nhigraph.escalation.TechniqueCatalog;
import dev.nhigraph.policy.AccessSummarizer;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.PolicySet;
import dev.nhigraph.policy.Statement;
import dev.nhigraph.policy.eval.ConditionContext;
import dev.nhigraph.policy.eval.EvaluationResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives privilege-escalation steps from the technique catalogue: CAN_ESCALATE edges from a principal to the
 * role, user or group it can become or join, and the principals that can make themselves administrators.
 *
 * <p>For each technique, the callers worth deciding are the users and roles whose identity policies could allow
 * every action it needs ({@link IdentityGrants}); each of their permissions is then decided in full by the
 * evaluator on the technique's resource: the target's ARN, the caller's own, or an example ARN of a resource the
 * caller creates. A step is conditional when a permission is CONDITIONAL, or when the technique needs a resource
 * that the export cannot show (an existing function, stack or instance running as the role).
 *
 * <p>Administrators by their own policies get no CAN_ESCALATE edges: they reach admin in zero steps and can
 * become any principal of their account, so their edges would only bury the others. sts:AssumeRole is left to
 * CAN_ASSUME. Targets are in the caller's account, since IAM and iam:PassRole act within one account.
 *
 * <p>NOTE: a resource template is decided on one example ARN (region us-east-1, names "nhigraph-example"), so a
 * caller allowed an action only on some names, such as {@code function:app-*}, is missed. Access key counts and
 * login profiles are not in the export, so the evidence notes them instead of deciding them, except that a
 * technique that needs an existing console password (iam:UpdateLoginProfile) gives a conditional step.
 */
public final class EscalationAnalysis {

    /** One step: {@code source} can become or join {@code target} by any of {@code techniques}. */
    public record EscalationEdge(String source, String target, List<String> techniques, boolean conditional,
                                 List<Evidence> evidence) {
    }

    /** A principal that can make itself an administrator, or is one by its own policies, and why. */
    public record AdminFinding(String principal, List<String> techniques, boolean conditional, List<Evidence> evidence) {
    }

    /**
     * The roles, users or groups of one account that meet every requirement of a technique that does not depend
     * on the caller, such as "every role that Lambda can assume". Stored once as an EscalationTargetSet node with
     * INCLUDES relationships, so that a caller able to use the technique on all of them needs one edge, not one
     * per member.
     */
    public record TargetSet(String id, String technique, String account, List<String> members) {
    }

    /** One step from {@code source} to every member of the set {@code set} but itself, by {@code technique}. */
    public record SetEdge(String source, String set, String technique, boolean conditional, List<Evidence> evidence) {
    }

    /** Every step and every administrator found; steps to many targets at once go through target sets. */
    public record Result(List<EscalationEdge> edges, List<TargetSet> sets, List<SetEdge> setEdges, List<AdminFinding> admins) {

        /**
         * Returns the number of steps by technique: each direct edge once, and each edge to a set once per member.
         * A pair that several techniques connect through sets counts once for each.
         */
        public long steps() {
            Map<String, Integer> sizes = new HashMap<>();
            sets.forEach(set -> sizes.put(set.id(), set.members().size()));
            return edges.size() + setEdges.stream().mapToLong(edge -> sizes.get(edge.set())).sum();
        }

        /** Returns the number of CAN_ESCALATE relationships stored: direct ones and those to target sets. */
        public int relationships() {
            return edges.size() + setEdges.size();
        }
    }

    /**
     * The smallest number of targets for which a technique's steps go through a target set. Below it, direct
     * edges are clearer to query and cost little.
     */
    static final int MIN_SET_SIZE = 20;

    /** The technique id that marks an administrator by its own policies. */
    public static final String OWN_POLICIES = "own-policies";

    private static final String EXAMPLE_REGION = "us-east-1";
    private static final String EXAMPLE_NAME = "nhigraph-example";
    private static final Logger log = LoggerFactory.getLogger(EscalationAnalysis.class);

    private final AwsProjection projection;
    private final TechniqueCatalog techniques;
    private final AwsAuthorization authorization;
    private final IdentityGrants grants;
    private final AccessSummaries summaries;
    private final Map<String, Set<String>> assumable = new HashMap<>();
    private final Map<String, Map<String, List<PrincipalNode>>> candidates = new ConcurrentHashMap<>();
    private final Map<String, Map<String, List<String>>> exampleArns = new ConcurrentHashMap<>();
    private final Map<String, List<PrincipalNode>> identitiesByAccount = new HashMap<>();
    private final Map<String, Set<String>> trustedServices = new HashMap<>();
    private final LongAdder decisions = new LongAdder();
    private final Map<String, Map<String, List<Statement>>> allowStatements = new ConcurrentHashMap<>();
    /** The customer-managed policies of each principal, asked for once per caller and target of some techniques. */
    private final Map<String, List<String>> customerPolicies = new ConcurrentHashMap<>();
    private final Set<String> singleVersionPolicies;

    private EscalationAnalysis(AwsProjection projection, List<AssumeEdge> assumeEdges, TechniqueCatalog techniques,
                               ActionCatalog actions, Set<String> singleVersionPolicies) {
        this.projection = projection;
        this.techniques = techniques;
        this.singleVersionPolicies = singleVersionPolicies;
        this.authorization = new AwsAuthorization(projection);
        this.grants = new IdentityGrants(projection);
        this.summaries = new AccessSummaries(projection, new AccessSummarizer(actions), authorization);
        assumeEdges.forEach(edge -> assumable.computeIfAbsent(edge.source(), source -> new HashSet<>()).add(edge.target()));
        for (PrincipalNode node : projection.principals().values()) {
            if (node.external() || node.kind() == null) {
                continue;
            }
            if (List.of("AwsUser", "AwsRole", "AwsGroup").contains(node.kind())) {
                identitiesByAccount.computeIfAbsent(node.account(), account -> new ArrayList<>()).add(node);
            }
            if ("AwsRole".equals(node.kind()) && node.trustPolicy() != null) {
                trustedServices.put(node.id(), services(node));
            }
        }
    }

    /**
     * Derives every escalation step and administrator of the projection.
     *
     * @param assumeEdges the CAN_ASSUME edges just derived, for techniques that need a role the caller can assume
     */
    public static Result derive(AwsProjection projection, List<AssumeEdge> assumeEdges, TechniqueCatalog techniques,
                                ActionCatalog actions) {
        return derive(projection, assumeEdges, techniques, actions, Set.of());
    }

    /**
     * Derives every escalation step and administrator of the projection, knowing which managed policies have no
     * version besides the default one, so that iam:SetDefaultPolicyVersion on them gains nothing.
     *
     * @param singleVersionPolicies ids of managed policies whose export lists one version only
     */
    public static Result derive(AwsProjection projection, List<AssumeEdge> assumeEdges, TechniqueCatalog techniques,
                                ActionCatalog actions, Set<String> singleVersionPolicies) {
        return new EscalationAnalysis(projection, assumeEdges, techniques, actions, singleVersionPolicies).deriveAll();
    }

    /** Returns the ids of the managed policies in the graph whose export listed one version only. */
    public static Set<String> readSingleVersionPolicies(GraphStore store) {
        return store.read(tx -> Set.copyOf(tx.run("MATCH (p:AwsPolicy) WHERE p.versionCount = 1 RETURN p.id AS id")
                .list(r -> r.get("id").asString())));
    }

    /**
     * Replaces the CAN_ESCALATE relationships and the administrator marks in Neo4j. The old ones are removed and
     * the marks written in one transaction, then the edges in transactions of {@link Batches#ROWS_PER_TRANSACTION}.
     *
     * <p>NOTE: if a later transaction fails, the graph keeps the edges written so far and the raw facts; the error
     * says so, and loading the same files again derives them anew.
     */
    public static void write(GraphStore store, Result result) {
        List<Map<String, Object>> edges = new ArrayList<>();
        for (EscalationEdge edge : result.edges()) {
            edges.add(Map.of("source", edge.source(), "target", edge.target(), "technique", edge.techniques().get(0),
                    "techniques", edge.techniques(), "conditional", edge.conditional(),
                    "evidence", Json.write(compact(edge.evidence()))));
        }
        List<Map<String, Object>> admins = new ArrayList<>();
        for (AdminFinding admin : result.admins()) {
            admins.add(Map.of("id", admin.principal(), "reaches", admin.conditional() ? "CONDITIONAL" : "YES",
                    "techniques", admin.techniques(), "evidence", Json.write(admin.evidence())));
        }
        List<Map<String, Object>> setEdges = new ArrayList<>();
        for (SetEdge edge : result.setEdges()) {
            setEdges.add(Map.of("source", edge.source(), "target", edge.set(), "technique", edge.technique(),
                    "techniques", List.of(edge.technique()), "conditional", edge.conditional(),
                    "evidence", Json.write(compact(edge.evidence()))));
        }
        Batches.deleteInTransactions(store, "MATCH ()-[e:CAN_ESCALATE]->() WITH e LIMIT $limit DELETE e RETURN count(*) AS n");
        writeSets(store, result.sets());
        store.write(tx -> {
            tx.run("""
                    MATCH (p:Principal) WHERE p.adminEquivalent IS NOT NULL
                    REMOVE p.adminEquivalent, p.adminTechniques, p.adminEvidence""").consume();
            Batches.unwind(tx, """
                    UNWIND $rows AS row
                    MATCH (p:Principal {id: row.id})
                    SET p.adminEquivalent = row.reaches, p.adminTechniques = row.techniques, p.adminEvidence = row.evidence""",
                    admins, Map.of());
            return null;
        });
        writeEdges(store, edges, "Principal");
        writeEdges(store, setEdges, "EscalationTargetSet");
        log.info("Wrote {} CAN_ESCALATE, {} target sets and {} administrator marks", edges.size() + setEdges.size(),
                result.sets().size(), admins.size());
    }

    /**
     * Creates CAN_ESCALATE edges to targets with {@code targetLabel}, Principal or EscalationTargetSet, in
     * transactions of {@link Batches#ROWS_PER_TRANSACTION}. The old edges are gone and each pair occurs once, so CREATE
     * suffices.
     */
    private static void writeEdges(GraphStore store, List<Map<String, Object>> edges, String targetLabel) {
        String cypher = """
                UNWIND $rows AS row
                MATCH (a:Principal {id: row.source}), (b:%s {id: row.target})
                CREATE (a)-[:CAN_ESCALATE {technique: row.technique, techniques: row.techniques,
                                           conditional: row.conditional, evidence: row.evidence}]->(b)""".formatted(targetLabel);
        Batches.unwindInTransactions(store, "CAN_ESCALATE edges to " + targetLabel + " nodes", cypher, edges);
    }

    /** Replaces the target sets and their INCLUDES relationships. */
    private static void writeSets(GraphStore store, List<TargetSet> sets) {
        long deleted;
        do {
            deleted = store.write(tx -> tx.run("MATCH (s:EscalationTargetSet) WITH s LIMIT $limit DETACH DELETE s RETURN count(*) AS n",
                    Map.of("limit", 1_000)).single().get("n").asLong());
        } while (deleted > 0);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (TargetSet set : sets) {
            rows.add(Map.of("id", set.id(), "technique", set.technique(), "account", String.valueOf(set.account()),
                    "members", set.members()));
        }
        store.write(tx -> {
            Batches.unwind(tx, """
                    UNWIND $rows AS row
                    CREATE (s:EscalationTargetSet {id: row.id, technique: row.technique, account: row.account,
                                                   size: size(row.members)})
                    WITH s, row
                    UNWIND row.members AS member
                    MATCH (m:Principal {id: member})
                    CREATE (s)-[:INCLUDES]->(m)""", rows, Map.of());
            return null;
        });
    }

    /**
     * Returns the evidence with each statement named by policy, index, Sid, effect and condition, without copies of
     * its actions and resources: the policy's document in the graph has them, and a dense core of roles yields a
     * million edges whose full statements would not fit in memory.
     */
    static List<Evidence> compact(List<Evidence> evidence) {
        return evidence.stream().map(e -> new Evidence(e.policy(), e.policyName(), e.policyKind(), e.via(), e.statement(),
                e.sid(), e.effect(), null, null, null, e.condition(), e.note())).toList();
    }

    private Result deriveAll() {
        Map<Technique, Set<String>> callersByTechnique = new LinkedHashMap<>();
        Set<String> callers = new TreeSet<>();
        for (Technique technique : techniques.all()) {
            // sts:AssumeRole of a role that trusts the caller is CAN_ASSUME, derived with the trust policy.
            if (!technique.id().equals("sts-001")) {
                callersByTechnique.put(technique, callers(technique));
                callers.addAll(callersByTechnique.get(technique));
            }
        }

        // Callers are independent of each other, so they are decided in parallel; the result keeps their order.
        List<CallerResult> results = callers.parallelStream()
                .map(id -> deriveFor(projection.principal(id), callersByTechnique)).toList();

        List<EscalationEdge> edges = new ArrayList<>();
        List<SetEdge> setEdges = new ArrayList<>();
        Map<String, TargetSet> sets = new TreeMap<>();
        List<AdminFinding> findings = new ArrayList<>(ownPolicyAdmins());
        for (CallerResult result : results) {
            result.setSteps().forEach((setId, found) -> {
                String account = projection.principal(result.caller()).account();
                sets.computeIfAbsent(setId, id -> new TargetSet(id, found.technique().id(), account,
                        candidates(found.technique(), account).stream().map(PrincipalNode::id).toList()));
                setEdges.add(new SetEdge(result.caller(), setId, found.technique().id(), found.conditional(), found.evidence()));
            });
            result.steps().forEach((target, found) -> edges.add(new EscalationEdge(result.caller(), target,
                    found.stream().map(f -> f.technique().id()).toList(), found.stream().allMatch(Found::conditional),
                    strongest(found).evidence())));
            if (!result.admin().isEmpty()) {
                // A technique that works on several targets, such as iam-015 on every user, is listed once.
                findings.add(new AdminFinding(result.caller(),
                        result.admin().stream().map(f -> f.technique().id()).distinct().toList(),
                        result.admin().stream().allMatch(Found::conditional), strongest(result.admin()).evidence()));
            }
        }
        Result result = new Result(edges, List.copyOf(sets.values()), setEdges, findings);
        log.info("Derived {} escalation steps by technique ({} direct CAN_ESCALATE edges and {} to {} target sets) and {} administrators"
                        + " from {} callers with {} access decisions", result.steps(), edges.size(), setEdges.size(), sets.size(),
                findings.size(), callers.size(), decisions.sum());
        return result;
    }

    /** The result for one caller: the techniques that make it an administrator, its steps by target and by set. */
    private record CallerResult(String caller, List<Found> admin, Map<String, List<Found>> steps, Map<String, Found> setSteps) {
    }

    /**
     * Decides every technique for one caller. Techniques that make it an administrator go first: a caller that
     * surely becomes one gets no steps, for the same reason as an administrator by its own policies.
     */
    private CallerResult deriveFor(PrincipalNode caller, Map<Technique, Set<String>> callersByTechnique) {
        if (summaries.isAdmin(caller)) {
            return new CallerResult(caller.id(), List.of(), Map.of(), Map.of());
        }
        // The same permission on the same resource recurs across techniques and targets (iam:PassRole on a role,
        // lambda:CreateFunction on the example function), so each is decided once per caller.
        Map<String, Map<String, EvaluationResult>> decided = new HashMap<>();

        List<Found> admin = new ArrayList<>();
        for (Map.Entry<Technique, Set<String>> entry : callersByTechnique.entrySet()) {
            Technique technique = entry.getKey();
            if (entry.getValue().contains(caller.id()) && givesAdmin(technique)) {
                for (PrincipalNode target : targets(technique, caller)) {
                    Found found = decide(technique, caller, target, decided);
                    if (found != null) {
                        admin.add(found);
                    }
                }
            }
        }
        if (admin.stream().anyMatch(found -> !found.conditional())) {
            return new CallerResult(caller.id(), admin, Map.of(), Map.of());
        }

        Map<String, List<Found>> steps = new TreeMap<>();
        Map<String, Found> setSteps = new TreeMap<>();
        for (Map.Entry<Technique, Set<String>> entry : callersByTechnique.entrySet()) {
            Technique technique = entry.getKey();
            if (!entry.getValue().contains(caller.id()) || givesAdmin(technique)) {
                continue;
            }
            List<PrincipalNode> targets = targets(technique, caller);
            if (targets.size() >= MIN_SET_SIZE && targetIndependent(technique)) {
                // Every permission is decided on resources that do not depend on the target, so one decision holds
                // for all of them, and one edge to the set stands for the step to each.
                Found found = decide(technique, caller, targets.get(0), decided);
                if (found != null) {
                    setSteps.put(setId(technique, caller.account()), found);
                }
                continue;
            }
            for (PrincipalNode target : targets) {
                if (target.id().equals(caller.id())) {
                    continue;
                }
                Found found = decide(technique, caller, target, decided);
                if (found != null) {
                    steps.computeIfAbsent(target.id(), id -> new ArrayList<>()).add(found);
                }
            }
        }
        return new CallerResult(caller.id(), admin, steps, setSteps);
    }

    /**
     * Tells whether every permission of the technique is decided on a resource that does not depend on the target
     * and whether its targets do not depend on the caller, so that its targets in an account form one set.
     */
    private static boolean targetIndependent(Technique technique) {
        TargetRequirements requires = technique.targetRequires();
        if (Boolean.TRUE.equals(requires.trustsCaller()) || requires.hasMember() != null) {
            return false;
        }
        return technique.permissions().stream().noneMatch(permission -> Permission.TARGET.equals(permission.resource())
                || Permission.TARGET_ATTACHED_POLICY.equals(permission.resource()));
    }

    /** Returns the id of the target set of a technique in an account. */
    static String setId(Technique technique, String account) {
        return "escalation-targets:" + technique.id() + ":" + account;
    }

    /**
     * Tells whether the technique makes the caller an administrator. One without a target principal changes the
     * caller's own policies, so its gain counts as administrator access; decide() marks the uncertain ones
     * conditional.
     */
    private static boolean givesAdmin(Technique technique) {
        return technique.outcome() == Technique.Outcome.ADMIN || technique.target() == Technique.Target.POLICY
                || technique.target() == Technique.Target.NONE;
    }

    /** Returns the users and roles whose own policies amount to administrator access. */
    private List<AdminFinding> ownPolicyAdmins() {
        List<AdminFinding> findings = new ArrayList<>();
        for (List<PrincipalNode> principals : identitiesByAccount.values()) {
            for (PrincipalNode principal : principals) {
                if (!"AwsGroup".equals(principal.kind()) && summaries.isAdmin(principal)) {
                    findings.add(new AdminFinding(principal.id(), List.of(OWN_POLICIES), false,
                            List.of(note("its own policies allow every action on every resource; SCPs are not counted"))));
                }
            }
        }
        return findings;
    }

    /** One technique that works for one caller and target, with the evidence of every permission. */
    private record Found(Technique technique, boolean conditional, List<Evidence> evidence) {
    }

    /** Returns the unconditional technique when there is one, so the evidence shows the surest way. */
    private static Found strongest(List<Found> found) {
        return found.stream().filter(f -> !f.conditional()).findFirst().orElse(found.get(0));
    }

    /** Returns the users and roles whose identity policies could allow every action of the technique. */
    private Set<String> callers(Technique technique) {
        Set<String> callers = null;
        for (Permission permission : technique.permissions()) {
            Set<String> allowed = grants.mayAllow(permission.action());
            if (callers == null) {
                callers = new HashSet<>(allowed);
            } else {
                callers.retainAll(allowed);
            }
        }
        if (callers == null) {
            return Set.of();
        }
        if (technique.callerKind() != null) {
            callers.removeIf(id -> !technique.callerKind().equals(projection.principal(id).kind()));
        }
        return new TreeSet<>(callers);
    }

    /**
     * Returns the targets that meet the technique's requirements in the caller's account; a list with one null
     * for a technique without a target.
     */
    private List<PrincipalNode> targets(Technique technique, PrincipalNode caller) {
        TargetRequirements requires = technique.targetRequires();
        switch (technique.target()) {
            case SELF:
                return List.of(caller);
            case NONE:
            case POLICY:
                return java.util.Collections.singletonList(null);
            default:
                break;
        }
        List<PrincipalNode> candidates = candidates(technique, caller.account());
        boolean trustsCaller = Boolean.TRUE.equals(requires.trustsCaller());
        boolean callerIsMember = TargetRequirements.CALLER.equals(requires.hasMember());
        if (!trustsCaller && !callerIsMember) {
            return candidates;
        }
        // Looked up once per caller rather than per candidate, because in tier Q these lookups were the largest
        // cost of CAN_ESCALATE.
        Set<String> assumableByCaller = assumable.getOrDefault(caller.id(), Set.of());
        List<String> groupsOfCaller = projection.groupsOf(caller.id());
        List<PrincipalNode> targets = new ArrayList<>();
        for (PrincipalNode candidate : candidates) {
            if (trustsCaller && !assumableByCaller.contains(candidate.id())) {
                continue;
            }
            if (callerIsMember && !groupsOfCaller.contains(candidate.id())) {
                continue;
            }
            targets.add(candidate);
        }
        return targets;
    }

    /**
     * Returns the principals of the account that meet every requirement of the technique that does not depend on
     * the caller. They are the same for every caller of the account, so they are found once: scanning every
     * principal for each caller and technique cost more than deciding the permissions.
     */
    private List<PrincipalNode> candidates(Technique technique, String account) {
        // Nested maps keyed by existing strings: a concatenated key would be built and hashed on every call.
        return candidates.computeIfAbsent(technique.id(), id -> new ConcurrentHashMap<>()).computeIfAbsent(account, key -> {
            String kind = switch (technique.target()) {
                case ROLE -> "AwsRole";
                case USER -> "AwsUser";
                default -> "AwsGroup";
            };
            List<PrincipalNode> found = new ArrayList<>();
            for (PrincipalNode candidate : identitiesByAccount.getOrDefault(account, List.of())) {
                if (kind.equals(candidate.kind()) && meets(technique.targetRequires(), candidate)) {
                    found.add(candidate);
                }
            }
            return found;
        });
    }

    /** Tells whether the target meets the requirements that do not depend on the caller. */
    private boolean meets(TargetRequirements requires, PrincipalNode target) {
        if (requires.trustsService() != null
                && !trustedServices.getOrDefault(target.id(), Set.of()).contains(requires.trustsService().toLowerCase(Locale.ROOT))) {
            return false;
        }
        if (Boolean.TRUE.equals(requires.hasInstanceProfile()) && !projection.hasInstanceProfile(target.id())) {
            return false;
        }
        for (String action : requires.allows()) {
            if (!grants.mayAllow(action).contains(target.id())) {
                return false;
            }
        }
        return true;
    }

    /** Decides every permission of the technique for the caller; returns null when one of them is DENIED. */
    private Found decide(Technique technique, PrincipalNode caller, PrincipalNode target, Map<String, Map<String, EvaluationResult>> decided) {
        // A call that ends at a denied permission needs no evidence, so it is built once every permission is possible.
        List<EvaluationResult> allowing = new ArrayList<>(technique.permissions().size());
        for (Permission permission : technique.permissions()) {
            EvaluationResult decision = null;
            for (String resource : resources(technique, permission, caller, target)) {
                if (!identityMayAllow(caller, permission.action(), resource)) {
                    continue;
                }
                EvaluationResult tried = decided.computeIfAbsent(permission.action(), action -> new HashMap<>()).computeIfAbsent(resource, key -> {
                    decisions.increment();
                    return authorization.decide(caller.id(), permission.action(), resource, ConditionContext.UNKNOWN);
                });
                if (tried.possible()) {
                    decision = tried;
                    break;
                }
            }
            if (decision == null) {
                return null;
            }
            allowing.add(decision);
        }

        List<Evidence> evidence = new ArrayList<>();
        evidence.add(note("technique " + technique.id() + ": " + technique.name()));
        boolean conditional = false;
        for (int i = 0; i < allowing.size(); i++) {
            EvaluationResult decision = allowing.get(i);
            conditional |= decision.decision() == EvaluationResult.Decision.CONDITIONAL;
            evidence.addAll(decision.statements());
            if (decision.decision() == EvaluationResult.Decision.CONDITIONAL) {
                evidence.add(note(technique.permissions().get(i).action() + " " + AssumeRoleAnalysis.withConditions(decision)));
            }
        }

        TargetRequirements requires = technique.targetRequires();
        if (requires.existing() != null) {
            conditional = true;
            evidence.add(note("needs an existing " + requires.existing() + " that runs as the role; the export does not show one"));
        }
        if (requires.accessKeysBelow() != null) {
            evidence.add(note("works only while the user has fewer than " + requires.accessKeysBelow()
                    + " access keys; the export does not list access keys"));
        }
        if (Boolean.TRUE.equals(requires.userHasLoginProfile())) {
            // Only users that already have a console password qualify, and the export cannot show one.
            conditional = true;
            evidence.add(note("works only when the user has a console password; the export does not say which users have one"));
        } else if (requires.userHasLoginProfile() != null) {
            evidence.add(note("works only when the user has no console password; the export does not say which users have one"));
        }
        if (gainsOtherVersion(technique)) {
            // Another version of a policy may allow more, but only the default version is loaded.
            conditional = true;
            evidence.add(note("gains what another version of an attached policy allows; only default versions are evaluated"));
        }
        return new Found(technique, conditional, List.copyOf(evidence));
    }

    /**
     * Tells whether an identity Allow statement of the caller covers the action on the resource, ignoring its
     * conditions: a quick test that spares the evaluator most targets of a technique, since a caller allowed, say,
     * iam:CreateAccessKey on its own user is denied it on every other. Patterns with policy variables count as
     * covering. sts actions are always decided in full, because a trust policy can allow them by itself.
     */
    private boolean identityMayAllow(PrincipalNode caller, String action, String resource) {
        if (action.regionMatches(true, 0, "sts:", 0, 4)) {
            return true;
        }
        for (Statement statement : allowStatements(caller, action)) {
            if (statement.notResource() || statement.resources().isEmpty() || statement.coversResource(resource)) {
                return true;
            }
            for (String pattern : statement.resources()) {
                if (pattern.contains("${")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Returns the caller's identity Allow statements that cover the action, whatever their resources. */
    private List<Statement> allowStatements(PrincipalNode caller, String action) {
        // The catalogue spells each action one way, so the action string itself is the key, not its lower case.
        return allowStatements.computeIfAbsent(caller.id(), id -> new ConcurrentHashMap<>()).computeIfAbsent(action, key -> {
            List<Statement> statements = new ArrayList<>();
            for (PolicySet.GrantingPolicy granting : projection.policySet(caller.id()).identityPolicies()) {
                for (Statement statement : granting.policy().statements()) {
                    if (statement.allow() && statement.coversAction(action)) {
                        statements.add(statement);
                    }
                }
            }
            return statements;
        });
    }

    /** Tells whether the technique makes another version of a policy the default one, such as iam:SetDefaultPolicyVersion. */
    private static boolean gainsOtherVersion(Technique technique) {
        return technique.outcome() == Technique.Outcome.GAINS_TARGET_PERMISSIONS && technique.target() == Technique.Target.POLICY;
    }

    /** Returns the resources to decide a permission on, in order; one allowed is enough. */
    private List<String> resources(Technique technique, Permission permission, PrincipalNode caller, PrincipalNode target) {
        String resource = permission.resource();
        if (Permission.SELF.equals(resource)) {
            return List.of(caller.id());
        }
        if (Permission.TARGET.equals(resource) && target == null && gainsOtherVersion(technique)) {
            // A policy with one version has nothing to switch to.
            return customerPolicies(caller).stream().filter(policy -> !singleVersionPolicies.contains(policy)).toList();
        }
        if (Permission.TARGET.equals(resource)) {
            return target == null ? customerPolicies(caller) : List.of(target.id());
        }
        if (Permission.TARGET_ATTACHED_POLICY.equals(resource)) {
            return target == null ? List.of() : customerPolicies(target);
        }
        // The same template recurs for every target of a caller, so its example ARN is built once per account.
        return exampleArns.computeIfAbsent(resource, template -> new ConcurrentHashMap<>())
                .computeIfAbsent(String.valueOf(caller.account()), account -> List.of(exampleArn(resource, account)));
    }

    /** Returns the customer-managed policies attached to the principal or to its groups. */
    private List<String> customerPolicies(PrincipalNode principal) {
        return customerPolicies.computeIfAbsent(principal.id(), id -> {
            List<String> policies = new ArrayList<>();
            for (PolicySet.GrantingPolicy granting : projection.policySet(id).identityPolicies()) {
                Policy policy = granting.policy();
                if ("managed".equals(policy.kind()) && !policies.contains(policy.id())) {
                    policies.add(policy.id());
                }
            }
            return List.copyOf(policies);
        });
    }

    /** Returns an ARN that the template covers: the caller's account, an example region and example names. */
    static String exampleArn(String template, String account) {
        if (template.equals("*")) {
            return "*";
        }
        String[] parts = template.replace("{account}", account).replace("{region}", EXAMPLE_REGION).split(":", 6);
        if (parts.length > 3 && parts[3].equals("*")) {
            parts[3] = EXAMPLE_REGION;
        }
        return String.join(":", parts).replace("*", EXAMPLE_NAME);
    }

    /** Returns the service principals, in lower case, that the role's trust policy allows to assume it. */
    private static Set<String> services(PrincipalNode role) {
        Set<String> services = new HashSet<>();
        Policy trust;
        try {
            trust = Policy.parse(role.id() + "#trust", "trust policy of " + role.name(), "trust", role.trustPolicy());
        } catch (IllegalArgumentException e) {
            return services;
        }
        for (Statement statement : trust.statements()) {
            if (statement.allow() && !statement.notPrincipal()) {
                statement.principals().getOrDefault("Service", List.of())
                        .forEach(service -> services.add(service.toLowerCase(Locale.ROOT)));
            }
        }
        return services;
    }

    private static Evidence note(String text) {
        return new Evidence(null, null, null, null, -1, null, null, null, null, null, null, text);
    }
}
