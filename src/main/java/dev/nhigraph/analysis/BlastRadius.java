package dev.nhigraph.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.nhigraph.analysis.AwsProjection.Step;
import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.policy.AccessLevel;
import dev.nhigraph.policy.AccessSummarizer;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.PolicyDocuments;
import dev.nhigraph.policy.PrincipalAccess;
import dev.nhigraph.policy.PrincipalAccess.ServiceAccess;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jgrapht.Graph;

/**
 * The blast radius of a principal: the principals it can become through CAN_ASSUME, CAN_ESCALATE and, for GCP,
 * CAN_IMPERSONATE steps, transitively, and what each of them may do. An AWS identity's access is grouped by service
 * and AWS access level. A GCP principal's access is the organizations, folders and projects it administers, the
 * resources whose own allow policies grant it access, and the user-managed keys of the service accounts reached.
 * A principal that can make itself an administrator (marked adminEquivalent by the escalation analysis) counts as one.
 *
 * <p>The search is a breadth-first walk of the in-memory step graph, so each reachable principal is
 * reported at its shortest depth. It runs in O(V + E) of the reachable part and is bounded three ways: by
 * depth, by the number of principals, and by time. Every result states the bounds and whether one of them cut
 * the search short.
 */
public final class BlastRadius {

    /** Hard limits that no request can exceed. */
    public static final int MAX_DEPTH_LIMIT = 16;
    public static final int DEFAULT_MAX_DEPTH = 8;
    public static final int MAX_PRINCIPALS = 2_000;
    public static final long TIME_BUDGET_MILLIS = 10_000;
    /**
     * Edges a result draws. In a dense core of roles that may assume each other, 2,000 principals had 300,000 steps
     * and access edges among them, which took over a second to build and no browser can draw.
     */
    public static final int MAX_EDGES = 10_000;

    /** The blast radius, shaped as the API and the scan report return it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(String root, Bounds bounds, Summary summary, List<Node> nodes, List<Edge> edges) {
    }

    /**
     * The bounds of the search, and which of them stopped it if one did. {@code edgesLeftOut} counts the edges past
     * {@code maxEdges} that the result does not list; the summary still counts everything the search reached.
     */
    public record Bounds(int maxDepth, int maxPrincipals, long timeBudgetMillis, int depthReached,
                         boolean truncated, String reason, int maxEdges, int edgesLeftOut) {
    }

    /**
     * Counts over every principal reached, the root included; actions are counted once across principals.
     * {@code admin} is true when a principal reached is allowed every action under its SCPs; {@code adminEquivalent}
     * is YES, CONDITIONAL or NO as the escalation analysis marks the principals reached: administrator by its own
     * policies or bindings or by a technique it can use on itself, SCPs left out.
     *
     * <p>{@code services} counts the AWS services on which a principal reached is allowed some action: every service
     * of the action catalogue when one of them is an administrator.
     *
     * <p>The AWS fields ({@code services}, {@code admin}, {@code actionsByAccessLevel}, {@code unknownActions}) are
     * null when neither the root nor a principal reached is an AWS identity, and the GCP fields are null when none is
     * a GCP principal.
     *
     * @param serviceAccounts        the GCP service accounts reached besides the root: impersonated or acted as
     * @param adminScopes            the organizations, folders and projects that a GCP principal reached administers
     * @param gcpResources           the GCP resources whose own allow policies grant a principal reached access
     * @param resourcesByAccessLevel of those resources, how many each GCP access level (List, Read, Write,
     *                               Permissions management, Tagging) reaches
     * @param userManagedKeys        the enabled user-managed keys of the service accounts reached, the root included
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(int principals, Integer services, Boolean admin, String adminEquivalent,
                          Map<String, Integer> actionsByAccessLevel, List<String> unknownActions,
                          Integer serviceAccounts, List<String> adminScopes, Integer gcpResources,
                          Map<String, Integer> resourcesByAccessLevel, Integer userManagedKeys) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Node(String id, String kind, String label, String account, Integer depth, Boolean admin,
                       String adminEquivalent, Map<String, Object> properties, Map<String, Map<String, Integer>> access) {
    }

    /**
     * A step or an access edge. {@code actionCount} counts AWS actions, or for an edge to a GCP resource the
     * permissions granted on it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Edge(String id, String source, String target, String type, String technique, boolean conditional,
                       List<String> accessLevels, Integer actionCount, List<String> resources, List<Evidence> evidence) {
    }

    /** The node id that stands for every AWS action, the target of an administrator's access edge. */
    public static final String ALL_SERVICES = "aws-service:*";

    /** The GCP access levels in the order a summary lists them, as the GCP analysis names them. */
    private static final List<String> GCP_ACCESS_LEVELS = List.of("List", "Read", "Write", "Permissions management", "Tagging");

    private final AwsProjection projection;
    private final AccessSummarizer summarizer;
    private final AccessSummaries summaries;

    private final int maxEdges;
    private final int maxPrincipals;

    /** Built on the first {@link #summary} call, since single blast radii of the API do not need it. */
    private StepWalk stepWalk;
    private PrincipalNode[] nodes;
    /** The number of each principal's distinct access summary, -1 for none, or -2 until it is looked up. */
    private int[] accessNumber;
    private final List<PrincipalAccess> distinctAccess = new ArrayList<>();
    /** For each distinct summary, its allowed and conditional actions in one set, so that a union ORs one set. */
    private final List<BitSet> distinctActions = new ArrayList<>();
    /** For each distinct summary, the numbers of its services in {@link #serviceNumbers}. */
    private final List<BitSet> distinctServices = new ArrayList<>();
    private final Map<String, Integer> serviceNumbers = new HashMap<>();
    /** The catalogue's actions of each access level, by the level's ordinal, so that a union counts them per level. */
    private final BitSet[] actionsOfLevel;
    /** Each principal's {@code FLAG_} bits by its number in the step walk, read once from its node. */
    private byte[] flags;
    private static final byte FLAG_MARKED_ADMIN = 1;
    private static final byte FLAG_MARKED_CONDITIONAL = 2;
    private static final byte FLAG_GCP = 4;
    private static final byte FLAG_HOLDS_POLICIES = 8;
    private final Map<PrincipalAccess, Integer> accessNumbers = new IdentityHashMap<>();
    /** The union of each combination of distinct summaries met so far; walks in one dense core meet few. */
    private final Map<BitSet, AccessUnion> unions = new HashMap<>();

    public BlastRadius(AccessSummaries summaries) {
        this(summaries, MAX_EDGES, MAX_PRINCIPALS);
    }

    /** Uses an edge budget other than {@value #MAX_EDGES}, for tests. */
    BlastRadius(AccessSummaries summaries, int maxEdges) {
        this(summaries, maxEdges, MAX_PRINCIPALS);
    }

    /** Uses bounds other than {@value #MAX_EDGES} edges and {@value #MAX_PRINCIPALS} principals, for tests. */
    BlastRadius(AccessSummaries summaries, int maxEdges, int maxPrincipals) {
        this.projection = summaries.projection();
        this.summarizer = summaries.summarizer();
        this.summaries = summaries;
        this.maxEdges = maxEdges;
        this.maxPrincipals = maxPrincipals;
        this.actionsOfLevel = new BitSet[AccessLevel.values().length];
        for (AccessLevel level : AccessLevel.values()) {
            actionsOfLevel[level.ordinal()] = new BitSet(summarizer.catalogSize());
        }
        for (int i = 0; i < summarizer.catalogSize(); i++) {
            actionsOfLevel[summarizer.action(i).accessLevel().ordinal()].set(i);
        }
    }

    /**
     * Computes the blast radius of {@code rootId}.
     *
     * @throws IllegalArgumentException when the depth is outside 0..{@value #MAX_DEPTH_LIMIT}
     * @throws java.util.NoSuchElementException when the principal is not in the graph
     */
    public Result compute(String rootId, int maxDepth) {
        if (maxDepth < 0 || maxDepth > MAX_DEPTH_LIMIT) {
            throw new IllegalArgumentException("depth " + maxDepth + " is outside the allowed range 0.." + MAX_DEPTH_LIMIT);
        }
        PrincipalNode root = projection.principal(rootId);
        if (root == null) {
            throw new java.util.NoSuchElementException("No principal with id " + rootId + " in the graph."
                    + " Use the full ARN, or search with GET /api/principals?q=NAME.");
        }

        // Phase 1: breadth-first walk of CAN_ASSUME, so each principal keeps its shortest depth.
        long deadline = System.currentTimeMillis() + TIME_BUDGET_MILLIS;
        Map<String, Integer> depthOf = new LinkedHashMap<>();
        List<Step> discovering = new ArrayList<>();
        List<Step> walked = new ArrayList<>();
        String stopReason = walk(rootId, maxDepth, deadline, depthOf, discovering, walked);

        // The step that first reached each principal is drawn before any other edge. The budget exceeds the
        // principal bound, so every principal drawn stays connected to the root when the budget runs out.
        List<Node> nodes = new ArrayList<>();
        EdgeBudget edges = new EdgeBudget(maxEdges);
        for (Step step : discovering) {
            edges.add(() -> stepEdge(step));
        }

        // Phase 2: the access of each principal reached, and the union over all of them.
        Map<String, Node> serviceNodes = new TreeMap<>();
        BitSet union = new BitSet(summarizer.catalogSize());
        Set<String> unknownActions = new TreeSet<>();
        Set<String> serviceNames = new HashSet<>();
        boolean allServices = false;
        boolean anyAdmin = false;
        for (Map.Entry<String, Integer> reached : depthOf.entrySet()) {
            PrincipalNode principal = projection.principal(reached.getKey());
            PrincipalAccess access = holdsPolicies(principal) ? summarize(principal) : null;
            nodes.add(principalNode(principal, reached.getValue(), access));
            if (isGcp(principal)) {
                addResourceEdges(principal, edges, serviceNodes);
            }
            if (access == null) {
                continue;
            }
            anyAdmin |= access.admin();
            union.or(access.allowed());
            union.or(access.conditional());
            unknownActions.addAll(access.unknownActions());
            // Counted here, not from the nodes drawn, because the edge budget may leave service nodes out.
            if (access.admin()) {
                allServices = true;
            } else {
                serviceNames.addAll(access.services().keySet());
            }
            addServiceEdges(principal, access, edges, serviceNodes);
            addResourceEdges(principal, edges, serviceNodes);
            addGroupNodes(principal, nodes, edges);
        }
        nodes.addAll(serviceNodes.values());
        for (Step step : walked) {
            edges.add(() -> stepEdge(step));
        }

        int depthReached = depthOf.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        if (edges.leftOut() > 0) {
            String edgeReason = edges.leftOut() + " edges left out past the budget of " + maxEdges
                    + "; the summary counts every principal and resource reached";
            stopReason = stopReason == null ? edgeReason : stopReason + "; " + edgeReason;
        }
        Bounds bounds = new Bounds(maxDepth, maxPrincipals, TIME_BUDGET_MILLIS, depthReached, stopReason != null, stopReason,
                maxEdges, edges.leftOut());
        // The page draws an administrator's access as one edge to a node for every action. The count gives the services
        // that edge covers, so that an administrator does not read as reaching one service.
        int services = allServices ? summarizer.serviceCount() : serviceNames.size();
        Summary summary = summary(root, depthOf.keySet(), services, anyAdmin, union, unknownActions);
        return new Result(rootId, bounds, summary, nodes, edges.list());
    }

    private static Edge stepEdge(Step step) {
        String suffix = step.technique() == null ? "" : ":" + step.technique();
        return new Edge(step.source() + "->" + step.target() + suffix, step.source(), step.target(), step.kind(),
                step.technique(), step.conditional(), null, null, null, step.evidence());
    }

    /** The edges of one result, up to a budget; an edge past it is counted, not built. */
    private static final class EdgeBudget {
        private final int max;
        private final List<Edge> edges = new ArrayList<>();
        private int leftOut;

        EdgeBudget(int max) {
            this.max = max;
        }

        boolean hasRoom() {
            return edges.size() < max;
        }

        /** Builds and keeps the edge while there is room, and counts it otherwise. */
        void add(java.util.function.Supplier<Edge> edge) {
            if (hasRoom()) {
                edges.add(edge.get());
            } else {
                leftOut++;
            }
        }

        /** Counts an edge that the caller did not build because there is no room. */
        void skip() {
            leftOut++;
        }

        int leftOut() {
            return leftOut;
        }

        List<Edge> list() {
            return edges;
        }
    }

    /**
     * Computes only the bounds and summary of the blast radius of {@code rootId}: the same numbers as
     * {@link #compute}, without the nodes and edges, for reports that list every principal.
     *
     * <p>The walk runs over {@link StepWalk}'s arrays. Principals with identical policies share one access summary
     * (see {@link AccessSummaries}), so the union is taken over the distinct summaries reached, and the union of
     * each combination of them is computed once. In a dense core of roles both are far fewer than the roles.
     *
     * <p>Not thread-safe, unlike {@link #compute}: calls share the walk's arrays.
     */
    public Result summary(String rootId, int maxDepth) {
        if (maxDepth < 0 || maxDepth > MAX_DEPTH_LIMIT) {
            throw new IllegalArgumentException("depth " + maxDepth + " is outside the allowed range 0.." + MAX_DEPTH_LIMIT);
        }
        PrincipalNode root = projection.principal(rootId);
        if (root == null) {
            throw new NoSuchElementException("No principal with id " + rootId + " in the graph."
                    + " Use the full ARN, or search with GET /api/principals?q=NAME.");
        }
        if (stepWalk == null) {
            stepWalk = new StepWalk(projection);
            nodes = stepWalk.nodes(projection);
            accessNumber = new int[stepWalk.size()];
            java.util.Arrays.fill(accessNumber, -2);
            flags = new byte[stepWalk.size()];
            for (int number = 0; number < flags.length; number++) {
                flags[number] = flags(nodes[number]);
            }
        }
        long deadline = System.currentTimeMillis() + TIME_BUDGET_MILLIS;
        StepWalk.Walk walk = stepWalk.walk(stepWalk.number(rootId), maxDepth, maxPrincipals, deadline, TIME_BUDGET_MILLIS);

        // The distinct access summaries reached, and the marks and kinds of the principals reached.
        BitSet reachedAccess = new BitSet();
        boolean anyMarkedAdmin = false;
        boolean anyMarkedConditional = false;
        boolean anyHoldsPolicies = false;
        boolean anyGcp = false;
        for (int i = 0; i < walk.size(); i++) {
            int number = walk.principals()[i];
            byte flag = flags[number];
            anyMarkedAdmin |= (flag & FLAG_MARKED_ADMIN) != 0;
            anyMarkedConditional |= (flag & FLAG_MARKED_CONDITIONAL) != 0;
            anyGcp |= (flag & FLAG_GCP) != 0;
            if ((flag & FLAG_HOLDS_POLICIES) == 0) {
                continue;
            }
            anyHoldsPolicies = true;
            reachedAccess.set(accessNumber(number, nodes[number]));
        }
        AccessUnion union = unions.computeIfAbsent(reachedAccess, this::union);

        Bounds bounds = new Bounds(maxDepth, maxPrincipals, TIME_BUDGET_MILLIS, walk.depthReached(), walk.stopReason() != null,
                walk.stopReason(), maxEdges, 0);
        String adminEquivalent = "NO";
        if (union.anyAdmin() || anyMarkedAdmin) {
            adminEquivalent = "YES";
        } else if (anyMarkedConditional) {
            adminEquivalent = "CONDITIONAL";
        }
        boolean aws = !isGcp(root) || anyHoldsPolicies;
        boolean gcp = isGcp(root) || anyGcp;
        if (!gcp) {
            return new Result(rootId, bounds, new Summary(walk.size(), union.services(), union.anyAdmin(), adminEquivalent,
                    union.actionsByAccessLevel(), union.unknownActions(), null, null, null, null, null), null, null);
        }
        Set<String> reached = new LinkedHashSet<>();
        for (int i = 0; i < walk.size(); i++) {
            reached.add(stepWalk.id(walk.principals()[i]));
        }
        GcpCounts counts = gcpCounts(root.id(), reached);
        Summary summary = new Summary(reached.size(), aws ? union.services() : null, aws ? union.anyAdmin() : null,
                adminEquivalent, aws ? union.actionsByAccessLevel() : null, aws ? union.unknownActions() : null,
                counts.serviceAccounts(), counts.adminScopes(), counts.resources(), counts.resourcesByLevel(),
                counts.userManagedKeys());
        return new Result(rootId, bounds, summary, null, null);
    }

    /** The AWS counts of a blast radius, which depend only on the distinct access summaries it reaches. */
    private record AccessUnion(int services, boolean anyAdmin, Map<String, Integer> actionsByAccessLevel,
                               List<String> unknownActions) {
    }

    private byte flags(PrincipalNode principal) {
        String mark = projection.adminMark(principal.id());
        byte flag = 0;
        if (AwsProjection.ADMIN_YES.equals(mark)) {
            flag |= FLAG_MARKED_ADMIN;
        }
        if (AwsProjection.ADMIN_CONDITIONAL.equals(mark)) {
            flag |= FLAG_MARKED_CONDITIONAL;
        }
        if (isGcp(principal)) {
            flag |= FLAG_GCP;
        }
        if (holdsPolicies(principal)) {
            flag |= FLAG_HOLDS_POLICIES;
        }
        return flag;
    }

    private int accessNumber(int number, PrincipalNode principal) {
        if (accessNumber[number] == -2) {
            PrincipalAccess access = summarize(principal);
            Integer known = accessNumbers.get(access);
            if (known == null) {
                known = distinctAccess.size();
                distinctAccess.add(access);
                accessNumbers.put(access, known);
                BitSet actions = (BitSet) access.allowed().clone();
                actions.or(access.conditional());
                distinctActions.add(actions);
                BitSet services = new BitSet();
                for (String service : access.services().keySet()) {
                    services.set(serviceNumbers.computeIfAbsent(service, name -> serviceNumbers.size()));
                }
                distinctServices.add(services);
            }
            accessNumber[number] = known;
        }
        return accessNumber[number];
    }

    /** Returns the union of the distinct access summaries numbered in {@code reached}. */
    private AccessUnion union(BitSet reached) {
        BitSet services = new BitSet(serviceNumbers.size());
        boolean allServices = false;
        boolean anyAdmin = false;
        BitSet actions = new BitSet(summarizer.catalogSize());
        Set<String> unknownActions = new TreeSet<>();
        for (int i = reached.nextSetBit(0); i >= 0; i = reached.nextSetBit(i + 1)) {
            PrincipalAccess access = distinctAccess.get(i);
            // An administrator may act on every service of the catalogue.
            if (access.admin()) {
                allServices = true;
            } else {
                services.or(distinctServices.get(i));
            }
            anyAdmin |= access.admin();
            actions.or(distinctActions.get(i));
            unknownActions.addAll(access.unknownActions());
        }
        return new AccessUnion(allServices ? summarizer.serviceCount() : services.cardinality(), anyAdmin, countByLevel(actions),
                List.copyOf(unknownActions));
    }

    /** Returns the summary, with the AWS fields only if an AWS identity is in it and the GCP ones only if a GCP one is. */
    private Summary summary(PrincipalNode root, Set<String> reached, int services, boolean anyAdmin, BitSet union,
                            Set<String> unknownActions) {
        String adminEquivalent = adminEquivalent(anyAdmin, reached);
        boolean aws = !isGcp(root) || reached.stream().map(projection::principal).anyMatch(BlastRadius::holdsPolicies);
        boolean gcp = isGcp(root) || reached.stream().map(projection::principal).anyMatch(BlastRadius::isGcp);
        if (!gcp) {
            return new Summary(reached.size(), services, anyAdmin, adminEquivalent, countByLevel(union),
                    List.copyOf(unknownActions), null, null, null, null, null);
        }
        GcpCounts counts = gcpCounts(root.id(), reached);
        return new Summary(reached.size(), aws ? services : null, aws ? anyAdmin : null, adminEquivalent,
                aws ? countByLevel(union) : null, aws ? List.copyOf(unknownActions) : null, counts.serviceAccounts(),
                counts.adminScopes(), counts.resources(), counts.resourcesByLevel(), counts.userManagedKeys());
    }

    private record GcpCounts(int serviceAccounts, List<String> adminScopes, int resources,
                             Map<String, Integer> resourcesByLevel, int userManagedKeys) {
    }

    /** Counts the GCP part of a blast radius over the principals reached. */
    private GcpCounts gcpCounts(String rootId, Set<String> reached) {
        int serviceAccounts = 0;
        int keys = 0;
        Set<String> scopes = new TreeSet<>();
        Map<String, Set<String>> levelsByResource = new TreeMap<>();
        for (String id : reached) {
            PrincipalNode principal = projection.principal(id);
            if (!isGcp(principal)) {
                continue;
            }
            if ("GcpServiceAccount".equals(principal.kind())) {
                serviceAccounts += id.equals(rootId) ? 0 : 1;
                keys += principal.properties().get("userManagedKeys") instanceof Number count ? count.intValue() : 0;
            }
            if (principal.properties().get("adminScopes") instanceof List<?> held) {
                held.forEach(scope -> scopes.add(scope.toString()));
            }
            for (AwsProjection.ResourceAccess access : projection.resourceAccess(id)) {
                if (access.resource().startsWith("//")) {
                    levelsByResource.computeIfAbsent(access.resource(), r -> new HashSet<>()).addAll(access.accessLevels());
                }
            }
        }
        Map<String, Integer> byLevel = new LinkedHashMap<>();
        for (String level : GCP_ACCESS_LEVELS) {
            long count = levelsByResource.values().stream().filter(levels -> levels.contains(level)).count();
            if (count > 0) {
                byLevel.put(level, (int) count);
            }
        }
        return new GcpCounts(serviceAccounts, List.copyOf(scopes), levelsByResource.size(), byLevel, keys);
    }

    /** Returns a user's, role's or group's access under its conditions and its account's SCPs. */
    private PrincipalAccess summarize(PrincipalNode principal) {
        return summaries.of(principal);
    }

    /**
     * Returns YES when a principal reached is an administrator or can make itself one without a condition,
     * CONDITIONAL when one can only under a condition, else NO. The marks leave SCPs out, as admin reachability
     * does, so this can be YES where {@code admin}, which applies them, is false.
     */
    private String adminEquivalent(boolean anyAdmin, Set<String> reached) {
        if (anyAdmin || reached.stream().anyMatch(id -> AwsProjection.ADMIN_YES.equals(projection.adminMark(id)))) {
            return "YES";
        }
        return reached.stream().anyMatch(id -> AwsProjection.ADMIN_CONDITIONAL.equals(projection.adminMark(id))) ? "CONDITIONAL" : "NO";
    }

    /**
     * Walks CAN_ASSUME and CAN_ESCALATE breadth-first, collecting the step that first reaches each principal in
     * {@code discovering} and every other step taken in {@code walked}, unless they are null. Returns why the walk
     * stopped early, or null when it finished.
     */
    private String walk(String rootId, int maxDepth, long deadline, Map<String, Integer> depthOf, List<Step> discovering,
                        List<Step> walked) {
        Graph<String, Step> graph = projection.stepGraph();
        Deque<String> queue = new ArrayDeque<>();
        depthOf.put(rootId, 0);
        queue.add(rootId);
        String stopReason = null;
        while (!queue.isEmpty()) {
            String current = queue.poll();
            int depth = depthOf.get(current);
            if (!graph.containsVertex(current)) {
                continue;
            }
            for (Step edge : graph.outgoingEdgesOf(current)) {
                String next = edge.target();
                if (depth == maxDepth) {
                    stopReason = "max depth " + maxDepth + " reached with further steps unexplored";
                    continue;
                }
                if (!depthOf.containsKey(next)) {
                    if (depthOf.size() >= maxPrincipals) {
                        return "more than " + maxPrincipals + " principals reachable; the rest are left out";
                    }
                    if (System.currentTimeMillis() > deadline) {
                        return "time budget of " + TIME_BUDGET_MILLIS + " ms spent";
                    }
                    depthOf.put(next, depth + 1);
                    queue.add(next);
                    if (discovering != null) {
                        discovering.add(edge);
                    }
                } else if (walked != null) {
                    walked.add(edge);
                }
            }
        }
        return stopReason;
    }

    private Node principalNode(PrincipalNode principal, int depth, PrincipalAccess access) {
        Map<String, Object> properties = new TreeMap<>(principal.properties());
        properties.remove("trustPolicy");
        properties.remove("snapshot");
        if (principal.trustPolicy() != null) {
            properties.put("trustPolicy", parseJson(principal.trustPolicy()));
        }
        Map<String, Map<String, Integer>> accessByService = null;
        if (access != null) {
            accessByService = new TreeMap<>();
            for (Map.Entry<String, ServiceAccess> service : access.services().entrySet()) {
                accessByService.put(service.getKey(), labels(service.getValue().actionsByLevel()));
            }
        }
        // A GCP principal has no AWS access summary: it is an administrator when the GCP analysis marked it as one of
        // an organization, folder or project.
        String mark = projection.adminMark(principal.id());
        Boolean admin = access != null ? Boolean.valueOf(access.admin())
                : isGcp(principal) ? Boolean.valueOf(AwsProjection.ADMIN_YES.equals(mark)) : null;
        return new Node(principal.id(), principal.kind(), principal.name() == null ? principal.id() : principal.name(),
                principal.account(), depth, admin, mark, properties, accessByService);
    }

    private void addServiceEdges(PrincipalNode principal, PrincipalAccess access, EdgeBudget edges, Map<String, Node> serviceNodes) {
        if (access.admin()) {
            addAdminEdge(principal, access, edges, serviceNodes);
            return;
        }
        for (Map.Entry<String, ServiceAccess> entry : access.services().entrySet()) {
            if (!edges.hasRoom()) {
                edges.skip();
                continue;
            }
            String service = entry.getKey();
            ServiceAccess serviceAccess = entry.getValue();
            String serviceId = "aws-service:" + service;
            serviceNodes.computeIfAbsent(serviceId, id -> new Node(id, "AwsService", service, null, null, null, null,
                    Map.of("service", service), null));
            List<String> levels = serviceAccess.actionsByLevel().keySet().stream().map(AccessLevel::label).toList();
            edges.add(() -> new Edge(principal.id() + "->" + serviceId, principal.id(), serviceId, "CAN_ACCESS", null,
                    serviceAccess.conditional(), levels, serviceAccess.actionCount(),
                    List.copyOf(serviceAccess.resources()), serviceAccess.evidence()));
        }
    }

    /**
     * Draws an administrator's access as one edge to a node that stands for every action. One edge per service
     * (over 400 of them) would bury the CAN_ASSUME chain, and the node's access map keeps the per-service counts.
     */
    private void addAdminEdge(PrincipalNode principal, PrincipalAccess access, EdgeBudget edges, Map<String, Node> serviceNodes) {
        if (!edges.hasRoom()) {
            edges.skip();
            return;
        }
        serviceNodes.computeIfAbsent(ALL_SERVICES, id -> new Node(id, "AwsService", "all actions (*)", null, null, null, null,
                Map.of("service", "*"), null));
        Set<Evidence> evidence = new LinkedHashSet<>();
        Set<String> resources = new LinkedHashSet<>();
        EnumMap<AccessLevel, Integer> levels = new EnumMap<>(AccessLevel.class);
        for (ServiceAccess serviceAccess : access.services().values()) {
            evidence.addAll(serviceAccess.evidence());
            resources.addAll(serviceAccess.resources());
            serviceAccess.actionsByLevel().forEach((level, count) -> levels.merge(level, count, Integer::sum));
        }
        edges.add(() -> new Edge(principal.id() + "->" + ALL_SERVICES, principal.id(), ALL_SERVICES, "CAN_ACCESS", null, false,
                levels.keySet().stream().map(AccessLevel::label).toList(), levels.values().stream().mapToInt(Integer::intValue).sum(),
                List.copyOf(resources), List.copyOf(evidence)));
    }

    /** Adds the resources whose resource-based policies grant the principal access. */
    private void addResourceEdges(PrincipalNode principal, EdgeBudget edges, Map<String, Node> otherNodes) {
        for (AwsProjection.ResourceAccess access : projection.resourceAccess(principal.id())) {
            if (!edges.hasRoom()) {
                edges.skip();
                continue;
            }
            AwsProjection.ResourceNode resource = projection.resource(access.resource());
            // A GCP resource is named by its full resource name, an AWS one by its ARN.
            boolean gcp = access.resource().startsWith("//");
            if (gcp) {
                // The service of //storage.googleapis.com/NAME is storage.googleapis.com.
                String service = access.resource().substring(2, Math.max(2, access.resource().indexOf('/', 2)));
                otherNodes.computeIfAbsent(access.resource(), id -> new Node(id, "GcpResource",
                        id.substring(id.lastIndexOf('/') + 1), null, null, null, null,
                        Map.of("name", id, "service", service), null));
            } else {
                otherNodes.computeIfAbsent(access.resource(), id -> new Node(id, "AwsResource",
                        id.substring(id.lastIndexOf(':') + 1), resource == null ? null : resource.account(), null, null,
                        null, Map.of("arn", id, "service", resource == null || resource.service() == null ? "" : resource.service()),
                        null));
            }
            edges.add(() -> new Edge(principal.id() + "->" + access.resource(), principal.id(), access.resource(), "CAN_ACCESS", null,
                    access.conditional(), access.accessLevels(), access.actionCount(), List.of(access.resource()), access.evidence()));
        }
    }

    /** Adds the groups of a user, since their policies are part of its blast radius. */
    private void addGroupNodes(PrincipalNode principal, List<Node> nodes, EdgeBudget edges) {
        for (String groupId : projection.groupsOf(principal.id())) {
            PrincipalNode group = projection.principal(groupId);
            if (group == null) {
                continue;
            }
            if (!edges.hasRoom()) {
                edges.skip();
                continue;
            }
            if (nodes.stream().noneMatch(n -> n.id().equals(groupId))) {
                Map<String, Object> properties = new TreeMap<>(group.properties());
                properties.remove("snapshot");
                nodes.add(new Node(groupId, group.kind(), group.name(), group.account(), null, null, null, properties, null));
            }
            edges.add(() -> new Edge(principal.id() + "->" + groupId, principal.id(), groupId, "MEMBER_OF", null, false,
                    null, null, null, null));
        }
    }

    private Map<String, Integer> countByLevel(BitSet actions) {
        // Counted by intersecting with each level's actions, because a report counts the union of every principal's
        // blast radius (up to 20,000 actions each) and a count per action showed in its profile.
        AccessLevel[] levels = AccessLevel.values();
        int[] counts = new int[levels.length];
        for (AccessLevel level : levels) {
            BitSet ofLevel = (BitSet) actions.clone();
            ofLevel.and(actionsOfLevel[level.ordinal()]);
            counts[level.ordinal()] = ofLevel.cardinality();
        }
        EnumMap<AccessLevel, Integer> byLevel = new EnumMap<>(AccessLevel.class);
        for (AccessLevel level : levels) {
            if (counts[level.ordinal()] > 0) {
                byLevel.put(level, counts[level.ordinal()]);
            }
        }
        return labels(byLevel);
    }

    private static Map<String, Integer> labels(EnumMap<AccessLevel, Integer> counts) {
        Map<String, Integer> labelled = new LinkedHashMap<>();
        counts.forEach((level, count) -> labelled.put(level.label(), count));
        return labelled;
    }

    /** Returns stored policy JSON as a tree so that API clients get an object, or the text if it does not parse. */
    private static Object parseJson(String text) {
        try {
            return PolicyDocuments.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    private static boolean isGcp(PrincipalNode node) {
        return "GcpServiceAccount".equals(node.kind()) || "GcpMember".equals(node.kind());
    }

    /** Users, roles and groups have policies of their own; services and providers only appear in trust policies. */
    private static boolean holdsPolicies(PrincipalNode node) {
        return !node.external() && ("AwsUser".equals(node.kind()) || "AwsRole".equals(node.kind()) || "AwsGroup".equals(node.kind()));
    }
}
