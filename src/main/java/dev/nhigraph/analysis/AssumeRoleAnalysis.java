package dev.nhigraph.analysis;

import dev.nhigraph.analysis.AwsProjection.AssumeEdge;
import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.aws.TrustedPrincipal;
import dev.nhigraph.db.Batches;
import dev.nhigraph.db.GraphStore;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.eval.ConditionContext;
import dev.nhigraph.policy.eval.EvaluationResult;
import dev.nhigraph.policy.eval.UnresolvedCondition;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives CAN_ASSUME edges: which principals can call {@code sts:AssumeRole} (or its web identity and SAML
 * variants) on which role.
 *
 * <p>For users and roles, each candidate named by a trust policy (directly, through its account, or through
 * {@code "*"}) is decided by {@link dev.nhigraph.policy.eval.PolicyEvaluator} with the trust policy as the role's
 * resource policy, so trust Deny statements, identity policies, boundaries and SCPs all count as AWS counts
 * them. A decision that depends on request-time conditions gives a conditional edge with those conditions in
 * the evidence.
 *
 * <p>Services and federated providers named in a trust policy get edges from the trust policy alone, since
 * they have no identity policies; they are entry points of a blast radius (a GitHub workflow, an EC2 instance).
 * The subjects of OIDC and SAML providers that the trust conditions admit, such as one GitHub repository and
 * branch, get their own edges ({@link FederatedAssumeEdges}). The provider keeps its edge, which represents all
 * its subjects together.
 *
 * <p>A trust policy that names an account, or names {@code "*"} to callers of other accounts, only delegates to
 * their identity policies, so only the principals whose identity policies could allow {@code sts:AssumeRole}
 * ({@link IdentityGrants}) are decided. The work grows with those grants, not with roles times principals.
 */
public final class AssumeRoleAnalysis {

    private static final List<String> ASSUME_ACTIONS = List.of("sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML");
    private static final Logger log = LoggerFactory.getLogger(AssumeRoleAnalysis.class);

    private final AwsProjection projection;
    private final AwsAuthorization authorization;
    private final IdentityGrants grants;
    private final LongAdder decisions = new LongAdder();
    private final Map<String, String> rolesByKey = new HashMap<>();
    private final Map<String, List<String>> identitiesByAccount = new HashMap<>();
    private final Map<String, List<String>> assumersByAccount = new ConcurrentHashMap<>();
    private final FederatedAssumeEdges federated;

    private AssumeRoleAnalysis(AwsProjection projection, IdentityGrants grants) {
        this.projection = projection;
        this.authorization = new AwsAuthorization(projection);
        this.grants = grants;
        this.federated = new FederatedAssumeEdges(projection);
        for (PrincipalNode node : projection.principals().values()) {
            if ("AwsRole".equals(node.kind()) && !node.external()) {
                rolesByKey.put(node.account() + "/" + node.name(), node.id());
            }
            if (isIdentity(node) && !node.external()) {
                identitiesByAccount.computeIfAbsent(node.account(), account -> new ArrayList<>()).add(node.id());
            }
        }
    }

    /** Computes every CAN_ASSUME edge of the projection. */
    public static List<AssumeEdge> derive(AwsProjection projection) {
        return derive(projection, new IdentityGrants(projection));
    }

    /** Computes the edges with the given index of identity grants; tests pass an exhaustive one. */
    static List<AssumeEdge> derive(AwsProjection projection, IdentityGrants grants) {
        return new AssumeRoleAnalysis(projection, grants).deriveAll();
    }

    /**
     * Replaces the CAN_ASSUME relationships in Neo4j with {@code edges}, in transactions of
     * {@link Batches#ROWS_PER_TRANSACTION} edges. A caller's edges to the roles that trust their account root go
     * through one AssumeTargetSet edge when that stores the same edges (see {@link AssumeTargetSets}), and
     * {@link AwsProjection#read} expands them again.
     */
    public static void write(GraphStore store, AwsProjection projection, List<AssumeEdge> edges) {
        write(store, projection, edges, AssumeTargetSets.MIN_SET_SIZE);
    }

    /** Writes as {@link #write(GraphStore, AwsProjection, List)} with sets of at least {@code minSetSize} roles; tests pass a larger one to store every edge directly. */
    static void write(GraphStore store, AwsProjection projection, List<AssumeEdge> edges, int minSetSize) {
        AssumeTargetSets.Compressed stored = AssumeTargetSets.compress(projection, edges, minSetSize);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AssumeEdge edge : stored.direct()) {
            rows.add(Map.of("source", edge.source(), "target", edge.target(), "conditional", edge.conditional(),
                    "evidence", Json.write(edge.evidence())));
        }
        List<Map<String, Object>> setRows = new ArrayList<>();
        for (AssumeTargetSets.SetEdge edge : stored.setEdges()) {
            setRows.add(Map.of("source", edge.source(), "target", edge.set(), "conditional", edge.conditional(),
                    "evidence", Json.write(edge.callerEvidence()), "trustAt", edge.trustAt(), "except", edge.except()));
        }

        // Every old edge goes first and each pair occurs once in edges, so CREATE suffices. MERGE would scan the
        // relationships of a principal that can assume a thousand roles for every row.
        Batches.deleteInTransactions(store, "MATCH ()-[e:CAN_ASSUME]->() WITH e LIMIT $limit DELETE e RETURN count(*) AS n");
        writeSets(store, stored);
        Batches.unwindInTransactions(store, "CAN_ASSUME edges", """
                UNWIND $rows AS row
                MATCH (a:Principal {id: row.source}), (b:Principal {id: row.target})
                CREATE (a)-[:CAN_ASSUME {conditional: row.conditional, evidence: row.evidence}]->(b)""", rows);
        Batches.unwindInTransactions(store, "CAN_ASSUME edges to target sets", """
                UNWIND $rows AS row
                MATCH (a:Principal {id: row.source}), (s:AssumeTargetSet {id: row.target})
                CREATE (a)-[:CAN_ASSUME {conditional: row.conditional, evidence: row.evidence, trustAt: row.trustAt,
                                         except: row.except}]->(s)""",
                setRows);
        log.info("Wrote {} CAN_ASSUME: {} to roles and {} to {} target sets, standing for {} edges to roles",
                rows.size() + setRows.size(), rows.size(), setRows.size(), stored.sets().size(), edges.size());
    }

    /** Replaces the AssumeTargetSet nodes and their INCLUDES relationships, each with the member's trust evidence. */
    private static void writeSets(GraphStore store, AssumeTargetSets.Compressed stored) {
        Batches.deleteInTransactions(store, "MATCH (s:AssumeTargetSet) WITH s LIMIT $limit DETACH DELETE s RETURN count(*) AS n", 1_000);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AssumeTargetSets.TargetSet set : stored.sets()) {
            List<Map<String, Object>> members = new ArrayList<>();
            for (String member : set.members()) {
                List<Evidence> trust = stored.trustEvidence().get(member);
                // A member that no edge through the set covers has no trust part, and no expansion needs one.
                members.add(Map.of("id", member, "trustEvidence", trust == null ? "[]" : Json.write(trust)));
            }
            Map<String, Object> row = new HashMap<>();
            row.put("id", set.id());
            row.put("account", set.account());
            row.put("condition", set.condition());
            row.put("members", members);
            rows.add(row);
        }
        store.write(tx -> {
            Batches.unwind(tx, """
                    UNWIND $rows AS row
                    CREATE (s:AssumeTargetSet {id: row.id, account: row.account, condition: row.condition,
                                               size: size(row.members)})
                    WITH s, row
                    UNWIND row.members AS member
                    MATCH (m:Principal {id: member.id})
                    CREATE (s)-[:INCLUDES {trustEvidence: member.trustEvidence}]->(m)""", rows, Map.of());
            return null;
        });
    }

    private List<AssumeEdge> deriveAll() {
        List<PrincipalNode> roles = projection.principals().values().stream()
                .filter(role -> "AwsRole".equals(role.kind()) && !role.external() && role.trustPolicy() != null).toList();
        // Roles are independent of each other, so they are decided in parallel; the result keeps the roles' order.
        List<AssumeEdge> edges = roles.parallelStream().flatMap(role -> {
            Policy trust = Policy.parse(role.id() + "#trust", "trust policy of " + role.name(), "trust", role.trustPolicy());
            return edgesInto(role, trust).stream();
        }).toList();
        log.info("Derived {} CAN_ASSUME edges into {} roles with {} access decisions", edges.size(), roles.size(),
                decisions.sum());
        return edges;
    }

    private List<AssumeEdge> edgesInto(PrincipalNode role, Policy trust) {
        Map<String, List<Evidence>> trustAllows = new LinkedHashMap<>();
        Map<String, Boolean> conditional = new HashMap<>();

        for (Statement statement : trust.statements()) {
            if (!statement.allow() || statement.notPrincipal() || !coversAssume(statement)) {
                continue;
            }
            for (Map.Entry<String, List<String>> entry : statement.principals().entrySet()) {
                for (String value : entry.getValue()) {
                    TrustedPrincipal trusted = TrustedPrincipal.of(entry.getKey(), value, rolesByKey);
                    if (trusted == null) {
                        continue;
                    }
                    Evidence evidence = Evidence.of(trust, null, statement, List.of(entry.getKey() + ": " + value), null);
                    for (String candidate : candidates(trusted, role)) {
                        trustAllows.computeIfAbsent(candidate, c -> new ArrayList<>()).add(evidence);
                        conditional.merge(candidate, statement.conditional(), Boolean::logicalAnd);
                    }
                }
            }
        }

        List<AssumeEdge> edges = new ArrayList<>();
        for (Map.Entry<String, List<Evidence>> entry : trustAllows.entrySet()) {
            String candidate = entry.getKey();
            if (candidate.equals(role.id())) {
                continue;
            }
            AssumeEdge edge = edge(role, trust, candidate, entry.getValue(), conditional.get(candidate));
            if (edge != null) {
                edges.add(edge);
            }
        }
        edges.addAll(federated.edgesInto(role, trust));
        return edges;
    }

    /**
     * Returns the principals a trust policy entry admits: itself; or, for an account or {@code "*"}, the loaded
     * users and roles whose identity policies could allow {@code sts:AssumeRole}, and for {@code "*"} every user
     * and role of the role's own account, whom the trust policy alone can admit.
     */
    private List<String> candidates(TrustedPrincipal trusted, PrincipalNode role) {
        Set<String> assumers = grants.mayAllow("sts:AssumeRole");
        switch (trusted.kind()) {
            case "AwsAccount":
                // Hundreds of roles trust the same account root, so its filtered identities are kept.
                return assumersByAccount.computeIfAbsent(trusted.account(), account -> identitiesByAccount
                        .getOrDefault(account, List.of()).stream().filter(assumers::contains).toList());
            case "AnyPrincipal":
                List<String> admitted = new ArrayList<>(identitiesByAccount.getOrDefault(role.account(), List.of()));
                assumers.stream().filter(id -> !role.account().equals(projection.principal(id).account()))
                        .sorted().forEach(admitted::add);
                return admitted;
            case "AwsUser", "AwsRole", "AwsServicePrincipal", "FederatedProvider":
                return List.of(trusted.id());
            default:
                // Groups cannot be principals of a trust policy, and deleted principals cannot sign requests.
                return List.of();
        }
    }

    /**
     * Returns the decision's reason followed by the conditions it could not decide, so that the evidence of a
     * conditional edge names them even when no statement of it has a Condition block.
     */
    static String withConditions(EvaluationResult decision) {
        if (decision.conditions() == null || decision.conditions().isEmpty()) {
            return decision.reason();
        }
        List<String> conditions = new ArrayList<>();
        for (UnresolvedCondition condition : decision.conditions()) {
            conditions.add(condition.operator() + " " + condition.key() + " " + condition.values());
        }
        return decision.reason() + ": " + String.join("; ", conditions);
    }

    private AssumeEdge edge(PrincipalNode role, Policy trust, String candidateId, List<Evidence> trustEvidence,
                            boolean trustConditional) {
        PrincipalNode candidate = projection.principal(candidateId);
        if (candidate == null) {
            return null;
        }

        // Loaded users and roles: the full evaluation decides, with the trust policy as the role's resource policy.
        if (isIdentity(candidate) && !candidate.external()) {
            EvaluationResult decision = authorization.decide(candidateId, "sts:AssumeRole", role.id(), ConditionContext.UNKNOWN);
            decisions.increment();
            if (decision.decision() == EvaluationResult.Decision.DENIED) {
                return null;
            }
            List<Evidence> evidence = new ArrayList<>(decision.statements());
            evidence.add(note(withConditions(decision)));
            return new AssumeEdge(candidateId, role.id(), decision.decision() == EvaluationResult.Decision.CONDITIONAL, evidence);
        }

        // Services, federated providers and principals outside the loaded accounts have no identity policies
        // in the graph: the trust policy alone decides.
        List<Evidence> denies = trustDenies(trust, candidate);
        if (denies == null) {
            return null;
        }
        List<Evidence> evidence = new ArrayList<>(trustEvidence);
        evidence.addAll(denies);
        if (candidate.external() && isIdentity(candidate)) {
            evidence.add(note("the principal is outside the loaded accounts, so its own policies are not checked"));
        }
        return new AssumeEdge(candidateId, role.id(), trustConditional || !denies.isEmpty(), evidence);
    }

    /**
     * Returns the trust policy's Deny statements that may apply to {@code candidate}: an empty list when none
     * does, the conditional ones when only those do, or null when an unconditional one denies.
     */
    private List<Evidence> trustDenies(Policy trust, PrincipalNode candidate) {
        List<Evidence> conditionalDenies = new ArrayList<>();
        for (Statement statement : trust.statements()) {
            if (statement.allow() || !coversAssume(statement) || statement.notPrincipal()) {
                continue;
            }
            for (Map.Entry<String, List<String>> entry : statement.principals().entrySet()) {
                for (String value : entry.getValue()) {
                    TrustedPrincipal denied = TrustedPrincipal.of(entry.getKey(), value, rolesByKey);
                    if (denied != null && names(denied, candidate)) {
                        if (!statement.conditional()) {
                            return null;
                        }
                        conditionalDenies.add(Evidence.of(trust, null, statement, List.of(entry.getKey() + ": " + value),
                                "Deny under a condition: the role can be assumed only when it does not match"));
                    }
                }
            }
        }
        return conditionalDenies;
    }

    /** Tells whether a trust policy entry names {@code candidate}, which has no identity policies in the graph. */
    private static boolean names(TrustedPrincipal entry, PrincipalNode candidate) {
        return switch (entry.kind()) {
            case "AnyPrincipal" -> true;
            case "AwsAccount" -> isIdentity(candidate) && entry.account().equals(candidate.account());
            default -> entry.id().equals(candidate.id());
        };
    }

    private static boolean coversAssume(Statement statement) {
        return ASSUME_ACTIONS.stream().anyMatch(statement::coversAction);
    }

    private static boolean isIdentity(PrincipalNode node) {
        return "AwsUser".equals(node.kind()) || "AwsRole".equals(node.kind());
    }

    static Evidence note(String text) {
        return new Evidence(null, null, null, null, -1, null, null, null, null, null, null, text);
    }
}
