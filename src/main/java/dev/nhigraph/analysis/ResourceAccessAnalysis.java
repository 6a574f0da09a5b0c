package dev.nhigraph.analysis;

import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.analysis.AwsProjection.ResourceNode;
import dev.nhigraph.aws.TrustedPrincipal;
import dev.nhigraph.db.Batches;
import dev.nhigraph.db.GraphStore;
import dev.nhigraph.policy.AccessLevel;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.Statement;
import dev.nhigraph.policy.eval.ConditionContext;
import dev.nhigraph.policy.eval.EvaluationResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives CAN_ACCESS edges from principals to the resources whose resource-based policies name them.
 *
 * <p>For each resource with a policy, the principals its Allow statements name (directly, through their account,
 * or through {@code "*"}) are each decided by the full evaluator for every action of the resource's service that
 * those statements cover. An edge is written when at least one action is ALLOWED or CONDITIONAL; it carries the
 * access levels, the number of actions, whether every one of them is conditional, and the deciding statements.
 *
 * <p>A policy that names an account, or names {@code "*"} to callers of other accounts, only delegates to their
 * identity policies, so those candidates are decided only for the actions {@link IdentityGrants} says their
 * identity policies could allow. The work then grows with identity grants, not with every principal of an
 * account times every action of a service.
 */
public final class ResourceAccessAnalysis {

    /** A derived edge before it is written. */
    public record AccessEdge(String principal, String resource, List<String> accessLevels, int actionCount,
                             boolean conditional, List<Evidence> evidence) {
    }

    private static final Logger log = LoggerFactory.getLogger(ResourceAccessAnalysis.class);

    private final AwsProjection projection;
    private final AwsAuthorization authorization;
    private final ActionCatalog catalog;
    private final IdentityGrants grants;
    private final LongAdder decisions = new LongAdder();
    private final Map<String, String> rolesByKey = new HashMap<>();
    private final Map<String, List<PrincipalNode>> identitiesByAccount = new HashMap<>();

    private ResourceAccessAnalysis(AwsProjection projection, ActionCatalog catalog, IdentityGrants grants) {
        this.projection = projection;
        this.authorization = new AwsAuthorization(projection);
        this.catalog = catalog;
        this.grants = grants;
        for (PrincipalNode node : projection.principals().values()) {
            if ("AwsRole".equals(node.kind()) && !node.external()) {
                rolesByKey.put(node.account() + "/" + node.name(), node.id());
            }
            if (isLoadedIdentity(node)) {
                identitiesByAccount.computeIfAbsent(node.account(), account -> new ArrayList<>()).add(node);
            }
        }
    }

    /** Computes every CAN_ACCESS edge that a resource-based policy of the projection grants. */
    public static List<AccessEdge> derive(AwsProjection projection, ActionCatalog catalog) {
        return derive(projection, catalog, new IdentityGrants(projection));
    }

    /** Computes the edges with the given index of identity grants; tests pass an exhaustive one. */
    static List<AccessEdge> derive(AwsProjection projection, ActionCatalog catalog, IdentityGrants grants) {
        return new ResourceAccessAnalysis(projection, catalog, grants).deriveAll();
    }

    /**
     * Replaces the CAN_ACCESS relationships in Neo4j with {@code edges}, in transactions of
     * {@link Batches#ROWS_PER_TRANSACTION} edges. Each edge's evidence names its statements without their actions
     * and resources, which the policies in the graph contain. Tier M derives two million of these edges.
     */
    public static void write(GraphStore store, List<AccessEdge> edges) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AccessEdge edge : edges) {
            rows.add(Map.of("principal", edge.principal(), "resource", edge.resource(), "accessLevels", edge.accessLevels(),
                    "actionCount", edge.actionCount(), "conditional", edge.conditional(),
                    "evidence", Json.write(edge.evidence().stream().map(Evidence::withoutActionsAndResources).toList())));
        }
        // Every old edge goes first and each pair occurs once in edges, so CREATE suffices.
        Batches.deleteInTransactions(store, """
                MATCH (:Principal)-[e:CAN_ACCESS]->(:AwsResource) WITH e LIMIT $limit DELETE e RETURN count(*) AS n""");
        Batches.unwindInTransactions(store, "CAN_ACCESS edges", """
                UNWIND $rows AS row
                MATCH (p:Principal {id: row.principal}), (r:AwsResource {id: row.resource})
                CREATE (p)-[:CAN_ACCESS {accessLevels: row.accessLevels, actionCount: row.actionCount,
                                         conditional: row.conditional, evidence: row.evidence}]->(r)""", rows);
        log.info("Wrote {} CAN_ACCESS to resources", rows.size());
    }

    private List<AccessEdge> deriveAll() {
        List<ResourceNode> resources = projection.resources().values().stream()
                .filter(resource -> projection.policy(resource.policyId()) != null)
                .sorted(Comparator.comparing(ResourceNode::arn)).toList();
        // Resources are independent of each other, so they are decided in parallel; the result keeps their order.
        List<AccessEdge> edges = resources.parallelStream().flatMap(resource -> edgesTo(resource).stream()).toList();
        log.info("Derived {} CAN_ACCESS edges from {} resource policies with {} access decisions", edges.size(),
                resources.size(), decisions.sum());
        return edges;
    }

    /**
     * Returns the edges into one resource. Candidates the policy names directly are decided for every action it
     * covers; candidates it only delegates to are decided for an action only when their identity policies could
     * allow it, found by walking that action's grants rather than every candidate.
     */
    private List<AccessEdge> edgesTo(ResourceNode resource) {
        Policy policy = projection.policy(resource.policyId());
        Map<String, Boolean> candidates = candidates(policy, resource);
        List<String> named = candidates.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
        List<String> delegated = candidates.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
        List<String> objectArns = objectArns(policy, resource.arn());

        Map<String, EdgeBuilder> builders = new TreeMap<>();
        for (String action : actionsOf(policy, serviceOf(resource))) {
            ActionCatalog.Action known = catalog.find(action).orElse(null);
            AccessLevel level = known == null ? AccessLevel.UNKNOWN : known.accessLevel();
            boolean objectAction = "s3".equals(serviceOf(resource)) && known != null
                    && known.resourceTypes().stream().anyMatch(type -> type.startsWith("object"));
            List<String> targets = objectAction ? objectArns : List.of(resource.arn());

            // The grantees of an action span every account, so the smaller side of the two is walked.
            Set<String> grantees = grants.mayAllow(action);
            List<String> toDecide = new ArrayList<>(named);
            if (delegated.size() < grantees.size()) {
                for (String candidate : delegated) {
                    if (grantees.contains(candidate)) {
                        toDecide.add(candidate);
                    }
                }
            } else {
                for (String grantee : grantees) {
                    if (Boolean.TRUE.equals(candidates.get(grantee))) {
                        toDecide.add(grantee);
                    }
                }
            }
            for (String candidate : toDecide) {
                EvaluationResult decision = decideOnSomeTarget(candidate, action, targets);
                if (decision != null) {
                    builders.computeIfAbsent(candidate, EdgeBuilder::new).add(level, decision);
                }
            }
        }
        return builders.values().stream().map(builder -> builder.edge(resource.arn())).toList();
    }

    /** The actions one candidate may take on one resource, gathered action by action. */
    private static final class EdgeBuilder {

        private final String candidate;
        private final EnumMap<AccessLevel, Integer> levels = new EnumMap<>(AccessLevel.class);
        private final Set<Evidence> evidence = new LinkedHashSet<>();
        private int allowed;
        private int conditional;

        EdgeBuilder(String candidate) {
            this.candidate = candidate;
        }

        void add(AccessLevel level, EvaluationResult decision) {
            allowed++;
            if (decision.decision() == EvaluationResult.Decision.CONDITIONAL) {
                conditional++;
            }
            levels.merge(level, 1, Integer::sum);
            evidence.addAll(decision.statements());
        }

        AccessEdge edge(String resourceArn) {
            return new AccessEdge(candidate, resourceArn, levels.keySet().stream().map(AccessLevel::label).toList(),
                    allowed, conditional == allowed, List.copyOf(evidence));
        }
    }

    /** Decides {@code action} on each target in turn; returns the first decision that is not DENIED, or null. */
    private EvaluationResult decideOnSomeTarget(String candidate, String action, List<String> targets) {
        for (String target : targets) {
            EvaluationResult decision = authorization.decide(candidate, action, target, ConditionContext.UNKNOWN);
            decisions.increment();
            if (decision.possible()) {
                return decision;
            }
        }
        return null;
    }

    /**
     * Returns the object ARNs to try for a bucket: the object patterns its policy names, and every object.
     * NOTE: a pattern stands for the objects it covers, so access to only part of a pattern's objects (through a
     * narrower identity policy) can be missed.
     */
    private static List<String> objectArns(Policy policy, String bucketArn) {
        Set<String> objects = new LinkedHashSet<>();
        for (Statement statement : policy.statements()) {
            for (String pattern : statement.resources()) {
                if (pattern.startsWith(bucketArn + "/")) {
                    objects.add(pattern);
                }
            }
        }
        objects.add(bucketArn + "/*");
        return List.copyOf(objects);
    }

    private static String serviceOf(ResourceNode resource) {
        return resource.service() != null ? resource.service() : resource.arn().split(":", 4)[2];
    }

    /** Returns the catalogue actions of {@code service} that some Allow statement of the policy covers. */
    private List<String> actionsOf(Policy policy, String service) {
        Set<String> actions = new TreeSet<>();
        String prefix = service.toLowerCase(Locale.ROOT) + ":";
        for (Statement statement : policy.statements()) {
            if (!statement.allow()) {
                continue;
            }
            for (ActionCatalog.Action action : catalog.match(prefix + "*")) {
                if (statement.coversAction(action.fullName())) {
                    actions.add(action.fullName());
                }
            }
        }
        return List.copyOf(actions);
    }

    /**
     * Returns the loaded users and roles that an Allow statement of the policy names, each with true when the
     * policy only delegates to it (through its account, or through {@code "*"} from another account) and false
     * when the policy names it directly, so it may grant by itself.
     */
    private Map<String, Boolean> candidates(Policy policy, ResourceNode resource) {
        Map<String, Boolean> candidates = new TreeMap<>();
        for (Statement statement : policy.statements()) {
            if (!statement.allow()) {
                continue;
            }
            if (statement.notPrincipal()) {
                loadedIdentities().forEach(p -> candidates.put(p.id(), false));
                continue;
            }
            for (Map.Entry<String, List<String>> entry : statement.principals().entrySet()) {
                for (String value : entry.getValue()) {
                    TrustedPrincipal named = TrustedPrincipal.of(entry.getKey(), value, rolesByKey);
                    if (named != null) {
                        addCandidates(named, resource, candidates);
                    }
                }
            }
        }
        return candidates;
    }

    private void addCandidates(TrustedPrincipal named, ResourceNode resource, Map<String, Boolean> candidates) {
        switch (named.kind()) {
            case "AwsUser", "AwsRole" -> {
                PrincipalNode node = projection.principal(named.id());
                if (node != null && isLoadedIdentity(node)) {
                    candidates.put(node.id(), false);
                }
            }
            case "AwsAccount" -> identitiesByAccount.getOrDefault(named.account(), List.of())
                    .forEach(node -> candidates.putIfAbsent(node.id(), true));
            case "AnyPrincipal" -> loadedIdentities().forEach(node -> {
                // A resource whose account is unknown (an S3 bucket without it in the bundle) counts as the
                // caller's own, which decides more candidates in full and so never misses an edge.
                boolean sameAccount = resource.account() == null || resource.account().equals(node.account());
                if (sameAccount) {
                    candidates.put(node.id(), false);
                } else {
                    candidates.putIfAbsent(node.id(), true);
                }
            });
            default -> {
                // Services, federated providers and principals outside the loaded accounts have no policies here.
            }
        }
    }

    private Stream<PrincipalNode> loadedIdentities() {
        return projection.principals().values().stream().filter(this::isLoadedIdentity);
    }

    private boolean isLoadedIdentity(PrincipalNode node) {
        return !node.external() && ("AwsUser".equals(node.kind()) || "AwsRole".equals(node.kind()));
    }
}
