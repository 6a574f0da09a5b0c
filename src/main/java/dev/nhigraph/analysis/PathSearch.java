package dev.nhigraph.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.analysis.AwsProjection.Step;
import dev.nhigraph.policy.Evidence;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jgrapht.Graph;

/**
 * Paths from principals to a set of targets over the CAN_ASSUME and CAN_ESCALATE steps of the projection: who
 * can reach a target, how far it is, one witness path, and every simple path in order of length.
 *
 * <p>A target may itself be conditional: a principal that becomes an administrator only if a condition holds, or
 * a principal whose access to a resource is conditional. A path is conditional when one of its steps is, or when
 * its target is.
 *
 * <p>Reachability is two multi-source breadth-first searches backwards from the targets, one over the
 * unconditional steps from the unconditional targets and one over everything, so it costs O(V + E) for the whole
 * graph and has no depth bound. A principal's witness is a shortest path that is unconditional when one exists,
 * and otherwise a shortest path of any kind.
 *
 * <p>{@link #paths} enumerates simple paths in order of length by depth-first search with iterative deepening.
 * The distance from each principal to its nearest target is an exact lower bound on the rest of a path, so the
 * search enters only principals from which a target is still within the remaining steps. It is bounded by depth,
 * number of paths and time, and the result states the bounds.
 *
 * <p>Immutable after construction and safe to share between threads, as long as the projection is not modified.
 */
public final class PathSearch {

    public static final int DEFAULT_MAX_DEPTH = BlastRadius.DEFAULT_MAX_DEPTH;
    public static final int MAX_DEPTH_LIMIT = BlastRadius.MAX_DEPTH_LIMIT;
    public static final int DEFAULT_MAX_PATHS = 10;
    public static final int MAX_PATHS_LIMIT = 100;
    public static final long TIME_BUDGET_MILLIS = 2_000;

    /** Whether a target can be reached: on an unconditional path, only on conditional ones, or not at all. */
    public enum Reach { YES, CONDITIONAL, NO }

    /** One step of a path, with the statements behind it. {@code technique} is null for CAN_ASSUME. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Hop(String from, String to, String kind, String technique, boolean conditional, List<Evidence> evidence) {
    }

    /**
     * A path from {@code from} to the target {@code to}. {@code principals} lists both ends and everything between,
     * so a target's own path has length 0 and no steps.
     */
    public record Path(String from, String to, int length, boolean conditional, List<String> principals, List<Hop> steps) {
    }

    /**
     * The bounds of a path search, and which of them stopped it if one did. Paths longer than {@code maxDepth} are
     * never searched, so a search that ends within its bounds is not marked truncated even when longer paths exist.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Bounds(int maxDepth, int maxPaths, long timeBudgetMillis, boolean truncated, String reason) {
    }

    /** The paths found from one principal, ordered by length, then by the principals along them. */
    public record Paths(String root, Bounds bounds, List<Path> paths) {
    }

    /** A condition that a conditional path depends on: the step it is on and the statement that sets it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Condition(String from, String to, String policy, Integer statement, JsonNode condition, String note) {
    }

    /** The order in which the witness prefers one of several shortest first steps. */
    private static final Comparator<Step> WITNESS_ORDER = Comparator.comparing(Step::conditional)
            .thenComparing(Step::target).thenComparing(Step::kind)
            .thenComparing(step -> step.technique() == null ? "" : step.technique());

    /** The result of one backwards search: for each principal, its first step towards a target and the distance. */
    private record Search(Map<String, Step> nextStep, Map<String, Integer> distance) {
    }

    private final Graph<String, Step> graph;
    private final Map<String, Boolean> targets;
    private final Map<String, List<Step>> impliedIn = new HashMap<>();
    private final Map<String, List<Step>> impliedOut = new HashMap<>();
    private final Search unconditional;
    private final Search any;

    /**
     * @param projection the projection whose step graph is searched
     * @param targets    the target principals, each mapped to whether reaching it is itself conditional
     */
    public PathSearch(AwsProjection projection, Map<String, Boolean> targets) {
        this(projection, targets, List.of());
    }

    /**
     * @param implied steps that the projection does not store but that the search follows as if it did, such as
     *                an administrator's step to any principal of its account
     */
    public PathSearch(AwsProjection projection, Map<String, Boolean> targets, List<Step> implied) {
        this.graph = projection.stepGraph();
        this.targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
        for (Step step : implied) {
            impliedIn.computeIfAbsent(step.target(), id -> new ArrayList<>()).add(step);
            impliedOut.computeIfAbsent(step.source(), id -> new ArrayList<>()).add(step);
        }
        this.unconditional = searchBackwards(true);
        this.any = searchBackwards(false);
    }

    private Collection<Step> outgoing(String principal) {
        return withImplied(graph.outgoingEdgesOf(principal), impliedOut.get(principal));
    }

    private Collection<Step> incoming(String principal) {
        return withImplied(graph.incomingEdgesOf(principal), impliedIn.get(principal));
    }

    /** Returns the stored steps, followed by the implied ones when there are any. */
    private static Collection<Step> withImplied(Collection<Step> stored, List<Step> implied) {
        if (implied == null) {
            return stored;
        }
        List<Step> steps = new ArrayList<>(stored);
        steps.addAll(implied);
        return steps;
    }

    /** Tells whether {@code principalId} is a target or can reach one, and whether only under conditions. */
    public Reach reach(String principalId) {
        if (unconditional.distance().containsKey(principalId)) {
            return Reach.YES;
        }
        return any.distance().containsKey(principalId) ? Reach.CONDITIONAL : Reach.NO;
    }

    /** Returns the number of steps from {@code principalId} to its nearest target over all steps, or -1 for none. */
    public int distance(String principalId) {
        return any.distance().getOrDefault(principalId, -1);
    }

    /**
     * Returns one shortest path from {@code principalId} to a target: over unconditional steps when such a path
     * exists, even if a conditional one is shorter, and otherwise over all steps. Returns null when no target is
     * reachable.
     */
    public Path witness(String principalId) {
        Search search = unconditional.distance().containsKey(principalId) ? unconditional : any;
        if (!search.distance().containsKey(principalId)) {
            return null;
        }
        List<Step> steps = new ArrayList<>();
        String current = principalId;
        for (Step step = search.nextStep().get(current); step != null; step = search.nextStep().get(current)) {
            steps.add(step);
            current = step.target();
        }
        return path(principalId, steps);
    }

    /** Returns every principal that is a target or can reach one, by distance and then id. */
    public List<String> sources() {
        List<String> sources = new ArrayList<>(any.distance().keySet());
        sources.sort(Comparator.comparing((String id) -> any.distance().get(id)).thenComparing(id -> id));
        return sources;
    }

    /**
     * Returns up to {@code maxPaths} shortest simple paths from {@code rootId} to targets, each ending at the first
     * unconditional target on it or at a conditional one. An unconditional target's only path is its own, of length 0; a conditional target also gets
     * the longer paths that may avoid its condition.
     *
     * @throws IllegalArgumentException when the depth is outside 0..{@value #MAX_DEPTH_LIMIT} or the number of
     *                                  paths outside 1..{@value #MAX_PATHS_LIMIT}
     * @throws NoSuchElementException   when the principal is not in the graph
     */
    public Paths paths(String rootId, int maxDepth, int maxPaths) {
        checkBounds(maxDepth, maxPaths);
        if (!graph.containsVertex(rootId)) {
            throw new NoSuchElementException("No principal with id " + rootId + " in the graph."
                    + " Use the full ARN, or search with GET /api/principals?q=NAME.");
        }
        Bounds complete = new Bounds(maxDepth, maxPaths, TIME_BUDGET_MILLIS, false, null);
        Boolean rootConditional = targets.get(rootId);
        if (Boolean.FALSE.equals(rootConditional)) {
            return new Paths(rootId, complete, List.of(path(rootId, List.of())));
        }

        Enumeration search = new Enumeration(maxPaths, System.nanoTime() + TIME_BUDGET_MILLIS * 1_000_000);
        int shortest = distance(rootId);
        if (rootConditional != null) {
            search.found.add(path(rootId, List.of()));
            shortest = 1;
        }
        if (shortest < 0) {
            return new Paths(rootId, complete, List.of());
        }
        if (shortest > maxDepth) {
            String reason = "the nearest target is " + shortest + " steps away, beyond max depth " + maxDepth;
            return new Paths(rootId, new Bounds(maxDepth, maxPaths, TIME_BUDGET_MILLIS, search.found.isEmpty(),
                    search.found.isEmpty() ? reason : null), List.copyOf(search.found));
        }

        // Iterative deepening: all paths of the shortest length first, then one step longer, and so on.
        for (int length = shortest; length <= maxDepth && search.stopReason == null; length++) {
            search.visit(rootId, length);
        }
        return new Paths(rootId, new Bounds(maxDepth, maxPaths, TIME_BUDGET_MILLIS, search.stopReason != null,
                search.stopReason), List.copyOf(search.found));
    }

    /**
     * Returns the conditions that the conditional steps of {@code paths} depend on, each once: the Condition blocks
     * of their statements, or the note of a step that is conditional for another reason, such as a resource the
     * export does not show.
     */
    public static List<Condition> conditionsOf(List<Path> paths) {
        Map<String, Condition> conditions = new LinkedHashMap<>();
        for (Path path : paths) {
            for (Hop hop : path.steps()) {
                if (!hop.conditional()) {
                    continue;
                }
                boolean any = false;
                for (Evidence evidence : hop.evidence()) {
                    if (evidence.condition() != null) {
                        Condition condition = new Condition(hop.from(), hop.to(), evidence.policy(), evidence.statement(),
                                evidence.condition(), null);
                        conditions.putIfAbsent(condition.toString(), condition);
                        any = true;
                    }
                }
                if (!any) {
                    for (Evidence evidence : hop.evidence()) {
                        // The note that names the technique describes the method, not what the step depends on.
                        if (evidence.note() != null && !evidence.note().startsWith("technique ")) {
                            Condition condition = new Condition(hop.from(), hop.to(), evidence.policy(), null, null, evidence.note());
                            conditions.putIfAbsent(condition.toString(), condition);
                        }
                    }
                }
            }
        }
        return List.copyOf(conditions.values());
    }

    static void checkBounds(int maxDepth, int maxPaths) {
        if (maxDepth < 0 || maxDepth > MAX_DEPTH_LIMIT) {
            throw new IllegalArgumentException("depth " + maxDepth + " is outside the allowed range 0.." + MAX_DEPTH_LIMIT);
        }
        if (maxPaths < 1 || maxPaths > MAX_PATHS_LIMIT) {
            throw new IllegalArgumentException("path count " + maxPaths + " is outside the allowed range 1.." + MAX_PATHS_LIMIT);
        }
    }

    /** The state of one depth-first enumeration in {@link #paths}. */
    private final class Enumeration {

        private final int maxPaths;
        private final long deadlineNanos;
        private final List<Path> found = new ArrayList<>();
        private final Deque<Step> steps = new ArrayDeque<>();
        private final Set<String> onPath = new HashSet<>();
        private String stopReason;

        Enumeration(int maxPaths, long deadlineNanos) {
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
            for (Step step : nextSteps(current, remaining)) {
                if (stopReason != null) {
                    return;
                }
                String next = step.target();
                steps.addLast(step);
                if (remaining == 1) {
                    // nextSteps offers only targets at the last step.
                    found.add(path(steps.getFirst().source(), List.copyOf(steps)));
                    if (found.size() >= maxPaths) {
                        stopReason = "max paths " + maxPaths + " reached; further paths were not searched";
                    }
                } else {
                    onPath.add(next);
                    extend(next, remaining - 1);
                    onPath.remove(next);
                }
                steps.removeLast();
            }
        }

        /**
         * Returns the steps out of {@code current} that can still end at a target in exactly {@code remaining}
         * steps, ordered by target, kind and technique so that the result does not depend on the load order. A
         * path stops at its first unconditional target, so those are entered only at the last step.
         */
        private List<Step> nextSteps(String current, int remaining) {
            List<Step> next = new ArrayList<>();
            for (Step step : outgoing(current)) {
                String target = step.target();
                if (onPath.contains(target)) {
                    continue;
                }
                Boolean targetConditional = targets.get(target);
                int distance = distance(target);
                // A path may pass a conditional target on its way to one that is reached without the condition.
                boolean passable = !Boolean.FALSE.equals(targetConditional) && distance >= 0 && distance <= remaining - 1;
                if (remaining == 1 ? targetConditional != null : passable) {
                    next.add(step);
                }
            }
            next.sort(Comparator.comparing(Step::target).thenComparing(Step::kind)
                    .thenComparing(step -> step.technique() == null ? "" : step.technique()));
            return next;
        }
    }

    /** Searches backwards from the targets; {@code unconditionalOnly} leaves out conditional steps and targets. */
    private Search searchBackwards(boolean unconditionalOnly) {
        Map<String, Step> nextStep = new HashMap<>();
        Map<String, Integer> distance = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        targets.forEach((target, conditional) -> {
            if (!(unconditionalOnly && conditional)) {
                distance.put(target, 0);
                queue.add(target);
            }
        });
        while (!queue.isEmpty()) {
            String current = queue.poll();
            int steps = distance.get(current);
            if (!graph.containsVertex(current)) {
                continue;
            }
            for (Step step : incoming(current)) {
                if (unconditionalOnly && step.conditional()) {
                    continue;
                }
                String source = step.source();
                Step known = nextStep.get(source);
                if (!distance.containsKey(source)) {
                    distance.put(source, steps + 1);
                    nextStep.put(source, step);
                    queue.add(source);
                } else if (known != null && distance.get(source) == steps + 1 && WITNESS_ORDER.compare(step, known) < 0) {
                    // Of two shortest first steps, the witness shows the unconditional one, and then the first by
                    // target, so that the same graph gives the same witness whatever order Neo4j returned it in.
                    nextStep.put(source, step);
                }
            }
        }
        return new Search(nextStep, distance);
    }

    private Path path(String start, List<Step> steps) {
        List<String> principals = new ArrayList<>();
        List<Hop> hops = new ArrayList<>();
        principals.add(start);
        boolean conditional = false;
        for (Step step : steps) {
            principals.add(step.target());
            hops.add(new Hop(step.source(), step.target(), step.kind(), step.technique(), step.conditional(), step.evidence()));
            conditional |= step.conditional();
        }
        String end = principals.get(principals.size() - 1);
        conditional |= Boolean.TRUE.equals(targets.get(end));
        return new Path(start, end, steps.size(), conditional, List.copyOf(principals), List.copyOf(hops));
    }
}
