package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.analysis.AwsProjection.AssumeEdge;
import dev.nhigraph.analysis.AwsProjection.Step;
import dev.nhigraph.generate.SyntheticOrganization;
import dev.nhigraph.generate.Tier;
import dev.nhigraph.policy.AccessSummarizer;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * CAN_ASSUME edges to the roles that trust their account root go through an AssumeTargetSet in Neo4j and are
 * expanded again when the projection is read. On a generated tier S organisation, the expanded edges must equal
 * the same edges stored one per pair: every pair, its conditional flag and its evidence, and so every principal's
 * blast radius, admin reachability and witness path.
 */
class AssumeTargetSetTest {

    private static final int MAX_DEPTH = 8;
    private static final int SMALL_SET_SIZE = 4;

    @Test
    void generatedTierS_expandsToPerPairEdges() throws IOException {
        Path out = Files.createTempDirectory("nhigraph-assume-sets");
        SyntheticOrganization.Result generated = SyntheticOrganization.generate(Tier.S, 7L, out);
        SharedGraph.resetAndLoad(generated.bundle());
        // Tier S has 4 to 12 roles per account that trust the account root, fewer than a set needs by default.
        AwsProjection facts = AwsProjection.read(SharedGraph.store());
        List<AssumeEdge> perPair = AssumeRoleAnalysis.derive(facts);
        AssumeRoleAnalysis.write(SharedGraph.store(), facts, perPair, SMALL_SET_SIZE);
        long setEdges = SharedGraph.count("MATCH (:Principal)-[e:CAN_ASSUME]->(:AssumeTargetSet) RETURN count(e) AS c");
        long storedToRoles = SharedGraph.count("MATCH (:Principal)-[e:CAN_ASSUME]->(:Principal) RETURN count(e) AS c");
        AwsProjection throughSets = AwsProjection.read(SharedGraph.store());
        Map<String, String> answersThroughSets = answers(throughSets);

        // The same derivation stored one edge per pair, as before target sets existed.
        AssumeRoleAnalysis.write(SharedGraph.store(), throughSets, perPair, Integer.MAX_VALUE);
        AwsProjection direct = AwsProjection.read(SharedGraph.store());

        assertTrue(setEdges > 0, "tier S must have callers whose edges go through a target set");
        assertTrue(perPair.size() > setEdges + storedToRoles, "the sets must stand for more edges than they store: "
                + perPair.size() + " pairs, " + setEdges + " edges to sets and " + storedToRoles + " to roles");
        assertEquals(0, SharedGraph.count("MATCH (s:AssumeTargetSet) RETURN count(s) AS c"), "the per-pair write keeps no set");
        assertEquals(perPair.size(), direct.assumeGraph().edgeSet().size());
        assertEquals(describe(direct.assumeGraph().edgeSet()), describe(throughSets.assumeGraph().edgeSet()));
        assertEquals(describeSteps(direct), describeSteps(throughSets));
        assertEquals(answers(direct), answersThroughSets);
    }

    /** Returns each edge as "source -> target", mapped to its conditional flag and evidence as stored JSON. */
    private static Map<String, String> describe(Iterable<AssumeEdge> edges) {
        Map<String, String> described = new TreeMap<>();
        for (AssumeEdge edge : edges) {
            described.put(edge.source() + " -> " + edge.target(), edge.conditional() + " " + Json.write(new ArrayList<>(edge.evidence())));
        }
        return described;
    }

    private static Map<String, String> describeSteps(AwsProjection projection) {
        Map<String, String> described = new TreeMap<>();
        for (Step step : projection.stepGraph().edgeSet()) {
            if ("CAN_ASSUME".equals(step.kind())) {
                described.put(step.source() + " -> " + step.target(), step.conditional() + " " + Json.write(new ArrayList<>(step.evidence())));
            }
        }
        return described;
    }

    /** Returns, per principal, its blast radius summary, whether it reaches an administrator and its witness. */
    private static Map<String, String> answers(AwsProjection projection) {
        AccessSummaries summaries = new AccessSummaries(projection, new AccessSummarizer(ActionCatalog.loadDefault()),
                new AwsAuthorization(projection));
        BlastRadius blastRadius = new BlastRadius(summaries);
        AdminReachability admins = AdminReachability.compute(projection, summaries);
        Map<String, String> answers = new TreeMap<>();
        for (String id : projection.principals().keySet()) {
            BlastRadius.Result radius = blastRadius.summary(id, MAX_DEPTH);
            PathSearch.Path witness = admins.witness(id);
            answers.put(id, radius.summary() + " " + radius.bounds() + " " + admins.reach(id) + " "
                    + (witness == null ? "no witness" : witness.length() + " steps to " + witness.to()));
        }
        return answers;
    }
}
