package dev.nhigraph.analysis;

import dev.nhigraph.analysis.AwsProjection.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.alg.flow.DinicMFImpl;
import org.jgrapht.graph.DefaultDirectedWeightedGraph;
import org.jgrapht.graph.DefaultWeightedEdge;

/**
 * A minimum set of steps whose removal leaves no path from one principal to any of a set of targets, within the
 * searched part of the step graph.
 *
 * <p>Phases: a breadth-first search from the root, bounded by depth, number of principals and time, collects the
 * steps it takes and does not continue past a target. A backwards search over those steps keeps the principals
 * from which a target is reachable. Those steps form a flow network with one arc per pair of principals, whose
 * capacity is the number of cuttable steps between the pair, or "infinite" when one step of the pair cannot be cut.
 * Every target gets an infinite arc to one sink. Dinic's maximum flow (JGraphT) then gives a minimum cut, and the
 * cut nearest the root is taken: the source side is what the residual network still reaches from the root.
 * Last, a search without the cut steps checks that no target is left, first over the searched steps and then over
 * the whole graph without the depth and size bounds, so the result states whether a longer path survives.
 *
 * <p>Each step counts one, so the cut has the fewest steps, not the fewest policy statements: one statement that
 * allows several steps may be listed under each of them. Cost: O(V + E) for the searches and O(V^2 E) at worst for
 * the flow, over the searched part, which the principal bound keeps to {@link BlastRadius#MAX_PRINCIPALS}.
 */
final class StepCut {

    /** The result: the steps to cut, what the search covered, and the checks of the cut. */
    record Result(Set<String> targetsReached, List<Step> cut, boolean cuttable, Set<String> onPaths,
                  int principalsSearched, int stepsSearched, int depthReached, String stopReason,
                  boolean cutVerified, boolean wholeGraphChecked, String remainingTarget) {
    }

    private static final String SINK = "\u0000sink";
    /** The result of {@link #firstTargetWithout} when the deadline passed before it finished. */
    private static final String TIMED_OUT = "\u0000timed-out";

    private final Graph<String, Step> graph;
    private final Map<String, List<Step>> impliedOut = new HashMap<>();
    private final Set<String> cuttableKinds;

    /**
     * @param graph         the stored steps
     * @param implied       steps that the graph does not store but that count alike, such as an administrator's
     *                      step to any principal of its account or a holder's access to a resource
     * @param cuttableKinds the step kinds that a change of policy can remove; a step of any other kind is never cut
     */
    StepCut(Graph<String, Step> graph, List<Step> implied, Set<String> cuttableKinds) {
        this.graph = graph;
        for (Step step : implied) {
            impliedOut.computeIfAbsent(step.source(), id -> new ArrayList<>()).add(step);
        }
        this.cuttableKinds = Set.copyOf(cuttableKinds);
    }

    /**
     * Computes a minimum cut from {@code root} to {@code targets}. The root itself is never a target here: the
     * caller reports a root that is a target on its own.
     *
     * @param deadlineNanos the {@link System#nanoTime()} after which the search stops and states so
     */
    Result compute(String root, Set<String> targets, int maxDepth, int maxPrincipals, long deadlineNanos, long budgetMillis) {
        // Phase 1: the bounded search from the root.
        Map<String, Integer> depthOf = new LinkedHashMap<>();
        List<Step> searched = new ArrayList<>();
        String stopReason = search(root, targets, maxDepth, maxPrincipals, deadlineNanos, budgetMillis, depthOf, searched);
        int depthReached = depthOf.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        Set<String> reached = new LinkedHashSet<>();
        for (String id : depthOf.keySet()) {
            if (targets.contains(id)) {
                reached.add(id);
            }
        }
        if (reached.isEmpty()) {
            // A bound may hide a longer path, which the search over the whole graph finds.
            String beyond = stopReason == null ? null : firstTargetWithout(root, targets, Set.of(), null, deadlineNanos);
            boolean wholeGraphChecked = stopReason == null || !TIMED_OUT.equals(beyond);
            return new Result(Set.of(), List.of(), true, Set.of(), depthOf.size(), searched.size(), depthReached, stopReason,
                    true, wholeGraphChecked, wholeGraphChecked ? beyond : null);
        }

        // Phase 2: the principals on a path to a target, and the steps between them.
        Set<String> onPaths = reachingTargets(reached, searched);
        List<Step> relevant = searched.stream().filter(step -> onPaths.contains(step.target())).toList();

        // Phase 3: the flow network and its minimum cut nearest the root.
        double infinite = relevant.size() + 1.0;
        DefaultDirectedWeightedGraph<String, DefaultWeightedEdge> network = new DefaultDirectedWeightedGraph<>(DefaultWeightedEdge.class);
        network.addVertex(SINK);
        onPaths.forEach(network::addVertex);
        for (Step step : relevant) {
            double capacity = cuttableKinds.contains(step.kind()) ? 1.0 : infinite;
            DefaultWeightedEdge arc = network.getEdge(step.source(), step.target());
            if (arc == null) {
                arc = network.addEdge(step.source(), step.target());
                network.setEdgeWeight(arc, Math.min(capacity, infinite));
            } else {
                network.setEdgeWeight(arc, Math.min(network.getEdgeWeight(arc) + capacity, infinite));
            }
        }
        for (String target : reached) {
            network.setEdgeWeight(network.addEdge(target, SINK), infinite);
        }
        DinicMFImpl<String, DefaultWeightedEdge> flow = new DinicMFImpl<>(network);
        double capacity = flow.calculateMinCut(root, SINK);
        if (capacity >= infinite) {
            return new Result(reached, List.of(), false, onPaths, depthOf.size(), searched.size(), depthReached, stopReason,
                    false, false, null);
        }
        Set<String> sourceSide = flow.getSourcePartition();
        List<Step> cut = relevant.stream()
                .filter(step -> sourceSide.contains(step.source()) && !sourceSide.contains(step.target()))
                .toList();

        // Phase 4: check the cut over the searched steps, then over the whole graph.
        Set<Step> removed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        removed.addAll(cut);
        boolean verified = firstTargetWithout(root, targets, removed, searched, deadlineNanos) == null;
        String remaining = firstTargetWithout(root, targets, removed, null, deadlineNanos);
        boolean wholeGraphChecked = !TIMED_OUT.equals(remaining);
        return new Result(reached, cut, true, onPaths, depthOf.size(), searched.size(), depthReached, stopReason, verified,
                wholeGraphChecked, wholeGraphChecked ? remaining : null);
    }

    private Collection<Step> outgoing(String principal) {
        List<Step> implied = impliedOut.get(principal);
        Collection<Step> stored = graph.containsVertex(principal) ? graph.outgoingEdgesOf(principal) : List.of();
        if (implied == null) {
            return stored;
        }
        List<Step> steps = new ArrayList<>(stored);
        steps.addAll(implied);
        return steps;
    }

    /**
     * Walks breadth-first from the root and collects every step taken out of a principal that is not a target.
     * Returns why the walk stopped early, or null when it covered everything reachable.
     */
    private String search(String root, Set<String> targets, int maxDepth, int maxPrincipals, long deadlineNanos,
                          long budgetMillis, Map<String, Integer> depthOf, List<Step> searched) {
        Deque<String> queue = new ArrayDeque<>();
        depthOf.put(root, 0);
        queue.add(root);
        String stopReason = null;
        while (!queue.isEmpty()) {
            String current = queue.poll();
            int depth = depthOf.get(current);
            if (targets.contains(current)) {
                continue;
            }
            for (Step step : outgoing(current)) {
                if (depth == maxDepth) {
                    stopReason = "max depth " + maxDepth + " reached with further steps unexplored";
                    break;
                }
                String next = step.target();
                if (!depthOf.containsKey(next)) {
                    if (depthOf.size() >= maxPrincipals) {
                        return "more than " + maxPrincipals + " principals reachable; the rest are left out";
                    }
                    if (System.nanoTime() > deadlineNanos) {
                        return "time budget of " + budgetMillis + " ms spent";
                    }
                    depthOf.put(next, depth + 1);
                    queue.add(next);
                }
                searched.add(step);
            }
        }
        return stopReason;
    }

    /** Returns the principals of the searched steps from which a target reached is reachable, the targets included. */
    private static Set<String> reachingTargets(Set<String> reached, List<Step> searched) {
        Map<String, List<String>> sourcesOf = new HashMap<>();
        for (Step step : searched) {
            sourcesOf.computeIfAbsent(step.target(), id -> new ArrayList<>()).add(step.source());
        }
        Set<String> onPaths = new LinkedHashSet<>(reached);
        Deque<String> queue = new ArrayDeque<>(reached);
        while (!queue.isEmpty()) {
            for (String source : sourcesOf.getOrDefault(queue.poll(), List.of())) {
                if (onPaths.add(source)) {
                    queue.add(source);
                }
            }
        }
        return onPaths;
    }

    /**
     * Returns a target that the root still reaches without the removed steps, or null. With {@code within} it walks
     * only those steps; without, the whole graph, unbounded but for the deadline, past which it returns
     * {@link #TIMED_OUT}.
     */
    private String firstTargetWithout(String root, Set<String> targets, Set<Step> removed, List<Step> within,
                                      long deadlineNanos) {
        Map<String, List<Step>> withinOut = null;
        if (within != null) {
            withinOut = new HashMap<>();
            for (Step step : within) {
                withinOut.computeIfAbsent(step.source(), id -> new ArrayList<>()).add(step);
            }
        }
        Set<String> seen = new HashSet<>(List.of(root));
        Deque<String> queue = new ArrayDeque<>(List.of(root));
        while (!queue.isEmpty()) {
            String current = queue.poll();
            if (withinOut == null && System.nanoTime() > deadlineNanos) {
                return TIMED_OUT;
            }
            Collection<Step> steps = withinOut != null ? withinOut.getOrDefault(current, List.of()) : outgoing(current);
            for (Step step : steps) {
                if (removed.contains(step) || !seen.add(step.target())) {
                    continue;
                }
                if (targets.contains(step.target())) {
                    return step.target();
                }
                queue.add(step.target());
            }
        }
        return null;
    }
}
