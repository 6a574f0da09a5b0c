package dev.nhigraph.aws.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.findings.FindingsReport;
import dev.nhigraph.findings.RuleCatalog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.api.ApiServer;
import dev.nhigraph.testsupport.SharedGraph;
import dev.nhigraph.testsupport.TestTokens;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The access-key and workload bundle loaded through the real loader into the embedded Neo4j: account 111111111111
 * with a credential report, key listings, one get-access-key-last-used output, an EC2 instance, a Lambda function
 * and an ECS task definition. The report was generated on 2026-11-30.
 */
class AccessKeyLoadTest {

    static final Path BUNDLE = Path.of("src/test/resources/fixtures/bundle/keys");
    private static final String ACCOUNT = "111111111111";
    private static final String CI_DEPLOYER = "arn:aws:iam::" + ACCOUNT + ":user/ci-deployer";
    private static final String APP_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/app-role";

    private static LoadResult loaded;

    @BeforeAll
    static void load() {
        loaded = SharedGraph.resetAndLoad(BUNDLE);
    }

    @Test
    void load_countsKeysAndWorkloads() {
        assertEquals(5, loaded.keys().reportUsers());
        // Five listed keys, the root user's key and legacy-user's key, which only the report shows.
        assertEquals(7, loaded.keys().accessKeys());
        assertEquals(4, loaded.keys().workloads());
        assertEquals(List.of(), loaded.skipped());
        assertTrue(loaded.summaryLine().contains("7 access keys"), loaded.summaryLine());
    }

    @Test
    void listedKey_joinedToReportByCreationDate() {
        Map<String, Object> key = key("AKIAFIXTURECIDEPLOY1");

        assertEquals("2026-11-29T17:00:00Z", key.get("lastUsedAt"));
        assertEquals("s3", key.get("lastUsedService"));
        assertEquals("us-east-1", key.get("lastUsedRegion"));
        assertEquals(1L, key.get("reportSlot"));
        assertEquals("2025-01-10T09:00:00Z", key.get("createdAt"));
    }

    @Test
    void neverUsedKey_hasKnownUsageAndNoDate() {
        Map<String, Object> key = key("AKIAFIXTURECIDEPLOY2");

        assertEquals(true, key.get("usageKnown"));
        assertNull(key.get("lastUsedAt"));
        assertEquals(2L, key.get("reportSlot"));
    }

    @Test
    void lastUsedOutput_decidesOverReport() {
        Map<String, Object> key = key("AKIAFIXTUREREADER002");

        assertEquals("Inactive", key.get("status"));
        assertEquals("2024-03-05T10:00:00Z", key.get("lastUsedAt"));
    }

    @Test
    void unlistedUser_getsReportOnlyKey() {
        Map<String, Object> key = key("arn:aws:iam::" + ACCOUNT + ":user/legacy-user#access-key-1");

        assertEquals(false, key.get("idKnown"));
        assertEquals("Active", key.get("status"));
        assertEquals(1L, SharedGraph.count("MATCH (:AwsUser {name: 'legacy-user'})-[:HAS_KEY]->(k:AwsAccessKey) RETURN count(k) AS c"));
    }

    @Test
    void rootUser_factsOnAccountNode() {
        Map<String, Object> account = SharedGraph.store().read(tx -> tx.run(
                "MATCH (a:AwsAccount {id: $id}) RETURN properties(a) AS p", Map.of("id", ACCOUNT)).single().get("p").asMap());

        assertEquals(false, account.get("rootMfaActive"));
        assertEquals(1L, account.get("rootAccessKeys"));
        assertEquals(1L, SharedGraph.count("MATCH (:AwsAccount {id: $id})-[:HAS_KEY]->(k:AwsAccessKey) RETURN count(k) AS c",
                "id", ACCOUNT));
    }

    @Test
    void userFacts_fromReport() {
        Map<String, Object> bot = SharedGraph.store().read(tx -> tx.run(
                "MATCH (u:AwsUser {name: 'console-bot'}) RETURN properties(u) AS p").single().get("p").asMap());

        assertEquals(true, bot.get("passwordEnabled"));
        assertNull(bot.get("passwordLastUsed"));
        assertEquals(false, bot.get("mfaActive"));
        assertEquals("2026-11-30T08:00:00Z", bot.get("credentialReportAt"));
    }

    @Test
    void workloads_runAsTheirRoles() {
        List<String> links = SharedGraph.store().read(tx -> tx.run("""
                MATCH (w:AwsWorkload)-[r:RUNS_AS]->(role)
                RETURN w.kind + ' ' + w.name + ' ' + r.use + ' ' + role.name AS link ORDER BY link""").list(r -> r.get("link").asString()));

        assertEquals(List.of("AwsEc2Instance i-0fixture00000001 instance app-role",
                "AwsEcsTaskDefinition app:3 execution ecs-execution",
                "AwsEcsTaskDefinition app:3 task app-role",
                "AwsLambdaFunction resize function app-role"), links);
    }

    @Test
    void workloads_storeNoEnvironmentValues() {
        String stored = SharedGraph.store().read(tx -> tx.run("""
                MATCH (n) RETURN properties(n) AS p
                UNION ALL
                MATCH ()-[r]->() RETURN properties(r) AS p""").list(r -> r.get("p").asMap().toString())).toString();

        assertTrue(stored.contains("i-0fixture00000001"), "the check reads the workloads' properties");
        assertFalse(stored.contains("fixture-environment-value"), "a Lambda environment value is stored");
        assertFalse(stored.contains("fixture-container-value"), "an ECS container environment value is stored");
    }

    @Test
    void keyId_resolvesToItsUser() {
        GraphService graph = SharedGraph.graphService();

        assertEquals(CI_DEPLOYER, graph.resolvePrincipal("AKIAFIXTURECIDEPLOY1"));
        assertEquals(ACCOUNT, graph.resolvePrincipal("arn:aws:iam::" + ACCOUNT + ":root#access-key-1"));
    }

    @Test
    void credentialNote_namesUserStatusAndLastUse() {
        GraphService.CredentialNote note = SharedGraph.graphService().describeCredential("AKIAFIXTURECIDEPLOY1");

        assertEquals("Key AKIAFIXTURECIDEPLOY1 of user " + CI_DEPLOYER + ", status Active, last used 2026-11-29T17:00:00Z"
                + " with s3 in us-east-1. The answer is for " + CI_DEPLOYER + ".", note.text());
        assertFalse(note.inactive());
    }

    @Test
    void credentialNote_saysInactive() {
        GraphService.CredentialNote note = SharedGraph.graphService().describeCredential("AKIAFIXTUREREADER002");

        assertTrue(note.inactive());
        assertTrue(note.text().contains("status Inactive"), note.text());
        assertTrue(note.text().contains("if it were activated again"), note.text());
    }

    @Test
    void credentialNote_nullForPrincipal() {
        assertNull(SharedGraph.graphService().describeCredential(CI_DEPLOYER));
    }

    @Test
    void leakedKey_blastRadiusReachesAdmin() {
        GraphService graph = SharedGraph.graphService();

        var result = graph.blastRadius(graph.resolvePrincipal("AKIAFIXTURECIDEPLOY1"), 5);

        assertEquals(CI_DEPLOYER, result.root());
        assertEquals(Boolean.TRUE, result.summary().admin());
    }

    @Test
    void report_measuresAgesToReportTime() {
        FindingsReport.Report report = FindingsReport.build(SharedGraph.graphService(), RuleCatalog.loadDefault(),
                FindingsReport.Options.defaults());

        // Ages are measured to the credential report's time, and exception expiry to the day the report is made.
        assertEquals(new FindingsReport.AsOf("2026-11-30T08:00:00Z", "collection",
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString()), report.asOf());
        assertNotNull(report.findings().stream().filter(f -> f.rule().equals("aws-access-key-older-than-rotation")
                && "AKIAFIXTURECIDEPLOY1".equals(f.resource())).findFirst().orElse(null));
    }

    @Test
    void api_answersStartWithCredential() throws Exception {
        try (ApiServer server = SharedGraph.startServer()) {
            HttpClient client = HttpClient.newHttpClient();
            for (String path : List.of("/api/blast-radius?id=AKIAFIXTURECIDEPLOY1",
                    "/api/can?principal=AKIAFIXTURECIDEPLOY1&action=sts:AssumeRole&resource="
                            + URLEncoder.encode("arn:aws:iam::" + ACCOUNT + ":role/deploy-admin", StandardCharsets.UTF_8))) {
                HttpResponse<String> response = client.send(TestTokens.readRequest(
                        URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());

                assertEquals(200, response.statusCode(), path + ": " + response.body());
                JsonNode body = new ObjectMapper().readTree(response.body());
                assertEquals("credential", body.fieldNames().next(), path);
                assertEquals(CI_DEPLOYER, body.get("credential").get("principal").asText(), path);
            }
        }
    }

    @Test
    void report_withoutKeyInputs_namesTheGap() {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        try {
            FindingsReport.Report report = FindingsReport.build(SharedGraph.graphService(), List.of(),
                    FindingsReport.Options.defaults());

            assertTrue(report.coverageGaps().stream().anyMatch(gap -> gap.contains("44 IAM user(s) but no credential report")),
                    report.coverageGaps().toString());
        } finally {
            load();
        }
    }

    private static Map<String, Object> key(String id) {
        return SharedGraph.store().read(tx -> tx.run("MATCH (k:AwsAccessKey {id: $id}) RETURN properties(k) AS p",
                Map.of("id", id)).single().get("p").asMap());
    }
}
