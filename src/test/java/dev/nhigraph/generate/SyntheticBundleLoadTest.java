package dev.nhigraph.generate;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.analysis.BlastRadius;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.policy.eval.EvaluationResult;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A generated tier S bundle loaded through LoadService into the shared embedded Neo4j, checked against its own
 * expected.json: every planted chain exists hop by hop, no decoy has an edge, every planted query gets its decision.
 */
class SyntheticBundleLoadTest {

    private static final long SEED = 20_251_204L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LoadResult load;
    private static GraphService graph;
    private static JsonNode expected;

    @BeforeAll
    static void generateAndLoad() throws IOException {
        Path out = Files.createTempDirectory("nhigraph-synthetic-s");
        SyntheticOrganization.Result result = SyntheticOrganization.generate(Tier.S, SEED, out);
        expected = JSON.readTree(result.expected().toFile());
        // The AWS folders only: the loader does not read the gcloud outputs of bundle/gcp/ yet and would skip them.
        Path bundle = result.bundle();
        load = SharedGraph.resetAndLoad(bundle.resolve("iam"), bundle.resolve("organizations"), bundle.resolve("resource-policies"));
        graph = SharedGraph.graphService();
    }

    @Test
    void load_skipsNothing() {
        assertEquals(List.of(), load.skipped());
    }

    @Test
    void load_warnsNothing() {
        assertEquals(List.of(), load.warnings());
    }

    @Test
    void load_hasTierCounts() {
        assertEquals(5, load.accounts());
        assertEquals(Tier.S.roles(), load.roles());
        assertEquals(Tier.S.users(), load.users());
        assertEquals(Tier.S.groups(), load.groups());
        assertEquals(200, load.resourcePolicies());
        assertTrue(load.organization());
    }

    @Test
    void load_hasCustomerAndAwsManagedPolicies() {
        JsonNode counts = expected.get("counts");

        assertEquals(counts.get("customerManagedPolicies").asInt() + counts.get("awsManagedPoliciesInUse").asInt(),
                load.managedPolicies());
        assertEquals(counts.get("inlinePolicies").asInt(), load.inlinePolicies());
    }

    @Test
    void chains_haveLengthsOneToFour() {
        List<Integer> lengths = new ArrayList<>();
        expected.get("chains").forEach(chain -> lengths.add(chain.get("length").asInt()));

        assertEquals(List.of(1, 2, 3, 4, 1, 2, 3, 4, 2, 3), lengths);
    }

    @Test
    void plantedChains_haveEveryHopWithItsStatements() {
        List<Executable> checks = new ArrayList<>();
        for (JsonNode chain : expected.get("chains")) {
            for (JsonNode hop : chain.get("hops")) {
                checks.add(() -> assertHop(chain.get("id").asText(), hop));
            }
        }

        assertAll(checks);
    }

    @Test
    void plantedChains_reachAdminAtTheirLength() {
        List<Executable> checks = new ArrayList<>();
        for (JsonNode chain : expected.get("chains")) {
            checks.add(() -> {
                int length = chain.get("length").asInt();
                BlastRadius.Result radius = graph.blastRadius(chain.get("start").asText(), length);
                Integer depth = radius.nodes().stream().filter(n -> n.id().equals(chain.get("admin").asText()))
                        .map(BlastRadius.Node::depth).findFirst().orElse(null);
                assertEquals(length, depth, chain.get("id").asText() + " reaches " + chain.get("admin").asText());
            });
        }

        assertAll(checks);
    }

    @Test
    void decoys_haveNoEdge() {
        List<Executable> checks = new ArrayList<>();
        for (JsonNode decoy : expected.get("decoys")) {
            checks.add(() -> assertEquals(0, SharedGraph.count("""
                            MATCH (:Principal {id: $source})-[e:CAN_ASSUME]->(:Principal {id: $target}) RETURN count(e) AS c""",
                    "source", decoy.get("source").asText(), "target", decoy.get("target").asText()),
                    decoy.get("id").asText() + " (" + decoy.get("kind").asText() + ")"));
        }

        assertAll(checks);
    }

    @Test
    void decoys_coverEveryKindTwice() {
        Map<String, Integer> kinds = new LinkedHashMap<>();
        expected.get("decoys").forEach(decoy -> kinds.merge(decoy.get("kind").asText(), 1, Integer::sum));

        assertEquals(Map.of("trust-without-identity", 2, "scp-deny", 2, "boundary-without-assume", 2, "explicit-deny", 2), kinds);
    }

    @Test
    void plantedQueries_giveExpectedDecisions() {
        List<Executable> checks = new ArrayList<>();
        for (JsonNode query : expected.get("queries")) {
            checks.add(() -> assertQuery(query));
        }

        assertAll(checks);
    }

    @Test
    void githubOidcTrusts_resolveToRepositories() {
        String trusting = """
                MATCH (role:AwsRole)-[:TRUSTS]->(p:FederatedProvider)
                WHERE p.id ENDS WITH ':oidc-provider/token.actions.githubusercontent.com'""";
        long roles = SharedGraph.count(trusting + " RETURN count(DISTINCT role) AS c");
        long resolved = SharedGraph.count(trusting + """

                MATCH (:FederatedSubject {providerKind: 'github'})-[:CAN_ASSUME]->(role)
                RETURN count(DISTINCT role) AS c""");

        assertTrue(roles > 0, "the tier S bundle has no GitHub OIDC trust to check");
        assertEquals(roles, resolved);
        assertEquals(0, SharedGraph.count("MATCH (s:FederatedSubject {providerKind: 'github', anySubject: true}) RETURN count(s) AS c"));
        assertEquals(0, SharedGraph.count("""
                MATCH (s:FederatedSubject {providerKind: 'github'})
                WHERE s.repository IS NULL OR NOT s.repository STARTS WITH 'example-org/'
                RETURN count(s) AS c"""));
    }

    private static void assertHop(String chainId, JsonNode hop) throws IOException {
        String source = hop.get("source").asText();
        String target = hop.get("target").asText();
        String description = chainId + ": " + source + " -> " + target;
        List<String> evidence = SharedGraph.store().read(tx -> tx.run("""
                        MATCH (:Principal {id: $source})-[e:CAN_ASSUME]->(:Principal {id: $target})
                        WHERE NOT e.conditional RETURN e.evidence AS evidence""",
                org.neo4j.driver.Values.parameters("source", source, "target", target))
                .list(r -> r.get("evidence").asString()));

        assertEquals(1, evidence.size(), description + " has one unconditional CAN_ASSUME edge");
        JsonNode statements = JSON.readTree(evidence.get(0));
        assertTrue(cites(statements, hop.get("trust")), description + " cites " + hop.get("trust") + " in " + statements);
        assertTrue(cites(statements, hop.get("identity")), description + " cites " + hop.get("identity") + " in " + statements);
    }

    private static boolean cites(JsonNode evidence, JsonNode statement) {
        for (JsonNode item : evidence) {
            if (statement.get("policy").asText().equals(item.path("policy").asText())
                    && statement.get("sid").asText().equals(item.path("sid").asText())) {
                return true;
            }
        }
        return false;
    }

    private static void assertQuery(JsonNode query) {
        Map<String, List<String>> context = new LinkedHashMap<>();
        query.get("context").fields().forEachRemaining(entry -> {
            List<String> values = new ArrayList<>();
            entry.getValue().forEach(value -> values.add(value.asText()));
            context.put(entry.getKey(), values);
        });
        String description = query.get("id").asText() + " " + query.get("principal").asText() + " " + query.get("action").asText()
                + " " + query.get("resource").asText() + " " + context + " (" + query.get("reason").asText() + ")";

        EvaluationResult result = graph.can(query.get("principal").asText(), query.get("action").asText(),
                query.get("resource").asText(), context);

        assertEquals(query.get("decision").asText(), result.decision().name(), description + ": " + result.reason());
        String denial = query.get("denial").isNull() ? null : query.get("denial").asText();
        assertEquals(denial, result.denial(), description + ": " + result.reason());
    }

    @Test
    void expected_hasQueriesOfEveryDecision() {
        List<String> decisions = new ArrayList<>();
        expected.get("queries").forEach(query -> decisions.add(query.get("decision").asText()));

        assertTrue(decisions.contains("ALLOWED"));
        assertTrue(decisions.contains("DENIED"));
        assertTrue(decisions.contains("CONDITIONAL"));
        assertFalse(decisions.isEmpty());
    }
}
