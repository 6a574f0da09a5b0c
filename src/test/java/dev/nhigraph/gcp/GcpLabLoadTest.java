package dev.nhigraph.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.analysis.AdminReachability;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.analysis.PathSearch;
import dev.nhigraph.db.CypherFiles;
import dev.nhigraph.policy.eval.EvaluationResult;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Loads the iam-vulnerable GCP lab as gcloud outputs through the whole product: the bundle reader, the Neo4j
 * writer, the GCP analysis, and admin reachability over the stored graph.
 */
class GcpLabLoadTest {

    @TempDir
    static Path bundle;

    private static LoadResult load;
    private static AdminReachability admins;

    @BeforeAll
    static void loadLab() {
        IamVulnerableGcpFixture.load().write(bundle);
        load = SharedGraph.resetAndLoad(bundle);
        GraphService graph = SharedGraph.graphService();
        admins = graph.adminReachability();
    }

    /** Lists the escalation paths that the corpus marks unambiguous, each as "ID ACCOUNT_EMAIL". */
    static Stream<String> unambiguousEscalations() throws IOException {
        List<String> starts = new ArrayList<>();
        for (JsonNode path : corpus().get("paths")) {
            if (path.get("certainty").asText().startsWith("unambiguous") && path.get("expected").asText().startsWith("ESCALATION")) {
                path.get("starting_service_accounts").forEach(account -> starts.add(path.get("id").asText() + " "
                        + account.asText().replace("PROJECT_ID", IamVulnerableGcpFixture.PROJECT_ID)));
            }
        }
        return starts.stream();
    }

    private static JsonNode corpus() throws IOException {
        return new ObjectMapper().readTree(Files.readString(IamVulnerableGcpFixture.CORPUS));
    }

    @ParameterizedTest(name = "path {0}")
    @MethodSource("unambiguousEscalations")
    void escalationPathReachesAdmin(String pathAndAccount) {
        String account = "serviceAccount:" + pathAndAccount.substring(pathAndAccount.indexOf(' ') + 1);

        PathSearch.Reach reach = admins.reach(account);

        // Path 8 mints an OIDC token for a workload identity pool. gcloud's IAM output does not show the pool
        // provider's issuer and attribute conditions, so the step into the pool principal stays CONDITIONAL.
        PathSearch.Reach expected = pathAndAccount.startsWith("8 ") ? PathSearch.Reach.CONDITIONAL : PathSearch.Reach.YES;
        assertEquals(expected, reach, pathAndAccount + " should reach an administrator of the project");
    }

    @Test
    void lateralAndPersistenceCasesReachNoAdmin() throws IOException {
        for (JsonNode path : corpus().get("paths")) {
            String id = path.get("id").asText();
            if (!id.startsWith("L") && !id.equals("15a") || id.equals("L7")) {
                continue;
            }
            for (JsonNode account : path.get("starting_service_accounts")) {
                String member = "serviceAccount:" + account.asText().replace("PROJECT_ID", IamVulnerableGcpFixture.PROJECT_ID);
                assertEquals(PathSearch.Reach.NO, admins.reach(member), "path " + id + ": " + member);
            }
        }
    }

    @Test
    void falsePositiveCasesAreNotFlagged() {
        for (String name : List.of("privesc-fp1-restrict", "privesc-fp3-scope", "privesc-fp4-notarget")) {
            String member = "serviceAccount:" + name + "@" + IamVulnerableGcpFixture.PROJECT_ID + ".iam.gserviceaccount.com";
            assertEquals(PathSearch.Reach.NO, admins.reach(member), member);
        }
    }

    @Test
    void falseNegativeCasesAreFlagged() {
        for (String name : List.of("privesc-fn1-condition", "privesc-fn3-hop1")) {
            String member = "serviceAccount:" + name + "@" + IamVulnerableGcpFixture.PROJECT_ID + ".iam.gserviceaccount.com";
            assertNotEquals(PathSearch.Reach.NO, admins.reach(member), member);
        }
    }

    @Test
    void attackerPathToAdminCarriesBindingEvidence() {
        PathSearch.Path witness = admins.witness(IamVulnerableGcpFixture.ATTACKER_MEMBER);

        assertFalse(witness.steps().isEmpty());
        PathSearch.Hop first = witness.steps().get(0);
        assertEquals("CAN_IMPERSONATE", first.kind());
        assertTrue(first.evidence().stream().anyMatch(e -> "gcp-binding".equals(e.policyKind())), first.evidence().toString());
    }

    @Test
    void savedQueriesFindTheLabsFacts() {
        assertTrue(SharedGraph.count("""
                MATCH (p:Principal) WHERE (p:GcpServiceAccount OR p:GcpMember) AND p.adminEquivalent IS NOT NULL
                RETURN count(p) AS c""") > 0);
        GraphService graph = SharedGraph.graphService();
        for (String name : List.of("gcp-administrators", "gcp-user-managed-keys", "gcp-public-bindings")) {
            String cypher = CypherFiles.body(readQuery(name));
            long rows = graph.store().read(tx -> tx.run(cypher).list().size());
            // The lab grants nothing to allUsers and creates no user-managed key, so only administrators are listed.
            assertEquals(name.equals("gcp-administrators"), rows > 0, name + " returned " + rows + " rows");
        }
    }

    private static String readQuery(String name) {
        try {
            return Files.readString(Path.of("cypher/queries", name + ".cypher"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void canDecidesGcpPermission() {
        GraphService graph = SharedGraph.graphService();
        String member = "serviceAccount:privesc01-set-iam-policy@" + IamVulnerableGcpFixture.PROJECT_ID + ".iam.gserviceaccount.com";
        String project = GcpNames.projectName(IamVulnerableGcpFixture.PROJECT_ID);

        EvaluationResult allowed = graph.can(member, "resourcemanager.projects.setIamPolicy", project, Map.of());
        EvaluationResult denied = graph.can(member, "storage.buckets.delete", project, Map.of());

        assertEquals(EvaluationResult.Decision.ALLOWED, allowed.decision());
        assertTrue(allowed.statements().stream().anyMatch(e -> "gcp-binding".equals(e.policyKind())), allowed.toString());
        assertEquals(EvaluationResult.Decision.DENIED, denied.decision());
        assertEquals("implicit", denied.denial());
    }

    @Test
    void canDenial_namesItsGaps() {
        GraphService graph = SharedGraph.graphService();
        String member = "serviceAccount:privesc01-set-iam-policy@" + IamVulnerableGcpFixture.PROJECT_ID + ".iam.gserviceaccount.com";
        String project = GcpNames.projectName(IamVulnerableGcpFixture.PROJECT_ID);

        EvaluationResult known = graph.can(member, "storage.buckets.delete", project, Map.of());
        EvaluationResult misspelled = graph.can(member, "storage.buckets.deletee", project, Map.of());
        EvaluationResult unplaced = graph.can(member, "storage.buckets.delete", "//storage.googleapis.com/not-in-the-bundle", Map.of());

        assertFalse(known.reason().contains("check its spelling"), known.reason());
        assertFalse(known.reason().contains("does not place"), known.reason());
        assertTrue(misspelled.reason().contains("No predefined role and no custom role in the graph contains"
                + " storage.buckets.deletee"), misspelled.reason());
        assertTrue(unplaced.reason().contains("does not place //storage.googleapis.com/not-in-the-bundle in a project"),
                unplaced.reason());
    }

    @Test
    void canRejectsAwsActionForGcpMember() {
        GraphService graph = SharedGraph.graphService();
        String project = GcpNames.projectName(IamVulnerableGcpFixture.PROJECT_ID);

        assertThrows(IllegalArgumentException.class,
                () -> graph.can(IamVulnerableGcpFixture.ATTACKER_MEMBER, "s3:GetObject", project, Map.of()));
    }

    @Test
    void loadSummaryCountsTheGcpPart() {
        assertEquals(1, load.gcp().projects());
        assertEquals(IamVulnerableGcpFixture.load().expected().serviceAccounts().size(), load.gcp().serviceAccounts());
        assertTrue(load.gcp().canImpersonate() > 0);
        assertTrue(load.gcp().admins() > 0);
        assertTrue(load.summaryLine().contains("GCP: 1 project"), load.summaryLine());
    }
}
