package dev.nhigraph.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.PathSearch;
import dev.nhigraph.cli.CommandRun;
import dev.nhigraph.policy.eval.EvaluationResult;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GCP grant that a {@code request.time} condition ended after the data was collected, and before it is loaded.
 * The credential report beside the gcloud outputs gives the time the bundle was collected: the load's derived steps,
 * {@code can} and the report all decide the condition at that time, so the grant counts everywhere.
 */
class GcpSnapshotTimeTest {

    private static final String PROJECT = "billing-prod";
    private static final String PROJECT_NUMBER = "712339724522";
    private static final String CALLER = "serviceAccount:gateway@" + PROJECT + ".iam.gserviceaccount.com";
    private static final String OWNER_EMAIL = "owner-bot@" + PROJECT + ".iam.gserviceaccount.com";
    private static final String OWNER_RESOURCE = "//iam.googleapis.com/projects/" + PROJECT + "/serviceAccounts/" + OWNER_EMAIL;
    private static final String COLLECTED_AT = "2025-03-01T00:00:00Z";
    private static final String GRANT_ENDS = "2025-06-01T00:00:00Z";

    @TempDir
    static Path bundle;

    @BeforeAll
    static void loadBundle() throws IOException {
        Files.writeString(bundle.resolve("projects.json"), """
                [{"projectId": "%s", "projectNumber": "%s", "lifecycleState": "ACTIVE"}]
                """.formatted(PROJECT, PROJECT_NUMBER));
        Files.writeString(bundle.resolve("service-accounts.json"), """
                [{"email": "gateway@%1$s.iam.gserviceaccount.com", "projectId": "%1$s", "uniqueId": "100001"},
                 {"email": "%2$s", "projectId": "%1$s", "uniqueId": "100002"}]
                """.formatted(PROJECT, OWNER_EMAIL));
        Files.writeString(bundle.resolve("iam-policies.json"), """
                [{"resource": "//cloudresourcemanager.googleapis.com/projects/%1$s", "project": "projects/%2$s",
                  "policy": {"bindings": [{"role": "roles/owner", "members": ["serviceAccount:%3$s"]}]}},
                 {"resource": "%4$s", "project": "projects/%2$s",
                  "policy": {"bindings": [{"role": "roles/iam.serviceAccountTokenCreator", "members": ["%5$s"],
                    "condition": {"title": "until June", "expression": "request.time < timestamp(\\"%6$s\\")"}}]}}]
                """.formatted(PROJECT, PROJECT_NUMBER, OWNER_EMAIL, OWNER_RESOURCE, CALLER, GRANT_ENDS));
        Files.writeString(bundle.resolve("authorization-details.json"), """
                {"UserDetailList": [{"UserName": "ci", "UserId": "AIDAEXAMPLECI000001", "Path": "/",
                  "Arn": "arn:aws:iam::123456789012:user/ci", "CreateDate": "2024-01-01T00:00:00Z",
                  "UserPolicyList": [], "GroupList": [], "AttachedManagedPolicies": []}],
                 "GroupDetailList": [], "RoleDetailList": [], "Policies": []}
                """);
        String report = "user,arn,user_creation_time,password_enabled,access_key_1_active,access_key_1_last_rotated\n"
                + "ci,arn:aws:iam::123456789012:user/ci,2024-01-01T00:00:00+00:00,false,false,N/A\n";
        Files.writeString(bundle.resolve("credential-report.json"), """
                {"Content": "%s", "ReportFormat": "text/csv", "GeneratedTime": "%s"}
                """.formatted(Base64.getEncoder().encodeToString(report.getBytes(StandardCharsets.UTF_8)), COLLECTED_AT));
        SharedGraph.resetAndLoad(bundle);
    }

    @Test
    void paths_grantEndedAfterCollection_stillReachesAdmin() {
        PathSearch.Path witness = SharedGraph.graphService().adminReachability().witness(CALLER);

        assertTrue(witness != null, "no path from " + CALLER + " to an administrator");
        assertEquals(List.of(CALLER, "serviceAccount:" + OWNER_EMAIL), witness.principals());
    }

    @Test
    void can_grantEndedAfterCollection_allowed() {
        EvaluationResult result = SharedGraph.graphService().can(CALLER, "iam.serviceAccounts.getAccessToken",
                OWNER_RESOURCE, Map.of());

        assertEquals(EvaluationResult.Decision.ALLOWED, result.decision(), result.reason());
        assertTrue(result.reason().contains("Conditions were decided at " + COLLECTED_AT), result.reason());
    }

    @Test
    void can_laterRequestTime_denied() {
        EvaluationResult result = SharedGraph.graphService().can(CALLER, "iam.serviceAccounts.getAccessToken",
                OWNER_RESOURCE, Map.of("request.time", List.of("2025-07-01T00:00:00Z")));

        assertEquals(EvaluationResult.Decision.DENIED, result.decision());
        assertTrue(result.reason().contains("1 binding on the resource or its ancestors would grant"), result.reason());
        assertTrue(result.reason().contains("false at 2025-07-01T00:00:00Z"), result.reason());
        assertEquals("roles/iam.serviceAccountTokenCreator", result.statements().get(0).policyName());
    }

    @Test
    void report_exceptionExpiry_measuredToToday() throws IOException {
        Path exceptions = bundle.resolve("exceptions.yaml");
        // Expired yesterday: after the collection date, so only a report that measures expiry to today reopens it.
        Files.writeString(exceptions, """
                exceptions:
                  - rule: escalation-to-admin
                    principal: %s
                    owner: platform-team
                    reason: The gateway mints tokens for the owner account during the migration.
                    expires: %s
                """.formatted(CALLER, LocalDate.now(ZoneOffset.UTC).minusDays(1)));
        Path out = bundle.resolve("report");

        CommandRun run = CommandRun.of("report", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file",
                SharedGraph.passwordFile(), "--out", out.toString(), "--exceptions", exceptions.toString());

        assertEquals(0, run.exitCode(), run.err());
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(COLLECTED_AT, report.get("asOf").get("time").asText());
        assertEquals("collection", report.get("asOf").get("source").asText());
        assertEquals(LocalDate.now(ZoneOffset.UTC).toString(), report.get("asOf").get("exceptionsDate").asText());
        assertEquals("expired", report.get("exceptions").get(0).get("status").asText());
        JsonNode reopened = null;
        for (JsonNode finding : report.get("findings")) {
            if (finding.get("rule").asText().equals("escalation-to-admin") && finding.get("principal").asText().equals(CALLER)) {
                reopened = finding;
            }
        }
        assertTrue(reopened != null, "the finding that the expired exception accepted is not open");
        assertEquals("platform-team", reopened.get("expiredException").get("owner").asText());
        assertTrue(Files.readString(out.resolve("report.html")).contains("Exception expired"));
        assertTrue(run.out().contains("exceptions as of " + LocalDate.now(ZoneOffset.UTC)), run.out());
    }

    @Test
    void search_serviceAccount_namesProject() {
        List<GraphService.PrincipalSummary> found = SharedGraph.graphService().searchPrincipals("gateway@", 5);

        assertEquals(1, found.size(), found.toString());
        assertEquals(PROJECT, found.get(0).account());
    }

    @Test
    void canCommand_uniqueId_namesAccount() {
        CommandRun run = CommandRun.of("can", "100001", "iam.serviceAccounts.getAccessToken", OWNER_RESOURCE,
                "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("ALLOWED: 100001 (" + CALLER + ") -> "), run.out());
        // The binding names the caller itself, so the output does not present it as a grant to another member.
        assertFalse(run.out().contains(" to " + CALLER), run.out());
    }

    @Test
    void can_otherContextKey_rejected() {
        GraphService graph = SharedGraph.graphService();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> graph.can(CALLER,
                "iam.serviceAccounts.getAccessToken", OWNER_RESOURCE, Map.of("aws:CurrentTime", List.of(GRANT_ENDS))));

        assertTrue(e.getMessage().contains("request.time=INSTANT"), e.getMessage());
    }

    @Test
    void can_projectByNumber_sameAsById() {
        GraphService graph = SharedGraph.graphService();
        String owner = "serviceAccount:" + OWNER_EMAIL;

        EvaluationResult byNumber = graph.can(owner, "resourcemanager.projects.setIamPolicy",
                "//cloudresourcemanager.googleapis.com/projects/" + PROJECT_NUMBER, Map.of());
        EvaluationResult byUniqueId = graph.can(CALLER, "iam.serviceAccounts.getAccessToken",
                "//iam.googleapis.com/projects/" + PROJECT + "/serviceAccounts/100002", Map.of());

        assertEquals(EvaluationResult.Decision.ALLOWED, byNumber.decision(), byNumber.reason());
        assertEquals(EvaluationResult.Decision.ALLOWED, byUniqueId.decision(), byUniqueId.reason());
    }
}
