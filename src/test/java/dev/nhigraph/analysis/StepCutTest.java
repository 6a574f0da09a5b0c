package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.analysis.AwsProjection.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.graph.DirectedMultigraph;
import org.junit.jupiter.api.Test;

/**
 * The minimum cut on small named step graphs, and on seeded random graphs against a brute-force oracle that tries
 * every smaller set of steps. Every cut is also checked by removing its steps and searching again.
 */
class StepCutTest {

    private static final Set<String> ADMIN = Set.of("admin");
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private final Graph<String, Step> graph = new DirectedMultigraph<>(null, null, false);

    private Step step(String from, String to, String kind, boolean conditional) {
        graph.addVertex(from);
        graph.addVertex(to);
        Step step = Step.implied(from, to, kind, conditional, List.of());
        graph.addEdge(from, to, step);
        return step;
    }

    private Step assume(String from, String to) {
        return step(from, to, "CAN_ASSUME", false);
    }

    private StepCut.Result cut(String root, Set<String> targets) {
        return new StepCut(graph, List.of(), RevokePlan.CUTTABLE).compute(root, targets, 8, 2_000, NO_DEADLINE, 1);
    }

    @Test
    void singlePath_cutsOneStep() {
        assume("key-user", "hop");
        Step last = assume("hop", "admin");

        StepCut.Result result = cut("key-user", ADMIN);

        assertEquals(1, result.cut().size());
        // The cut nearest the root is taken, so the first step of the path.
        assertEquals("key-user", result.cut().get(0).source());
        assertFalse(result.cut().contains(last));
        assertNoPathWithout(result.cut(), "key-user", ADMIN);
        assertTrue(result.cutVerified());
        assertNull(result.remainingTarget());
    }

    @Test
    void twoDisjointPaths_needTwoCuts() {
        assume("key-user", "a1");
        assume("a1", "admin");
        step("key-user", "b1", "CAN_ESCALATE", false);
        assume("b1", "admin");

        StepCut.Result result = cut("key-user", ADMIN);

        assertEquals(2, result.cut().size());
        assertNoPathWithout(result.cut(), "key-user", ADMIN);
    }

    @Test
    void sharedBottleneck_needsOneCut() {
        assume("key-user", "a");
        assume("key-user", "b");
        assume("key-user", "c");
        assume("a", "bottleneck");
        assume("b", "bottleneck");
        assume("c", "bottleneck");
        Step shared = assume("bottleneck", "admin");

        StepCut.Result result = cut("key-user", ADMIN);

        assertEquals(List.of(shared), result.cut());
        assertNoPathWithout(result.cut(), "key-user", ADMIN);
    }

    @Test
    void conditionalSteps_areCutToo() {
        Step conditional = step("key-user", "admin", "CAN_ASSUME", true);
        assume("key-user", "hop");
        assume("hop", "admin");

        StepCut.Result result = cut("key-user", ADMIN);

        assertEquals(2, result.cut().size());
        assertTrue(result.cut().contains(conditional), "the conditional step may hold, so it is cut: " + result.cut());
        assertTrue(result.cut().stream().anyMatch(Step::conditional));
        assertNoPathWithout(result.cut(), "key-user", ADMIN);
    }

    @Test
    void uncuttableStep_movesCutBeforeIt() {
        assume("key-user", "account-admin");
        step("account-admin", "target", PathAnswers.ADMINISTERS, false);

        StepCut.Result result = cut("key-user", Set.of("target"));

        assertEquals(1, result.cut().size());
        assertEquals("account-admin", result.cut().get(0).target());
        assertNoPathWithout(result.cut(), "key-user", Set.of("target"));
    }

    @Test
    void onlyUncuttableSteps_reportNoCut() {
        step("key-user", "target", PathAnswers.ADMINISTERS, false);

        StepCut.Result result = cut("key-user", Set.of("target"));

        assertFalse(result.cuttable());
        assertEquals(List.of(), result.cut());
    }

    @Test
    void parallelSteps_areCutTogether() {
        assume("key-user", "admin");
        step("key-user", "admin", "CAN_ESCALATE", false);

        StepCut.Result result = cut("key-user", ADMIN);

        assertEquals(2, result.cut().size());
        assertNoPathWithout(result.cut(), "key-user", ADMIN);
    }

    @Test
    void noTargetReached_cutsNothing() {
        assume("key-user", "hop");

        StepCut.Result result = cut("key-user", ADMIN);

        assertTrue(result.targetsReached().isEmpty());
        assertEquals(List.of(), result.cut());
    }

    @Test
    void depthBound_leavesLongerPathAndSaysSo() {
        assume("key-user", "admin");
        assume("key-user", "h1");
        assume("h1", "h2");
        assume("h2", "h3");
        assume("h3", "admin");

        StepCut.Result result = new StepCut(graph, List.of(), RevokePlan.CUTTABLE)
                .compute("key-user", ADMIN, 2, 2_000, NO_DEADLINE, 1);

        assertEquals(1, result.cut().size());
        assertTrue(result.stopReason().contains("max depth 2"), result.stopReason());
        assertTrue(result.cutVerified(), "the searched paths are all cut");
        assertTrue(result.wholeGraphChecked());
        assertEquals("admin", result.remainingTarget(), "the path of four steps survives the cut");
    }

    @Test
    void depthBound_beforeAnyTarget_findsLongerPath() {
        assume("key-user", "h1");
        assume("h1", "h2");
        assume("h2", "admin");

        StepCut.Result result = new StepCut(graph, List.of(), RevokePlan.CUTTABLE)
                .compute("key-user", ADMIN, 1, 2_000, NO_DEADLINE, 1);

        assertTrue(result.targetsReached().isEmpty());
        assertTrue(result.wholeGraphChecked());
        assertEquals("admin", result.remainingTarget(), "the path of three steps lies beyond depth 1");
    }

    @Test
    void pathsPastTarget_areNotFollowed() {
        // admin -> admin-2 is no path the plan must cut, since admin is reached first.
        assume("key-user", "admin");
        assume("admin", "admin-2");

        StepCut.Result result = cut("key-user", Set.of("admin", "admin-2"));

        assertEquals(1, result.cut().size());
        assertEquals(Set.of("admin"), result.targetsReached());
    }

    @Test
    void randomGraphs_cutIsMinimalAndComplete() {
        for (long seed = 1; seed <= 300; seed++) {
            graph.removeAllVertices(new HashSet<>(graph.vertexSet()));
            Random random = new Random(seed);
            int principals = 3 + random.nextInt(5);
            int steps = 2 + random.nextInt(9);
            for (int i = 0; i < principals; i++) {
                graph.addVertex("p" + i);
            }
            for (int i = 0; i < steps; i++) {
                int from = random.nextInt(principals - 1);
                int to = 1 + random.nextInt(principals - 1);
                if (from != to) {
                    step("p" + from, "p" + to, random.nextBoolean() ? "CAN_ASSUME" : "CAN_ESCALATE", random.nextInt(4) == 0);
                }
            }
            Set<String> targets = Set.of("p" + (principals - 1));

            StepCut.Result result = cut("p0", targets);

            assertTrue(reaches(graph, Set.of(), "p0", targets) == !result.targetsReached().isEmpty(), "seed " + seed);
            assertNoPathWithout(result.cut(), "p0", targets);
            assertEquals(bruteForceMinimum("p0", targets), result.cut().size(), "seed " + seed + ", graph " + graph);
        }
    }

    /** Returns the size of the smallest set of steps whose removal leaves no path, trying every subset. */
    private int bruteForceMinimum(String root, Set<String> targets) {
        List<Step> all = new ArrayList<>(graph.edgeSet());
        for (int size = 0; size <= all.size(); size++) {
            if (anySubsetCuts(all, 0, size, new ArrayList<>(), root, targets)) {
                return size;
            }
        }
        throw new AssertionError("removing every step still leaves a path");
    }

    private boolean anySubsetCuts(List<Step> all, int start, int size, List<Step> chosen, String root, Set<String> targets) {
        if (chosen.size() == size) {
            return !reaches(graph, identitySet(chosen), root, targets);
        }
        for (int i = start; i < all.size(); i++) {
            chosen.add(all.get(i));
            boolean cuts = anySubsetCuts(all, i + 1, size, chosen, root, targets);
            chosen.remove(chosen.size() - 1);
            if (cuts) {
                return true;
            }
        }
        return false;
    }

    private void assertNoPathWithout(List<Step> cut, String root, Set<String> targets) {
        assertFalse(reaches(graph, identitySet(cut), root, targets), "a path survives the cut " + cut);
    }

    private static Set<Step> identitySet(List<Step> steps) {
        Set<Step> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(steps);
        return set;
    }

    /** Tells whether a target is reachable from the root without the removed steps, by a plain search. */
    private static boolean reaches(Graph<String, Step> graph, Set<Step> removed, String root, Set<String> targets) {
        Set<String> seen = new HashSet<>(List.of(root));
        Deque<String> queue = new ArrayDeque<>(List.of(root));
        while (!queue.isEmpty()) {
            String current = queue.poll();
            if (targets.contains(current)) {
                return true;
            }
            for (Step step : graph.outgoingEdgesOf(current)) {
                if (!removed.contains(step) && seen.add(step.target())) {
                    queue.add(step.target());
                }
            }
        }
        return false;
    }
}
