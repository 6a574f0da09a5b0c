package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.analysis.BlastRadius.Edge;
import dev.nhigraph.analysis.BlastRadius.Node;
import dev.nhigraph.analysis.BlastRadius.Result;
import dev.nhigraph.testsupport.SharedGraph;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Blast radius over the real iam-vulnerable export: the lab's assume-role chain and its admin at the end. */
class BlastRadiusTest {

    private static final String LAB = "arn:aws:iam::200611803367:";
    private static final String START_ROLE = LAB + "role/privesc-AssumeRole-starting-role";
    private static final String ENDING_ROLE = LAB + "role/privesc-AssumeRole-ending-role";

    private static GraphService graph;

    @BeforeAll
    static void loadSample() {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        graph = SharedGraph.graphService();
    }

    @Test
    void summaryOnly_matchesFullResult() {
        BlastRadius blastRadius = new BlastRadius(graph.summaries());
        int compared = 0;
        for (AwsProjection.PrincipalNode principal : graph.projection().principals().values()) {
            if (principal.external()) {
                continue;
            }
            Result full = blastRadius.compute(principal.id(), 3);
            Result summary = blastRadius.summary(principal.id(), 3);
            assertEquals(full.summary(), summary.summary(), principal.id());
            assertEquals(full.bounds(), summary.bounds(), principal.id());
            compared++;
        }
        assertTrue(compared > 50, "only " + compared + " principals compared");
    }

    @Test
    void summaryOnly_matchesFullResultWhenCut() {
        // With a bound of 3 principals, which 3 a walk keeps depends on the order in which it discovers them.
        int maxPrincipals = 3;
        BlastRadius blastRadius = new BlastRadius(graph.summaries(), BlastRadius.MAX_EDGES, maxPrincipals);
        int cut = 0;
        for (AwsProjection.PrincipalNode principal : graph.projection().principals().values()) {
            Result full = blastRadius.compute(principal.id(), BlastRadius.DEFAULT_MAX_DEPTH);
            Result summary = blastRadius.summary(principal.id(), BlastRadius.DEFAULT_MAX_DEPTH);
            assertEquals(full.summary(), summary.summary(), principal.id());
            assertEquals(full.bounds(), summary.bounds(), principal.id());
            if (summary.bounds().truncated()) {
                cut++;
            }
        }
        assertTrue(cut > 5, "only " + cut + " walks cut by the bound of " + maxPrincipals + " principals");
    }

    @Test
    void edgeBudget_keepsDiscoveringStepsFirst() {
        Result full = new BlastRadius(graph.summaries()).compute(START_ROLE, BlastRadius.DEFAULT_MAX_DEPTH);
        Result cut = new BlastRadius(graph.summaries(), 2).compute(START_ROLE, BlastRadius.DEFAULT_MAX_DEPTH);

        assertTrue(full.edges().size() > 2, "only " + full.edges().size() + " edges");
        assertEquals(0, full.bounds().edgesLeftOut());
        assertEquals(2, cut.edges().size());
        assertEquals(full.edges().size() - 2, cut.bounds().edgesLeftOut());
        assertTrue(cut.bounds().truncated());
        assertTrue(cut.bounds().reason().contains("edges left out past the budget of 2"), cut.bounds().reason());
        assertEquals(full.summary(), cut.summary());
        assertEquals(START_ROLE, cut.edges().get(0).source());
        assertTrue(cut.edges().stream().allMatch(edge -> edge.type().startsWith("CAN_ASSUME") || edge.type().startsWith("CAN_ESCALATE")),
                cut.edges().toString());
    }

    @Test
    void assumeRoleChain_reachesAdmin() {
        Result result = graph.blastRadius(START_ROLE, BlastRadius.DEFAULT_MAX_DEPTH);
        Map<String, Node> nodes = result.nodes().stream().collect(Collectors.toMap(Node::id, n -> n));

        Node ending = nodes.get(ENDING_ROLE);
        assertNotNull(ending, "the ending role is not in the blast radius: " + nodes.keySet());
        assertTrue(ending.depth() >= 2, "depth " + ending.depth());
        assertTrue(ending.admin());
        assertTrue(result.summary().admin());
        assertFalse(result.bounds().truncated());
    }

    @Test
    void startingRole_aloneIsNotAdmin() {
        Result result = graph.blastRadius(START_ROLE, 0);

        assertEquals(1, result.summary().principals());
        assertFalse(result.summary().admin());
        assertTrue(result.bounds().truncated(), "depth 0 leaves CAN_ASSUME edges unexplored");
        assertTrue(result.bounds().reason().contains("max depth 0"), result.bounds().reason());
    }

    @Test
    void depthOne_stopsBeforeTheEndingRole() {
        Result result = graph.blastRadius(START_ROLE, 1);

        assertTrue(result.nodes().stream().noneMatch(n -> n.id().equals(ENDING_ROLE)));
        assertTrue(result.bounds().truncated());
    }

    @Test
    void adminRole_countsEveryAccessLevel() {
        Result result = graph.blastRadius(ENDING_ROLE, 0);
        Map<String, Integer> levels = result.summary().actionsByAccessLevel();

        assertTrue(result.summary().admin());
        assertEquals(graph.catalog().size(), levels.values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(levels.get("Permissions management") > 300, levels.toString());
    }

    @Test
    void adminRole_countsEveryService() {
        Result result = graph.blastRadius(ENDING_ROLE, 0);

        assertEquals(graph.catalog().services().size(), result.summary().services());
    }

    @Test
    void adminAccess_isOneEdgeToAllActions() {
        Result result = graph.blastRadius(ENDING_ROLE, 0);

        List<Edge> access = result.edges().stream().filter(e -> e.type().equals("CAN_ACCESS")).toList();
        assertEquals(1, access.size(), access.toString());
        assertEquals(BlastRadius.ALL_SERVICES, access.get(0).target());
        assertEquals(graph.catalog().size(), access.get(0).actionCount());
        assertTrue(access.get(0).evidence().stream().anyMatch(e -> e.policyName().equals("privesc-AssumeRole-high-priv-policy")));
        assertTrue(result.nodes().get(0).access().size() > 400, "the node keeps per-service counts");
    }

    @Test
    void canAssumeEdges_carryTrustEvidence() {
        Result result = graph.blastRadius(START_ROLE, BlastRadius.DEFAULT_MAX_DEPTH);

        Edge assume = result.edges().stream().filter(e -> e.type().equals("CAN_ASSUME")).findFirst().orElseThrow();
        assertTrue(assume.evidence().stream().anyMatch(e -> "trust".equals(e.policyKind())), assume.evidence().toString());
    }

    @Test
    void accessEdges_carryTheGrantingStatement() {
        String user = LAB + "user/privesc4-CreateAccessKey-user";
        Result result = graph.blastRadius(user, 0);

        Edge iam = result.edges().stream().filter(e -> e.target().equals("aws-service:iam")).findFirst().orElseThrow();
        assertEquals("CAN_ACCESS", iam.type());
        assertTrue(iam.accessLevels().contains("Write") || iam.accessLevels().contains("Permissions management"), iam.accessLevels().toString());
        assertTrue(iam.evidence().stream().anyMatch(e -> e.actions().stream().anyMatch(a -> a.equalsIgnoreCase("iam:CreateAccessKey"))),
                iam.evidence().toString());
    }

    @Test
    void groupMember_getsGroupPoliciesWithVia() {
        String user = LAB + "user/privesc-sre-user";
        Result result = graph.blastRadius(user, 0);

        assertTrue(result.edges().stream().anyMatch(e -> e.type().equals("MEMBER_OF")));
        assertTrue(result.edges().stream().filter(e -> e.evidence() != null).flatMap(e -> e.evidence().stream())
                .anyMatch(e -> e.via() != null && e.via().endsWith(":group/privesc-sre-group")));
    }

    @Test
    void unknownPrincipal_isNotFound() {
        assertThrows(NoSuchElementException.class, () -> graph.blastRadius(LAB + "role/does-not-exist", 2));
    }

    @Test
    void depthOutsideBounds_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> graph.blastRadius(START_ROLE, BlastRadius.MAX_DEPTH_LIMIT + 1));
    }
}
