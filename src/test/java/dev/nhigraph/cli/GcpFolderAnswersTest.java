package dev.nhigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.analysis.BlastRadius;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.PathAnswers;
import dev.nhigraph.query.SavedQueries;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs paths, blast-radius, query and scan on a small GCP organization written as gcloud outputs: folder
 * 200000000002 contains folder 300000000003, which contains project payments-api.
 *
 * <p>In the project, deployer may mint tokens for every service account of the project, folder-admin has
 * roles/resourcemanager.folderAdmin on the outer folder and has a user-managed key, and deployer reads a bucket
 * through the bucket's own policy. user:ops@example.com has roles/resourcemanager.folderAdmin on the outer folder
 * under a tag condition that the snapshot cannot decide, so it is a conditional administrator of both folders and
 * the project through one binding.
 */
public class GcpFolderAnswersTest {

    public static final String OUTER_FOLDER = "//cloudresourcemanager.googleapis.com/folders/200000000002";
    public static final String DEPLOYER = "serviceAccount:deployer@payments-api.iam.gserviceaccount.com";
    public static final String FOLDER_ADMIN = "serviceAccount:folder-admin@payments-api.iam.gserviceaccount.com";
    static final String OPS = "user:ops@example.com";
    public static final String BUCKET = "//storage.googleapis.com/payments-api-exports";

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path bundle;

    @TempDir
    Path dir;

    private String out;
    private String err;

    @BeforeAll
    static void loadOrganization() throws IOException {
        writeBundle(bundle);
        SharedGraph.resetAndLoad(bundle);
    }

    /** Writes the organization as the gcloud outputs that a user would save, one file per command. */
    public static void writeBundle(Path folder) throws IOException {
        Files.writeString(folder.resolve("organizations.json"), """
                [{"creationTime": "2020-01-01T00:00:00.000Z", "displayName": "example.com", "lifecycleState": "ACTIVE",
                  "name": "organizations/100000000001", "owner": {"directoryCustomerId": "C00example"}}]
                """);
        Files.writeString(folder.resolve("folders.json"), """
                [{"displayName": "Engineering", "name": "folders/200000000002", "parent": "organizations/100000000001", "state": "ACTIVE"},
                 {"displayName": "Payments", "name": "folders/300000000003", "parent": "folders/200000000002", "state": "ACTIVE"}]
                """);
        Files.writeString(folder.resolve("projects.json"), """
                [{"lifecycleState": "ACTIVE", "name": "Payments API", "parent": {"id": "300000000003", "type": "folder"},
                  "projectId": "payments-api", "projectNumber": "400000000004"}]
                """);
        Files.writeString(folder.resolve("service-accounts.json"), """
                [{"displayName": "deployer", "email": "deployer@payments-api.iam.gserviceaccount.com",
                  "name": "projects/payments-api/serviceAccounts/deployer@payments-api.iam.gserviceaccount.com",
                  "projectId": "payments-api", "uniqueId": "110000000000000000001"},
                 {"displayName": "folder-admin", "email": "folder-admin@payments-api.iam.gserviceaccount.com",
                  "name": "projects/payments-api/serviceAccounts/folder-admin@payments-api.iam.gserviceaccount.com",
                  "projectId": "payments-api", "uniqueId": "110000000000000000002"}]
                """);
        Files.writeString(folder.resolve("folder-admin-keys.json"), """
                [{"keyAlgorithm": "KEY_ALG_RSA_2048", "keyOrigin": "GOOGLE_PROVIDED", "keyType": "USER_MANAGED",
                  "name": "projects/payments-api/serviceAccounts/folder-admin@payments-api.iam.gserviceaccount.com/keys/0a1b2c3d4e5f",
                  "validAfterTime": "2024-01-01T00:00:00Z", "validBeforeTime": "9999-12-31T23:59:59Z"}]
                """);
        Files.writeString(folder.resolve("iam-policies.json"), """
                [{"assetType": "cloudresourcemanager.googleapis.com/Folder", "folders": ["folders/200000000002"],
                  "organization": "organizations/100000000001",
                  "policy": {"bindings": [
                    {"members": ["serviceAccount:folder-admin@payments-api.iam.gserviceaccount.com"],
                     "role": "roles/resourcemanager.folderAdmin"},
                    {"condition": {"expression": "resource.matchTag('100000000001/env', 'prod')", "title": "prod only"},
                     "members": ["user:ops@example.com"], "role": "roles/resourcemanager.folderAdmin"}], "version": 3},
                  "resource": "//cloudresourcemanager.googleapis.com/folders/200000000002"},
                 {"assetType": "cloudresourcemanager.googleapis.com/Project",
                  "folders": ["folders/300000000003", "folders/200000000002"], "organization": "organizations/100000000001",
                  "project": "projects/400000000004",
                  "policy": {"bindings": [
                    {"members": ["serviceAccount:deployer@payments-api.iam.gserviceaccount.com"],
                     "role": "roles/iam.serviceAccountTokenCreator"}], "version": 1},
                  "resource": "//cloudresourcemanager.googleapis.com/projects/payments-api"},
                 {"assetType": "storage.googleapis.com/Bucket", "folders": ["folders/300000000003", "folders/200000000002"],
                  "organization": "organizations/100000000001", "project": "projects/400000000004",
                  "policy": {"bindings": [
                    {"members": ["serviceAccount:deployer@payments-api.iam.gserviceaccount.com"],
                     "role": "roles/storage.objectViewer"},
                    {"members": ["allUsers"], "role": "roles/storage.legacyBucketReader"}], "version": 1},
                  "resource": "//storage.googleapis.com/payments-api-exports"}]
                """);
    }

    @Test
    void pathsToAdmin_jsonNamesFolderScope() {
        PathAnswers.Answer answer = SharedGraph.graphService().pathAnswers().paths(DEPLOYER, PathAnswers.ADMIN, 8, 10);

        assertEquals("YES", answer.reachable());
        assertNotNull(answer.administrators(), "the answer should describe the administrator its path ends at");
        PathAnswers.Administrator end = answer.administrators().get(0);
        assertEquals(FOLDER_ADMIN, end.principal());
        assertEquals(List.of(OUTER_FOLDER), end.scopes());
        assertEquals(List.of("binding"), end.techniques());
        assertTrue(end.evidence().stream().anyMatch(e -> "roles/resourcemanager.folderAdmin".equals(e.policyName())),
                end.evidence().toString());
    }

    @Test
    void pathsToAdmin_textNamesScopeAndBinding() {
        assertEquals(0, run("paths", "--from", DEPLOYER, "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()), err);

        assertTrue(out.contains(FOLDER_ADMIN + " is administrator of folders/200000000002\n"), out);
        assertTrue(out.contains("binding 0 on folders/200000000002: roles/resourcemanager.folderAdmin"), out);
    }

    @Test
    void pathsToAdmin_stepNamesBindingByResource() {
        assertEquals(0, run("paths", "--from", DEPLOYER, "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()), err);

        assertTrue(out.contains("          binding 0 on projects/payments-api: Grants iam.serviceAccounts.getAccessToken"
                + " through roles/iam.serviceAccountTokenCreator"), out);
        assertFalse(out.contains("#iam-policy"), out);
    }

    @Test
    void pathsToAdmin_conditionalBindingListedOnce() {
        assertEquals(0, run("paths", "--from", OPS, "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()), err);

        assertTrue(out.contains(OPS + " is, if conditions hold, administrator of folders/200000000002, folders/300000000003,"
                + " projects/payments-api"), out);
        String binding = "binding 1 on folders/200000000002: roles/resourcemanager.folderAdmin"
                + " if resource.matchTag('100000000001/env', 'prod')";
        assertEquals(1, occurrences(out, binding), out);
    }

    @Test
    void pathsWithoutFrom_namesScopeOfEachSource() {
        assertEquals(0, run("paths", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()), err);

        assertTrue(out.contains("which administers folders/200000000002"), out);
    }

    @Test
    void reachingAdmin_jsonCarriesScopes() {
        PathAnswers.Reaching reaching = SharedGraph.graphService().pathAnswers().reaching(PathAnswers.ADMIN, 8, 100);

        PathAnswers.Source deployer = reaching.sources().stream().filter(s -> s.principal().equals(DEPLOYER)).findFirst()
                .orElseThrow();
        assertEquals(List.of(OUTER_FOLDER), deployer.administers());
    }

    @Test
    void savedAdministratorsQuery_namesEachBindingOnce() throws IOException {
        String cypher = SavedQueries.bundled().find("gcp-administrators").cypher();
        GraphService graph = SharedGraph.graphService();

        List<Map<String, Object>> rows = graph.store().read(tx -> tx.run(cypher).list(r -> r.asMap()));

        Map<String, Object> ops = rows.stream().filter(row -> OPS.equals(row.get("principal"))).findFirst().orElseThrow();
        assertEquals(3, ((List<?>) ops.get("scopes")).size(), ops.toString());
        assertEquals(List.of("binding 1 on folders/200000000002: roles/resourcemanager.folderAdmin"
                + " if resource.matchTag('100000000001/env', 'prod')"), ops.get("bindings"));
        Map<String, Object> admin = rows.stream().filter(row -> FOLDER_ADMIN.equals(row.get("principal"))).findFirst()
                .orElseThrow();
        assertEquals(List.of("binding 0 on folders/200000000002: roles/resourcemanager.folderAdmin"), admin.get("bindings"));
    }

    @Test
    void can_textNamesBindingByResource() {
        assertEquals(0, run("can", DEPLOYER, "storage.objects.get", BUCKET, "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()), err);

        assertTrue(out.startsWith("ALLOWED"), out);
        assertTrue(out.contains("  binding 0 on " + BUCKET + ": roles/storage.objectViewer\n"), out);
        assertFalse(out.contains("#iam-policy"), out);
    }

    @Test
    void can_textNamesPublicMember() {
        assertEquals(0, run("can", OPS, "storage.buckets.get", BUCKET, "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()), err);

        assertTrue(out.startsWith("ALLOWED"), out);
        assertTrue(out.contains("  binding 1 on " + BUCKET + ": roles/storage.legacyBucketReader to allUsers (anyone on"
                + " the internet, without signing in)\n"), out);
    }

    @Test
    void blastRadius_summaryCountsGcpReach() {
        BlastRadius.Result result = SharedGraph.graphService().blastRadius(DEPLOYER, 8);

        BlastRadius.Summary summary = result.summary();
        assertEquals(2, summary.principals());
        assertEquals(1, summary.serviceAccounts());
        assertEquals(List.of(OUTER_FOLDER), summary.adminScopes());
        assertEquals(1, summary.gcpResources());
        assertEquals(Map.of("List", 1, "Read", 1), summary.resourcesByAccessLevel());
        assertEquals(1, summary.userManagedKeys());
        assertEquals("YES", summary.adminEquivalent());
    }

    @Test
    void blastRadius_gcpRootHasNoAwsFields() {
        BlastRadius.Summary summary = SharedGraph.graphService().blastRadius(DEPLOYER, 8).summary();

        assertNull(summary.actionsByAccessLevel());
        assertNull(summary.services());
        assertNull(summary.admin());
        assertNull(summary.unknownActions());
    }

    @Test
    void blastRadius_summaryMatchesFullResult() {
        GraphService graph = SharedGraph.graphService();
        BlastRadius radius = new BlastRadius(graph.summaries());

        assertEquals(radius.compute(DEPLOYER, 8).summary(), radius.summary(DEPLOYER, 8).summary());
    }

    @Test
    void blastRadius_textSpeaksGcp() {
        assertEquals(0, run("blast-radius", DEPLOYER, "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()), err);

        assertFalse(out.contains("actions by access level"), out);
        assertTrue(out.contains("impersonated from " + DEPLOYER + " by gcp-001 (Mint an access token for the account)"), out);
        assertTrue(out.contains("administers folders/200000000002"), out);
        assertTrue(out.contains("1 user-managed key enabled"), out);
        assertTrue(out.contains(BUCKET + ": List, Read"), out);
    }

    @Test
    void blastRadius_jsonHasResourceEdge() throws IOException {
        assertEquals(0, run("blast-radius", DEPLOYER, "--json", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()), err);

        JsonNode body = JSON.readTree(out);
        assertFalse(body.get("summary").has("actionsByAccessLevel"), body.get("summary").toString());
        JsonNode bucketEdge = null;
        for (JsonNode edge : body.get("edges")) {
            if (edge.get("target").asText().equals(BUCKET)) {
                bucketEdge = edge;
            }
        }
        assertNotNull(bucketEdge, body.get("edges").toString());
        assertEquals("CAN_ACCESS", bucketEdge.get("type").asText());
        assertEquals(DEPLOYER, bucketEdge.get("source").asText());
    }

    @Test
    void scan_reportsGcpCountsForGcpPrincipals() throws IOException {
        Path report = dir.resolve("report");

        assertEquals(0, run("scan", bundle.toString(), "--out", report.toString()), err);

        JsonNode body = JSON.readTree(report.resolve("report.json").toFile());
        assertEquals(1, body.get("snapshot").get("gcp").get("projects").asInt(), body.get("snapshot").toString());
        JsonNode entry = null;
        for (JsonNode principal : body.get("principals")) {
            if (principal.get("id").asText().equals(DEPLOYER)) {
                entry = principal;
            }
        }
        assertNotNull(entry, "the report should have an entry for " + DEPLOYER);
        JsonNode radius = entry.get("blastRadius");
        assertFalse(radius.has("actionsByAccessLevel"), radius.toString());
        assertEquals(1, radius.get("serviceAccounts").asInt(), radius.toString());
        assertEquals(OUTER_FOLDER, radius.get("adminScopes").get(0).asText(), radius.toString());
        assertEquals(OUTER_FOLDER, entry.get("administers").get(0).asText(), entry.toString());
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private int run(String... args) {
        CommandRun run = CommandRun.of(args);
        out = run.out();
        err = run.err();
        return run.exitCode();
    }
}
