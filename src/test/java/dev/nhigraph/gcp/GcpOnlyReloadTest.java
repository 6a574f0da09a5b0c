package dev.nhigraph.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads a GCP-only organization twice into the real embedded Neo4j. A graph without AWS facts skips the AWS stages,
 * whose writers would otherwise clear the GCP steps and administrator marks first, so the second load must still
 * drop what the first derived and the new policies no longer grant.
 */
class GcpOnlyReloadTest {

    private static final String DEV = "user:dev@example.com";
    private static final String BOSS = "user:boss@example.com";
    private static final String OTHER = "user:other@example.com";
    private static final String DEPLOYER = "serviceAccount:deployer@shop-prod.iam.gserviceaccount.com";
    private static final String DEPLOYER_NAME = "//iam.googleapis.com/projects/shop-prod/serviceAccounts/"
            + "deployer@shop-prod.iam.gserviceaccount.com";

    private static final String PROJECTS = """
            [{"projectId": "shop-prod", "projectNumber": "123456789012", "lifecycleState": "ACTIVE"}]
            """;

    private static final String ACCOUNTS = """
            [{"email": "deployer@shop-prod.iam.gserviceaccount.com", "projectId": "shop-prod", "uniqueId": "1001"}]
            """;

    /** The project's owner and a member who may change the deployer account's own policy. */
    private static final String POLICIES = """
            [
              {
                "resource": "//cloudresourcemanager.googleapis.com/projects/shop-prod",
                "project": "projects/123456789012",
                "policy": {"bindings": [{"role": "roles/owner", "members": ["%s"]}]}
              },
              {
                "resource": "%s",
                "project": "projects/123456789012",
                "policy": {"bindings": [{"role": "%s", "members": ["%s"]}]}
              }
            ]
            """;

    @TempDir
    Path first;

    @TempDir
    Path second;

    @Test
    void reload_gcpOnly_dropsOldStepsAndAdmins() throws IOException {
        writeBundle(first, BOSS, "roles/iam.serviceAccountAdmin");
        LoadResult before = SharedGraph.resetAndLoad(first);

        assertEquals(0, before.canAssume(), "a GCP-only graph has no CAN_ASSUME");
        assertEquals(1, escalations(DEV, DEPLOYER), "setIamPolicy on the account is a step to it");
        assertEquals(List.of(BOSS), administrators());

        // The owner changes and dev@ may only view the account now.
        writeBundle(second, OTHER, "roles/iam.serviceAccountViewer");
        new LoadService(SharedGraph.store()).load(List.of(second), stage -> { });

        assertEquals(0, escalations(DEV, DEPLOYER), "the step of the first load is gone");
        assertEquals(List.of(OTHER), administrators());
        assertEquals(0, SharedGraph.count("""
                MATCH (p:Principal {id: $id})
                WHERE p.adminEquivalent IS NOT NULL OR p.adminTechniques IS NOT NULL OR p.adminEvidence IS NOT NULL
                RETURN count(p) AS c""", "id", BOSS), "no part of the former owner's administrator mark is left");
    }

    private static void writeBundle(Path folder, String owner, String accountRole) throws IOException {
        Files.writeString(folder.resolve("projects.json"), PROJECTS);
        Files.writeString(folder.resolve("accounts.json"), ACCOUNTS);
        Files.writeString(folder.resolve("policies.json"), POLICIES.formatted(owner, DEPLOYER_NAME, accountRole, DEV));
    }

    private static long escalations(String from, String to) {
        return SharedGraph.count("MATCH (:Principal {id: $from})-[e:CAN_ESCALATE]->(:Principal {id: $to}) RETURN count(e) AS c",
                "from", from, "to", to);
    }

    private static List<String> administrators() {
        return SharedGraph.store().read(tx -> tx.run("""
                MATCH (p:Principal) WHERE p.adminEquivalent IS NOT NULL RETURN p.id AS id ORDER BY id""")
                .list(r -> r.get("id").asString()));
    }
}
