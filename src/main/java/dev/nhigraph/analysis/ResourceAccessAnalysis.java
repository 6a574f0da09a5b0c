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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * <p>TODO: a policy naming an account or "*" is checked against every loaded user and role of that account (or
 * of all accounts) times every action of the service, which is fine for one account but grows with principals
 * times actions times resources; index identity grants by service before loading large organisations.
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
    private final Map<String, String> rolesByKey = new HashMap<>();

    private ResourceAccessAnalysis(AwsProjection projection, ActionCatalog catalog) {
        this.projection = projection;
        this.authorization = new AwsAuthorization(projection);
        this.catalog = catalog;
        for (PrincipalNode node : projection.principals().values()) {
            if ("AwsRole".equals(node.kind()) && !node.external()) {
                rolesByKey.put(node.account() + "/" + node.name(), node.id());
            }
        }
    }

    /** Computes every CAN_ACCESS edge that a resource-based policy of the projection grants. */
    public static List<AccessEdge> derive(AwsProjection projection, ActionCatalog catalog) {
        return new ResourceAccessAnalysis(projection, catalog).deriveAll();
    }

    /** Replaces the CAN_ACCESS relationships in Neo4j with {@code edges}, in one transaction. */
    public static void write(GraphStore store, List<AccessEdge> edges) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AccessEdge edge : edges) {
            rows.add(Map.of("principal", edge.principal(), "resource", edge.resource(), "accessLevels", edge.accessLevels(),
                    "actionCount", edge.actionCount(), "conditional", edge.conditional(), "evidence", Json.write(edge.evidence())));
        }
        store.write(tx -> {
            tx.run("MATCH (:Principal)-[e:CAN_ACCESS]->(:AwsResource) DELETE e").consume();
            Batches.unwind(tx, """
                        UNWIND $rows AS row
                        MATCH (p:Principal {id: row.principal}), (r:AwsResource {id: row.resource})
                        MERGE (p)-[e:CAN_ACCESS]->(r)
                        SET e.accessLevels = row.accessLevels, e.actionCount = row.actionCount,
                            e.conditional = row.conditional, e.evidence = row.evidence""", rows, Map.of());
            return null;
        });
        log.info("Wrote {} CAN_ACCESS to resources", rows.size());
    }

    private List<AccessEdge> deriveAll() {
        List<AccessEdge> edges = new ArrayList<>();
        for (ResourceNode resource : projection.resources().values()) {
            Policy policy = projection.policy(resource.policyId());
            if (policy == null) {
                continue;
            }
            List<String> actions = actionsOf(policy, serviceOf(resource));
            List<String> objectArns = objectArns(policy, resource.arn());
            for (String candidate : candidates(policy)) {
                AccessEdge edge = edge(candidate, resource, actions, objectArns);
                if (edge != null) {
                    edges.add(edge);
                }
            }
        }
        log.info("Derived {} CAN_ACCESS edges from resource policies", edges.size());
        return edges;
    }

    private AccessEdge edge(String candidate, ResourceNode resource, List<String> actions, List<String> objectArns) {
        EnumMap<AccessLevel, Integer> levels = new EnumMap<>(AccessLevel.class);
        Set<Evidence> evidence = new LinkedHashSet<>();
        int allowed = 0;
        int conditional = 0;
        for (String action : actions) {
            EvaluationResult decision = decideOnSomeTarget(candidate, action, resource, objectArns);
            if (decision == null) {
                continue;
            }
            allowed++;
            if (decision.decision() == EvaluationResult.Decision.CONDITIONAL) {
                conditional++;
            }
            AccessLevel level = catalog.find(action).map(ActionCatalog.Action::accessLevel).orElse(AccessLevel.UNKNOWN);
            levels.merge(level, 1, Integer::sum);
            evidence.addAll(decision.statements());
        }
        if (allowed == 0) {
            return null;
        }
        return new AccessEdge(candidate, resource.arn(), levels.keySet().stream().map(AccessLevel::label).toList(),
                allowed, conditional == allowed, List.copyOf(evidence));
    }

    /**
     * Decides {@code action} on the resource itself, or for S3 object actions on each object pattern the policy
     * names; returns the first decision that is not DENIED, or null.
     */
    private EvaluationResult decideOnSomeTarget(String candidate, String action, ResourceNode resource, List<String> objectArns) {
        boolean objectAction = "s3".equals(serviceOf(resource)) && catalog.find(action)
                .map(a -> a.resourceTypes().stream().anyMatch(t -> t.startsWith("object"))).orElse(false);
        List<String> targets = objectAction ? objectArns : List.of(resource.arn());
        for (String target : targets) {
            EvaluationResult decision = authorization.decide(candidate, action, target, ConditionContext.UNKNOWN);
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

    /** Returns the loaded users and roles that an Allow statement of the policy names, directly or by account. */
    private Set<String> candidates(Policy policy) {
        Set<String> candidates = new TreeSet<>();
        for (Statement statement : policy.statements()) {
            if (!statement.allow()) {
                continue;
            }
            if (statement.notPrincipal()) {
                projection.principals().values().stream().filter(this::isLoadedIdentity).forEach(p -> candidates.add(p.id()));
                continue;
            }
            for (Map.Entry<String, List<String>> entry : statement.principals().entrySet()) {
                for (String value : entry.getValue()) {
                    TrustedPrincipal named = TrustedPrincipal.of(entry.getKey(), value, rolesByKey);
                    if (named != null) {
                        addCandidates(named, candidates);
                    }
                }
            }
        }
        return candidates;
    }

    private void addCandidates(TrustedPrincipal named, Set<String> candidates) {
        for (PrincipalNode node : projection.principals().values()) {
            if (!isLoadedIdentity(node)) {
                continue;
            }
            boolean matches = switch (named.kind()) {
                case "AnyPrincipal" -> true;
                case "AwsAccount" -> named.account().equals(node.account());
                case "AwsUser", "AwsRole" -> named.id().equals(node.id());
                default -> false;
            };
            if (matches) {
                candidates.add(node.id());
            }
        }
    }

    private boolean isLoadedIdentity(PrincipalNode node) {
        return !node.external() && ("AwsUser".equals(node.kind()) || "AwsRole".equals(node.kind()));
    }
}
