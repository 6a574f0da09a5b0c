package dev.nhigraph.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.cli.CommandRun;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.eval.EvaluationResult;
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
 * A bucket whose policy grants roles/storage.legacyBucketOwner to projectEditor:P, the convenience member for
 * every editor of project P. The {@code can} result for an editor must list both bindings: the one on the bucket
 * that grants the permission, and the roles/editor binding on the project that makes the caller one of its members.
 */
class ConvenienceMemberCanTest {

    private static final String PROJECT = "media-prod";
    private static final String EDITOR = "serviceAccount:deployer@media-prod.iam.gserviceaccount.com";
    private static final String BUCKET = "//storage.googleapis.com/media-prod-uploads";
    private static final String PROJECT_NAME = "//cloudresourcemanager.googleapis.com/projects/" + PROJECT;

    @TempDir
    static Path bundle;

    @BeforeAll
    static void loadBundle() throws IOException {
        Files.writeString(bundle.resolve("projects.json"), """
                [{"projectId": "media-prod", "projectNumber": "480112233445", "lifecycleState": "ACTIVE"}]
                """);
        Files.writeString(bundle.resolve("service-accounts.json"), """
                [{"email": "deployer@media-prod.iam.gserviceaccount.com", "projectId": "media-prod", "uniqueId": "300001"}]
                """);
        Files.writeString(bundle.resolve("resources.json"), """
                [{"name": "%s", "assetType": "storage.googleapis.com/Bucket", "project": "projects/480112233445",
                  "parentFullResourceName": "%s"}]
                """.formatted(BUCKET, PROJECT_NAME));
        Files.writeString(bundle.resolve("iam-policies.json"), """
                [{"resource": "%s", "project": "projects/480112233445",
                  "policy": {"bindings": [{"role": "roles/editor", "members": ["%s"]}]}},
                 {"resource": "%s", "project": "projects/480112233445",
                  "policy": {"bindings": [{"role": "roles/storage.legacyBucketOwner",
                                           "members": ["projectEditor:media-prod"]}]}}]
                """.formatted(PROJECT_NAME, EDITOR, BUCKET));
        SharedGraph.resetAndLoad(bundle);
    }

    @Test
    void can_throughProjectEditor_listsTheEditorBinding() {
        EvaluationResult result = SharedGraph.graphService().can(EDITOR, "storage.buckets.setIamPolicy", BUCKET, Map.of());

        assertEquals(EvaluationResult.Decision.ALLOWED, result.decision(), result.reason());
        List<Evidence> statements = result.statements();
        assertEquals(2, statements.size(), statements.toString());
        assertEquals("roles/storage.legacyBucketOwner", statements.get(0).policyName());
        assertEquals(List.of("projectEditor:media-prod"), statements.get(0).principals());
        assertEquals("roles/editor", statements.get(1).policyName());
        assertEquals(PROJECT_NAME + "#iam-policy", statements.get(1).policy());
        assertEquals(List.of(EDITOR), statements.get(1).principals());
        assertTrue(statements.get(1).note().contains("one of projectEditor:media-prod"), statements.get(1).note());
    }

    @Test
    void canCommand_throughProjectEditor_saysWhy() {
        CommandRun run = CommandRun.of("can", EDITOR, "storage.buckets.setIamPolicy", BUCKET,
                "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("roles/storage.legacyBucketOwner to projectEditor:media-prod\n"), run.out());
        assertTrue(run.out().contains("roles/editor, which makes it one of projectEditor:media-prod\n"), run.out());
    }

    @Test
    void can_namedDirectly_addsNoMembership() {
        EvaluationResult result = SharedGraph.graphService().can(EDITOR, "resourcemanager.projects.get", PROJECT_NAME,
                Map.of());

        assertEquals(EvaluationResult.Decision.ALLOWED, result.decision(), result.reason());
        assertEquals(1, result.statements().size(), result.statements().toString());
        assertEquals("roles/editor", result.statements().get(0).policyName());
    }
}
