package dev.nhigraph.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nhigraph.analysis.AwsProjection.AssumeEdge;
import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.policy.AccessSummarizer;
import dev.nhigraph.policy.Evidence;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jgrapht.Graph;

/**
 * Admin reachability: the principals that can become an administrator through CAN_ASSUME, with a witness path for
 * each, and the shortest paths to administrators from one principal.
 *
 * <p>An administrator is a user or role whose own policies allow every action of the catalogue on every resource
 * without a condition ({@link dev.nhigraph.policy.PrincipalAccess#admin()}), under its permissions boundary but not
 * its SCPs. Each principal is summarised once, by {@link #findAdmins}. Groups are not administrators themselves,
 * since no one can assume a group, but their policies count for their members.
 *
 * <p>Reachability is two multi-source breadth-first searches backwards from every administrator, one over the
 * unconditional CAN_ASSUME edges and one over all of them, so it costs O(V + E) for the whole graph and is not
 * bounded by depth. A principal's witness is a shortest path that uses unconditional edges only when one exists,
 * and otherwise a shortest path over all edges, marked conditional.
 *
 * <p>{@link #pathsToAdmin} enumerates simple paths in order of length by depth-first search with iterative
 * deepening. The distance from each principal to its nearest administrator is an exact lower bound on the rest of
 * a path, so the search enters only principals from which an administrator is still within the remaining steps.
 * It is bounded by depth, number of paths and time, and the result states the bounds.
 *
 * <p>NOTE: only sts:AssumeRole (CAN_ASSUME) is followed. Privilege escalation through IAM actions such as
 * iam:PassRole, iam:CreateAccessKey or iam:AttachRolePolicy is not modelled yet, so a principal that can grant
 * itself administrator access that way is reported as not reaching an administrator.
 *
 * <p>Immutable after construction and safe to share between threads, as long as the projection is not modified.
 */
public final class AdminReachability {

    public static final int DEFAULT_MAX_DEPTH = BlastRadius.DEFAULT_MAX_DEPTH;
    public static final int MAX_DEPTH_LIMIT = BlastRadius.MAX_DEPTH_LIMIT;
    public static final int DEFAULT_MAX_PATHS = 10;
    public static final int MAX_PATHS_LIMIT = 100;
    public static final long TIME_BUDGET_MILLIS = 2_000;

    /** One CAN_ASSUME step of a path, with the trust and identity statements behind it. */
    public record Hop(String source, String target, boolean conditional, List<Evidence> evidence) {
    }

    /**
     * A path from {@code principal} to the administrator {@code admin}. {@code principals} lists both ends and
     * everything between, so an administrator's own path has length 0 and no hops.
     */
    public record AdminPath(String principal, String admin, int length, boolean conditional, List<String> principals,
                            List<Hop> hops) {
    }

    /**
     * The bounds of a path search, and which of them stopped it if one did. Paths longer than {@code maxDepth} are
     * never searched, so a search that ends within its bounds is not marked truncated even when longer paths exist.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Bounds(int maxDepth, int maxPaths, long timeBudgetMillis, boolean truncated, String reason) {
    }

    /** The result of {@link #pathsToAdmin}: paths ordered by length, then by the principals along them. */
    public record Paths(String root, Bounds bounds, List<AdminPath> paths) {
    }

    /** The result of one backwards search: for each principal, its first step towards an administrator and the distance. */
    private record Search(Map<String, AssumeEdge> nextStep, Map<String, Integer> distance) {
    }

    private final AwsProjection projection;
    private final Set<String> admins;
    private final Search unconditional;
    private final Search any;

    private AdminReachability(AwsProjection projection, Set<String> admins) {
        this.projection = projection;
        this.admins = Collections.unmodifiableSet(admins);
        this.unconditional = searchBackwards(true);
        this.any = searchBackwards(false);
    }

    /** Finds the administrators of {@code projection} and computes which principals can reach one. */
    public static AdminReachability compute(AwsProjection projection, AccessSummarizer summarizer, AwsAuthorization authorization) {
        return of(projection, findAdmins(projection, summarizer, authorization));
    }

    /**
     * Computes reachability to the given administrators, as {@link #findAdmins} returns them. The two steps are
     * separate so that callers can time them apart.
     *
     * @throws IllegalArgumentException when an administrator id is not a principal of the projection
     */
    public static AdminReachability of(AwsProjection projection, Set<String> admins) {
        for (String admin : admins) {
            if (projection.principal(admin) == null) {
                throw new IllegalArgumentException("Administrator " + admin + " is not a principal of the projection.");
            }
        }
        return new AdminReachability(projection, new LinkedHashSet<>(admins));
    }

    /**
     * Returns the users and roles of the projection whose own policies amount to administrator access: identity
     * policies, group policies and the permissions boundary, under the principal's condition context. Principals of
     * accounts outside the bundle are left out, since their policies are unknown.
     *
     * <p>NOTE: SCPs are left out on purpose. An SCP that denies one action everywhere, such as
     * organizations:LeaveOrganization, would otherwise make no one in a member account an administrator. So a role
     * with AdministratorAccess under an SCP that denies most actions still counts as an administrator.
     */
    public static Set<String> findAdmins(AwsProjection projection, AccessSummarizer summarizer, AwsAuthorization authorization) {
        Set<String> admins = new LinkedHashSet<>();
        for (PrincipalNode node : projection.principals().values()) {
            boolean userOrRole = "AwsUser".equals(node.kind()) || "AwsRole".equals(node.kind());
            if (!userOrRole || node.external()) {
                continue;
            }
            AwsAuthorization.AccessScope scope = authorization.scope(node);
            if (summarizer.summarize(projection.policySet(node.id()), scope.context(), List.of()).admin()) {
                admins.add(node.id());
            }
        }
        return admins;
    }

    /** Returns the administrators, in the order of the projection. */
    public Set<String> admins() {
        return admins;
    }

    /** Returns whether {@code principalId} is an administrator or can become one through CAN_ASSUME. */
    public boolean reachesAdmin(String principalId) {
        return any.distance().containsKey(principalId);
    }

    /**
     * Returns the number of CAN_ASSUME steps from {@code principalId} to its nearest administrator over all edges,
     * or -1 when it reaches none.
     */
    public int distanceToAdmin(String principalId) {
        return any.distance().getOrDefault(principalId, -1);
    }

    /**
     * Returns one shortest path from {@code principalId} to an administrator: over unconditional edges when such a
     * path exists, even if a conditional one is shorter, and otherwise over all edges. Returns null when no
     * administrator is reachable.
     */
    public AdminPath witness(String principalId) {
        Search search = unconditional.distance().containsKey(principalId) ? unconditional : any;
        if (!search.distance().containsKey(principalId)) {
            return null;
        }
        List<AssumeEdge> edges = new ArrayList<>();
        String current = principalId;
        for (AssumeEdge step = search.nextStep().get(current); step != null; step = search.nextStep().get(current)) {
            edges.add(step);
            current = step.target();
        }
        return path(principalId, edges);
    }

    /** Returns every principal of the projection that is an administrator or can reach one, in projection order. */
    public List<String> principalsReachingAdmin() {
        List<String> reaching = new ArrayList<>();
        for (String id : projection.principals().keySet()) {
            if (reachesAdmin(id)) {
                reaching.add(id);
            }
        }
        return reaching;
    }

    /**
     * Returns up to {@code maxPaths} shortest simple CAN_ASSUME paths from {@code rootId} to administrators, each
     * ending at the first administrator on it. For an administrator the result is its own path of length 0.
     *
     * @throws IllegalArgumentException when the depth is outside 0..{@value #MAX_DEPTH_LIMIT} or the number of
     *                                  paths outside 1..{@value #MAX_PATHS_LIMIT}
     * @throws NoSuchElementException   when the principal is not in the graph
     */
    public Paths pathsToAdmin(String rootId, int maxDepth, int maxPaths) {
        if (maxDepth < 0 || maxDepth > MAX_DEPTH_LIMIT) {
            throw new IllegalArgumentException("depth " + maxDepth + " is outside the allowed range 0.." + MAX_DEPTH_LIMIT);
        }
        if (maxPaths < 1 || maxPaths > MAX_PATHS_LIMIT) {
            throw new IllegalArgumentException("path count " + maxPaths + " is outside the allowed range 1.." + MAX_PATHS_LIMIT);
        }
        if (projection.principal(rootId) == null) {
            throw new NoSuchElementException("No principal with id " + rootId + " in the graph."
                    + " Use the full ARN, or search with GET /api/principals?q=NAME.");
        }
        if (admins.contains(rootId)) {
            return new Paths(rootId, new Bounds(maxDepth, maxPaths, TIME_BUDGET_MILLIS, false, null),
                    List.of(path(rootId, List.of())));
        }

        int shortest = distanceToAdmin(rootId);
        if (shortest < 0) {
            return new Paths(rootId, new Bounds(maxDepth, maxPaths, TIME_BUDGET_MILLIS, false, null), List.of());
        }
        if (shortest > maxDepth) {
            return new Paths(rootId, new Bounds(maxDepth, maxPaths, TIME_BUDGET_MILLIS, true,
                    "the nearest administrator is " + shortest + " CAN_ASSUME steps away, beyond max depth " + maxDepth),
                    List.of());
        }

        // Iterative deepening: all paths of the shortest length first, then one step longer, and so on.
        PathSearch search = new PathSearch(maxPaths, System.nanoTime() + TIME_BUDGET_MILLIS * 1_000_000);
        for (int length = shortest; length <= maxDepth && search.stopReason == null; length++) {
            search.visit(rootId, length);
        }
        return new Paths(rootId, new Bounds(maxDepth, maxPaths, TIME_BUDGET_MILLIS, search.stopReason != null,
                search.stopReason), List.copyOf(search.found));
    }

    /** The state of one depth-first enumeration in {@link #pathsToAdmin}. */
    private final class PathSearch {

        private final int maxPaths;
        private final long deadlineNanos;
        private final List<AdminPath> found = new ArrayList<>();
        private final Deque<AssumeEdge> edges = new ArrayDeque<>();
        private final Set<String> onPath = new HashSet<>();
        private String stopReason;

        PathSearch(int maxPaths, long deadlineNanos) {
            this.maxPaths = maxPaths;
            this.deadlineNanos = deadlineNanos;
        }

        /** Collects the paths of exactly {@code length} steps from {@code root}. */
        void visit(String root, int length) {
            onPath.add(root);
            extend(root, length);
            onPath.remove(root);
        }

        private void extend(String current, int remaining) {
            if (System.nanoTime() > deadlineNanos) {
                stopReason = "time budget of " + TIME_BUDGET_MILLIS + " ms spent";
                return;
            }
            for (AssumeEdge edge : nextSteps(current, remaining)) {
                if (stopReason != null) {
                    return;
                }
                String next = edge.target();
                edges.addLast(edge);
                if (remaining == 1) {
                    // nextSteps offers only administrators at the last step.
                    found.add(path(edges.getFirst().source(), List.copyOf(edges)));
                    if (found.size() >= maxPaths) {
                        stopReason = "max paths " + maxPaths + " reached; further paths were not searched";
                    }
                } else {
                    onPath.add(next);
                    extend(next, remaining - 1);
                    onPath.remove(next);
                }
                edges.removeLast();
            }
        }

        /**
         * Returns the edges out of {@code current} that can still end at an administrator in exactly
         * {@code remaining} steps, by target id so that the result does not depend on the load order. A path stops
         * at its first administrator, so administrators are entered only at the last step.
         */
        private List<AssumeEdge> nextSteps(String current, int remaining) {
            Graph<String, AssumeEdge> graph = projection.assumeGraph();
            List<AssumeEdge> steps = new ArrayList<>();
            for (AssumeEdge edge : graph.outgoingEdgesOf(current)) {
                String next = edge.target();
                if (onPath.contains(next)) {
                    continue;
                }
                boolean admin = admins.contains(next);
                if (remaining == 1 ? admin : !admin && distanceToAdmin(next) >= 0 && distanceToAdmin(next) <= remaining - 1) {
                    steps.add(edge);
                }
            }
            steps.sort(Comparator.comparing(AssumeEdge::target));
            return steps;
        }
    }

    /** Searches backwards from every administrator; {@code unconditionalOnly} leaves out conditional edges. */
    private Search searchBackwards(boolean unconditionalOnly) {
        Graph<String, AssumeEdge> graph = projection.assumeGraph();
        Map<String, AssumeEdge> nextStep = new HashMap<>();
        Map<String, Integer> distance = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        for (String admin : admins) {
            distance.put(admin, 0);
            queue.add(admin);
        }
        while (!queue.isEmpty()) {
            String current = queue.poll();
            int steps = distance.get(current);
            if (!graph.containsVertex(current)) {
                continue;
            }
            for (AssumeEdge edge : graph.incomingEdgesOf(current)) {
                if (unconditionalOnly && edge.conditional()) {
                    continue;
                }
                String source = edge.source();
                if (!distance.containsKey(source)) {
                    distance.put(source, steps + 1);
                    nextStep.put(source, edge);
                    queue.add(source);
                }
            }
        }
        return new Search(nextStep, distance);
    }

    private static AdminPath path(String start, List<AssumeEdge> edges) {
        List<String> principals = new ArrayList<>();
        List<Hop> hops = new ArrayList<>();
        principals.add(start);
        boolean conditional = false;
        for (AssumeEdge edge : edges) {
            principals.add(edge.target());
            hops.add(new Hop(edge.source(), edge.target(), edge.conditional(), edge.evidence()));
            conditional |= edge.conditional();
        }
        String admin = principals.get(principals.size() - 1);
        return new AdminPath(start, admin, edges.size(), conditional, List.copyOf(principals), List.copyOf(hops));
    }
}
