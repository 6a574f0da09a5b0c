package dev.nhigraph.analysis;

import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.analysis.AwsProjection.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jgrapht.Graph;

/**
 * The step graph of a projection as arrays of principal numbers, for reports that walk the blast radius of every
 * principal. A walk over a dense core of roles visits up to {@link BlastRadius#MAX_PRINCIPALS} principals, and
 * hashing their ids for every walk of 10,000 principals took most of a report's time.
 *
 * <p>Each principal's targets keep the order of its steps in {@link AwsProjection#stepGraph()}, each target once at
 * its first step. A breadth-first walk here therefore discovers principals in the same order as
 * {@link BlastRadius#compute} and is cut by a bound at the same principal.
 *
 * <p>Not thread-safe: a walk reuses the arrays of the previous one.
 */
final class StepWalk {

    /** The principals of one walk in the order discovered, the root first, with their depths. */
    record Walk(int[] principals, int[] depths, int size, int depthReached, String stopReason) {
    }

    private final String[] ids;
    private final Map<String, Integer> numberOf;
    private final int[] firstTarget;
    private final int[] targets;

    private final int[] seenInWalk;
    private int walkNumber;
    private final int[] depth;
    private final int[] queue;

    StepWalk(AwsProjection projection) {
        Graph<String, Step> graph = projection.stepGraph();
        List<String> vertices = new ArrayList<>(graph.vertexSet());
        ids = vertices.toArray(String[]::new);
        numberOf = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            numberOf.put(ids[i], i);
        }

        // Compressed adjacency: the targets of principal i are targets[firstTarget[i]] to targets[firstTarget[i + 1]].
        firstTarget = new int[ids.length + 1];
        int[] all = new int[graph.edgeSet().size()];
        int count = 0;
        int[] lastSeenFrom = new int[ids.length];
        Arrays.fill(lastSeenFrom, -1);
        for (int i = 0; i < ids.length; i++) {
            firstTarget[i] = count;
            for (Step step : graph.outgoingEdgesOf(ids[i])) {
                int target = numberOf.get(step.target());
                // A second step to the same target discovers nothing new, so only the first is kept.
                if (lastSeenFrom[target] != i) {
                    lastSeenFrom[target] = i;
                    all[count++] = target;
                }
            }
        }
        firstTarget[ids.length] = count;
        targets = Arrays.copyOf(all, count);

        seenInWalk = new int[ids.length];
        depth = new int[ids.length];
        queue = new int[ids.length];
    }

    /** Returns the number of a principal of the step graph, or -1. */
    int number(String id) {
        Integer number = numberOf.get(id);
        return number == null ? -1 : number;
    }

    String id(int number) {
        return ids[number];
    }

    int size() {
        return ids.length;
    }

    /**
     * Walks breadth-first from {@code root} with the bounds and stop reasons of {@link BlastRadius#compute}. The
     * arrays of the result are reused by the next walk.
     */
    Walk walk(int root, int maxDepth, int maxPrincipals, long deadline, long timeBudgetMillis) {
        walkNumber++;
        int size = 0;
        int head = 0;
        queue[size++] = root;
        seenInWalk[root] = walkNumber;
        depth[root] = 0;
        String stopReason = null;
        while (head < size) {
            int current = queue[head++];
            int currentDepth = depth[current];
            for (int at = firstTarget[current]; at < firstTarget[current + 1]; at++) {
                if (currentDepth == maxDepth) {
                    stopReason = "max depth " + maxDepth + " reached with further steps unexplored";
                    break;
                }
                int next = targets[at];
                if (seenInWalk[next] == walkNumber) {
                    continue;
                }
                if (size >= maxPrincipals) {
                    return finish(size, "more than " + maxPrincipals + " principals reachable; the rest are left out");
                }
                if (System.currentTimeMillis() > deadline) {
                    return finish(size, "time budget of " + timeBudgetMillis + " ms spent");
                }
                seenInWalk[next] = walkNumber;
                depth[next] = currentDepth + 1;
                queue[size++] = next;
            }
        }
        return finish(size, stopReason);
    }

    private Walk finish(int size, String stopReason) {
        int depthReached = 0;
        for (int i = 0; i < size; i++) {
            depthReached = Math.max(depthReached, depth[queue[i]]);
        }
        return new Walk(queue, depth, size, depthReached, stopReason);
    }

    /** Returns the principal nodes of the projection by number; null for a vertex that is no principal. */
    PrincipalNode[] nodes(AwsProjection projection) {
        PrincipalNode[] nodes = new PrincipalNode[ids.length];
        for (int i = 0; i < ids.length; i++) {
            nodes[i] = projection.principal(ids[i]);
        }
        return nodes;
    }
}
