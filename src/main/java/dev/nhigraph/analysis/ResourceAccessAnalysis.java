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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
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
 *
 * <p>Resources of one account and service whose policies have the same {@link ResourcePolicyShape} (a KMS key's
 * default policy trusting the account root, for example) form a group. A principal that the group's policies
 * reach through an account or {@code "*"} gets the same decision on every member that none of its own statements
 * name by ARN ({@link ResourceIndependence}). It is decided once for those members, and a group of at least
 * {@link #MIN_SET_SIZE} resources is stored as an AwsResourceSet node with one CAN_ACCESS edge to it per such
 * principal, which lists the members it leaves out. A principal keeps per-resource edges to the members whose
 * policy names it by ARN or that its own statements name. It keeps them to every member when its grant may depend
 * on any resource (NotResource, a policy variable in Resource, a condition on resource tags).
 * {@link AwsProjection#resourceAccess} expands the sets again, so every query reads one edge per principal and
 * resource.
 */
public final class ResourceAccessAnalysis {

    /** A derived edge before it is written. */
    public record AccessEdge(String principal, String resource, List<String> accessLevels, int actionCount,
                             boolean conditional, List<Evidence> evidence) {
    }

    /** Resources whose policies decide the same way for a principal they do not name by ARN. */
    public record ResourceSet(String id, String account, String service, List<String> members) {
    }

    /**
     * A CAN_ACCESS edge to every member of a set but those in {@code except}: members whose policy names the
     * principal by ARN, or that a statement of the principal's own policies names. The evidence of the resource's
     * policy cites one member's policy; expanding the edge cites each member's own, at the same index.
     */
    public record SetEdge(String principal, String set, List<String> accessLevels, int actionCount, boolean conditional,
                          List<Evidence> evidence, List<String> except) {
    }

    /** The edges to single resources, the sets and the edges to sets. */
    public record Result(List<AccessEdge> edges, List<ResourceSet> sets, List<SetEdge> setEdges) {

        /** Returns the number of CAN_ACCESS relationships stored: to resources and to sets. */
        public int relationships() {
            return edges.size() + setEdges.size();
        }

        /**
         * Returns one edge per principal and resource, the sets expanded as {@link AwsProjection#resourceAccess}
         * expands them: an edge to a set reaches each member but its exceptions.
         */
        public List<AccessEdge> expanded(AwsProjection projection) {
            List<AccessEdge> all = new ArrayList<>(edges);
            forEachSetPair((edge, member) -> {
                Policy policy = projection.policy(projection.resource(member).policyId());
                all.add(new AccessEdge(edge.principal(), member, edge.accessLevels(), edge.actionCount(),
                        edge.conditional(), ResourceSetAccess.evidenceFor(edge.evidence(), policy)));
            });
            return all;
        }

        /**
         * Returns the number of principal and resource pairs with access: the size of {@link #expanded}, counted
         * without building its edges. The load's summary gives this count, as it counts CAN_ASSUME by pair.
         */
        public int pairs() {
            return edges.size() + forEachSetPair((edge, member) -> {
            });
        }

        /**
         * Calls {@code action} with each set edge and each member it stands for: not in its exceptions, and without a
         * direct edge from the same principal. Returns the number of calls.
         */
        private int forEachSetPair(BiConsumer<SetEdge, String> action) {
            Map<String, List<String>> membersBySet = new HashMap<>();
            sets.forEach(set -> membersBySet.put(set.id(), set.members()));
            Set<String> direct = new HashSet<>();
            edges.forEach(edge -> direct.add(edge.principal() + "\n" + edge.resource()));
            int calls = 0;
            for (SetEdge edge : setEdges) {
                for (String member : membersBySet.get(edge.set())) {
                    if (!edge.except().contains(member) && !direct.contains(edge.principal() + "\n" + member)) {
                        action.accept(edge, member);
                        calls++;
                    }
                }
            }
            return calls;
        }
    }

    /**
     * The smallest group of resources stored as a set; a group of one gets an edge to its member. Small groups are
     * common: in tier M the buckets shared with the organisation form groups of about four per account, and writing
     * groups below ten member by member made 772,834 of its 816,466 CAN_ACCESS relationships.
     */
    static final int MIN_SET_SIZE = 2;

    private static final Logger log = LoggerFactory.getLogger(ResourceAccessAnalysis.class);

    private final AwsProjection projection;
    private final AwsAuthorization authorization;
    private final ActionCatalog catalog;
    private final IdentityGrants grants;
    private final LongAdder decisions = new LongAdder();
    private final Map<String, String> rolesByKey = new HashMap<>();
    private final Map<String, List<PrincipalNode>> identitiesByAccount = new HashMap<>();
    private final ResourceIndependence independence;
    /**
     * For each action list of a shape, the actions each candidate's identity policies may allow. Groups of one
     * service share their action list, and tier M has 2,606 groups, so each candidate is filtered once per list.
     */
    private final Map<List<String>, Map<String, List<String>>> grantedActions = new ConcurrentHashMap<>();

    private ResourceAccessAnalysis(AwsProjection projection, ActionCatalog catalog, IdentityGrants grants) {
        this.projection = projection;
        this.authorization = new AwsAuthorization(projection);
        this.catalog = catalog;
        this.grants = grants;
        this.independence = new ResourceIndependence(projection);
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
    public static Result derive(AwsProjection projection, ActionCatalog catalog) {
        return derive(projection, catalog, new IdentityGrants(projection));
    }

    /** Computes the edges with the given index of identity grants; tests pass an exhaustive one. */
    static Result derive(AwsProjection projection, ActionCatalog catalog, IdentityGrants grants) {
        return new ResourceAccessAnalysis(projection, catalog, grants).deriveAll();
    }

    /**
     * Computes every edge resource by resource, deciding each candidate on each resource, without groups or sets.
     * Tests compare {@link Result#expanded} with it.
     */
    static List<AccessEdge> derivePerResource(AwsProjection projection, ActionCatalog catalog) {
        ResourceAccessAnalysis analysis = new ResourceAccessAnalysis(projection, catalog, new IdentityGrants(projection));
        return analysis.resourcesWithPolicy().stream().flatMap(resource -> analysis.edgesTo(resource).stream()).toList();
    }

    /**
     * Replaces the CAN_ACCESS relationships to AWS resources and the resource sets in Neo4j, in transactions of
     * {@link Batches#ROWS_PER_TRANSACTION} edges. Each edge's evidence names its statements without their actions
     * and resources, which the policies in the graph contain.
     */
    public static void write(GraphStore store, Result result) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AccessEdge edge : result.edges()) {
            rows.add(Map.of("principal", edge.principal(), "target", edge.resource(), "accessLevels", edge.accessLevels(),
                    "actionCount", edge.actionCount(), "conditional", edge.conditional(), "evidence", Json.write(stored(edge.evidence()))));
        }
        List<Map<String, Object>> setRows = new ArrayList<>();
        for (SetEdge edge : result.setEdges()) {
            setRows.add(Map.of("principal", edge.principal(), "target", edge.set(), "accessLevels", edge.accessLevels(),
                    "actionCount", edge.actionCount(), "conditional", edge.conditional(), "evidence", Json.write(stored(edge.evidence())),
                    "except", edge.except()));
        }
        List<Map<String, Object>> sets = new ArrayList<>();
        for (ResourceSet set : result.sets()) {
            sets.add(Map.of("id", set.id(), "account", String.valueOf(set.account()), "service", set.service(),
                    "members", set.members()));
        }

        // Every old edge and set goes first and each pair occurs once in the result, so CREATE suffices.
        Batches.deleteInTransactions(store, """
                MATCH (:Principal)-[e:CAN_ACCESS]->(:AwsResource) WITH e LIMIT $limit DELETE e RETURN count(*) AS n""");
        Batches.deleteInTransactions(store, """
                MATCH (:Principal)-[e:CAN_ACCESS]->(:AwsResourceSet) WITH e LIMIT $limit DELETE e RETURN count(*) AS n""");
        Batches.deleteInTransactions(store, """
                MATCH (s:AwsResourceSet) WITH s LIMIT $limit DETACH DELETE s RETURN count(*) AS n""");
        Batches.unwindInTransactions(store, "AWS resource sets", """
                UNWIND $rows AS row
                CREATE (s:AwsResourceSet {id: row.id, account: row.account, service: row.service, size: size(row.members)})
                WITH s, row
                UNWIND row.members AS member
                MATCH (r:AwsResource {id: member})
                CREATE (s)-[:INCLUDES]->(r)""", sets);
        Batches.unwindInTransactions(store, "CAN_ACCESS edges", """
                UNWIND $rows AS row
                MATCH (p:Principal {id: row.principal}), (r:AwsResource {id: row.target})
                CREATE (p)-[:CAN_ACCESS {accessLevels: row.accessLevels, actionCount: row.actionCount,
                                         conditional: row.conditional, evidence: row.evidence}]->(r)""", rows);
        Batches.unwindInTransactions(store, "CAN_ACCESS edges to resource sets", """
                UNWIND $rows AS row
                MATCH (p:Principal {id: row.principal}), (s:AwsResourceSet {id: row.target})
                CREATE (p)-[:CAN_ACCESS {accessLevels: row.accessLevels, actionCount: row.actionCount,
                                         conditional: row.conditional, evidence: row.evidence,
                                         except: row.except}]->(s)""", setRows);
        log.info("Wrote {} CAN_ACCESS to resources and {} to {} resource sets", rows.size(), setRows.size(), sets.size());
    }

    /** Returns the evidence as it is stored: each statement named without copies of its actions and resources. */
    static List<Evidence> stored(List<Evidence> evidence) {
        return evidence.stream().map(Evidence::withoutActionsAndResources).toList();
    }

    private List<ResourceNode> resourcesWithPolicy() {
        return projection.resources().values().stream()
                .filter(resource -> projection.policy(resource.policyId()) != null)
                .sorted(Comparator.comparing(ResourceNode::arn)).toList();
    }

    private Result deriveAll() {
        List<ResourceNode> resources = resourcesWithPolicy();
        Map<String, ResourcePolicyShape> shapes = new LinkedHashMap<>();
        Map<String, List<ResourceNode>> groups = new LinkedHashMap<>();
        List<ResourceNode> alone = new ArrayList<>();
        for (ResourceNode resource : resources) {
            Policy policy = projection.policy(resource.policyId());
            String service = serviceOf(resource);
            ResourcePolicyShape shape = ResourcePolicyShape.of(resource, service, policy, actionsOf(policy, service),
                    objectArns(policy, resource.arn()), rolesByKey);
            if (shape == null) {
                alone.add(resource);
                continue;
            }
            shapes.putIfAbsent(shape.key(), shape);
            groups.computeIfAbsent(shape.key(), key -> new ArrayList<>()).add(resource);
        }

        // Groups and resources are independent of each other, so they are decided in parallel; results keep their order.
        List<GroupResult> results = groups.entrySet().parallelStream()
                .map(group -> deriveGroup(shapes.get(group.getKey()), group.getValue())).toList();
        List<AccessEdge> edges = new ArrayList<>(alone.parallelStream().flatMap(resource -> edgesTo(resource).stream()).toList());
        List<ResourceSet> sets = new ArrayList<>();
        List<SetEdge> setEdges = new ArrayList<>();
        for (GroupResult result : results) {
            edges.addAll(result.edges());
            if (!result.setEdges().isEmpty()) {
                sets.add(result.set());
                setEdges.addAll(result.setEdges());
            }
        }
        log.info("Derived {} CAN_ACCESS edges to resources and {} to {} resource sets from {} resource policies"
                        + " ({} groups of equal shape, {} policies without one) with {} access decisions",
                edges.size(), setEdges.size(), sets.size(), resources.size(), groups.size(), alone.size(), decisions.sum());
        return new Result(edges, sets, setEdges);
    }

    /** The edges of one group: to single members, and to the group's set when it is stored as one. */
    private record GroupResult(List<AccessEdge> edges, ResourceSet set, List<SetEdge> setEdges) {
    }

    /**
     * Derives the edges into a group of resources of one shape. Principals that a member's policy names by ARN are
     * decided on that member in full. The others, reached through an account or {@code "*"}, are decided once on
     * one member where the policy does not name them, unless their own policies depend on the resource.
     */
    private GroupResult deriveGroup(ResourcePolicyShape shape, List<ResourceNode> members) {
        List<AccessEdge> edges = new ArrayList<>();
        Map<String, Set<String>> namedIn = new HashMap<>();
        for (ResourceNode member : members) {
            Set<String> named = namedUsersAndRoles(projection.policy(member.policyId()));
            namedIn.put(member.arn(), named);
            for (String candidate : named) {
                EdgeBuilder builder = decide(candidate, member, shape.actions());
                if (builder != null) {
                    edges.add(builder.edge(member.arn()));
                }
            }
        }

        ResourceNode first = members.get(0);
        Map<String, Boolean> shared = new TreeMap<>();
        for (Statement statement : projection.policy(first.policyId()).statements()) {
            if (!statement.allow() || ResourcePolicyShape.namesOnlyUsersRolesOrServices(statement, rolesByKey)) {
                continue;
            }
            for (Map.Entry<String, List<String>> entry : statement.principals().entrySet()) {
                for (String value : entry.getValue()) {
                    TrustedPrincipal named = TrustedPrincipal.of(entry.getKey(), value, rolesByKey);
                    if (named != null && ("AwsAccount".equals(named.kind()) || "AnyPrincipal".equals(named.kind()))) {
                        addCandidates(named, first, shared);
                    }
                }
            }
        }

        ResourceSet set = new ResourceSet(shape.setId(), shape.account(), shape.service(),
                members.stream().map(ResourceNode::arn).toList());
        boolean storedAsSet = members.size() >= MIN_SET_SIZE;
        List<SetEdge> setEdges = new ArrayList<>();
        Map<String, List<String>> granted = grantedActions.computeIfAbsent(shape.actions(), actions -> new ConcurrentHashMap<>());
        Map<ResourceNode, List<String>> targets = new HashMap<>();
        for (Map.Entry<String, Boolean> entry : shared.entrySet()) {
            String candidate = entry.getKey();
            List<ResourceNode> open = members.stream().filter(m -> !namedIn.get(m.arn()).contains(candidate)).toList();
            List<String> actions = entry.getValue()
                    ? granted.computeIfAbsent(candidate, c -> shape.actions().stream().filter(action -> grants.mayAllow(action).contains(c)).toList())
                    : shape.actions();
            if (open.isEmpty() || actions.isEmpty()) {
                continue;
            }
            // A principal whose own statements may apply to any member is decided on each. One whose statements
            // name some members is decided on those, and once for all the others.
            ResourceIndependence.Scope scope = independence.scope(candidate, shape);
            List<ResourceNode> alike = new ArrayList<>();
            for (ResourceNode member : open) {
                if (scope != null && !scope.touches(targets.computeIfAbsent(member, this::targetsOf))) {
                    alike.add(member);
                    continue;
                }
                EdgeBuilder builder = decide(candidate, member, actions);
                if (builder != null) {
                    edges.add(builder.edge(member.arn()));
                }
            }
            if (alike.isEmpty()) {
                continue;
            }
            EdgeBuilder builder = decide(candidate, alike.get(0), actions);
            if (builder == null) {
                continue;
            }
            if (storedAsSet) {
                Set<ResourceNode> alikeSet = new HashSet<>(alike);
                List<String> except = members.stream().filter(m -> !alikeSet.contains(m)).map(ResourceNode::arn).toList();
                setEdges.add(builder.setEdge(set.id(), except));
            } else {
                for (ResourceNode member : alike) {
                    AccessEdge edge = builder.edge(member.arn());
                    edges.add(new AccessEdge(edge.principal(), edge.resource(), edge.accessLevels(), edge.actionCount(),
                            edge.conditional(), List.copyOf(ResourceSetAccess.evidenceFor(edge.evidence(),
                            projection.policy(member.policyId())))));
                }
            }
        }
        return new GroupResult(edges, set, setEdges);
    }

    /** Decides one candidate on one resource for {@code actions}; returns null when none is possible. */
    private EdgeBuilder decide(String candidate, ResourceNode resource, List<String> actions) {
        List<String> objectArns = objectArns(projection.policy(resource.policyId()), resource.arn());
        EdgeBuilder builder = null;
        for (String action : actions) {
            ActionCatalog.Action known = catalog.find(action).orElse(null);
            EvaluationResult decision = decideOnSomeTarget(candidate, action, targets(resource, known, objectArns));
            if (decision != null) {
                if (builder == null) {
                    builder = new EdgeBuilder(candidate);
                }
                builder.add(known == null ? AccessLevel.UNKNOWN : known.accessLevel(), decision);
            }
        }
        return builder;
    }

    /** Returns every ARN that a decision on {@code resource} may be made on: its own, and a bucket's object ARNs. */
    private List<String> targetsOf(ResourceNode resource) {
        if (!"s3".equals(serviceOf(resource))) {
            return List.of(resource.arn());
        }
        List<String> targets = new ArrayList<>(objectArns(projection.policy(resource.policyId()), resource.arn()));
        targets.add(resource.arn());
        return targets;
    }

    /** Returns the ARNs to decide an action on: the object ARNs for an S3 object action, else the resource's own. */
    private List<String> targets(ResourceNode resource, ActionCatalog.Action known, List<String> objectArns) {
        boolean objectAction = "s3".equals(serviceOf(resource)) && known != null
                && known.resourceTypes().stream().anyMatch(type -> type.startsWith("object"));
        return objectAction ? objectArns : List.of(resource.arn());
    }

    /** Returns the loaded users and roles that an Allow statement of the policy names by ARN. */
    private Set<String> namedUsersAndRoles(Policy policy) {
        Set<String> named = new TreeSet<>();
        for (Statement statement : policy.statements()) {
            if (!statement.allow()) {
                continue;
            }
            for (Map.Entry<String, List<String>> entry : statement.principals().entrySet()) {
                for (String value : entry.getValue()) {
                    TrustedPrincipal principal = TrustedPrincipal.of(entry.getKey(), value, rolesByKey);
                    if (principal != null && ("AwsUser".equals(principal.kind()) || "AwsRole".equals(principal.kind()))) {
                        PrincipalNode node = projection.principal(principal.id());
                        if (node != null && isLoadedIdentity(node)) {
                            named.add(node.id());
                        }
                    }
                }
            }
        }
        return named;
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
            List<String> targets = targets(resource, known, objectArns);

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
            return new AccessEdge(candidate, resourceArn, levelLabels(), allowed, conditional == allowed, List.copyOf(evidence));
        }

        SetEdge setEdge(String setId, List<String> except) {
            return new SetEdge(candidate, setId, levelLabels(), allowed, conditional == allowed, List.copyOf(evidence),
                    except);
        }

        private List<String> levelLabels() {
            return levels.keySet().stream().map(AccessLevel::label).toList();
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
