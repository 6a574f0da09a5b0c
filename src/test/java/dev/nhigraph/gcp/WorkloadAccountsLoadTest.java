package dev.nhigraph.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.Record;

/**
 * Loads instance, function and Cloud Run service lists beside the IAM outputs into the real embedded Neo4j, and
 * checks the RUNS_AS links and the steps that the analysis derives from them.
 *
 * <p>ops@ may sign in by OS Login to the VMs of shop-prod and shop-dev and act as every account of both, where
 * the VM legacy of shop-dev is named only by search-all-resources, so its account is unknown;
 * fn-dev@ may update the functions of shop-prod and act as fn-runtime@shared-ids; deployer@ may update the Cloud
 * Run services of shop-prod, whose one service runs as an account of no project in the bundle.
 */
class WorkloadAccountsLoadTest {

    private static final String VM_RUNNER = "serviceAccount:vm-runner@shop-prod.iam.gserviceaccount.com";
    private static final String OTHER = "serviceAccount:other@shop-prod.iam.gserviceaccount.com";
    private static final String DEV_RUNNER = "serviceAccount:dev-runner@shop-dev.iam.gserviceaccount.com";
    private static final String DEV_BATCH = "serviceAccount:dev-batch@shop-dev.iam.gserviceaccount.com";
    private static final String FN_RUNTIME = "serviceAccount:fn-runtime@shared-ids.iam.gserviceaccount.com";
    private static final String GHOST = "serviceAccount:ghost@elsewhere.iam.gserviceaccount.com";
    private static final String VM = "//compute.googleapis.com/projects/shop-prod/zones/europe-west1-b/instances/vm-1";
    private static final String BARE_VM = "//compute.googleapis.com/projects/shop-prod/zones/europe-west1-b/instances/vm-2";
    private static final String FUNCTION = "//cloudfunctions.googleapis.com/projects/shop-prod/locations/europe-west1/functions/billing";
    private static final String RUN_SERVICE = "//run.googleapis.com/projects/shop-prod/locations/europe-west1/services/api";
    private static final String STARTUP_SECRET = "startup-token-Q7v9XkLm2Pz";
    private static final String ENV_SECRET = "db-password-W3n8RtY5uJ";

    private static final String PROJECTS = """
            [
              {"projectId": "shop-prod", "projectNumber": "123456789012", "lifecycleState": "ACTIVE"},
              {"projectId": "shop-dev", "projectNumber": "223456789012", "lifecycleState": "ACTIVE"},
              {"projectId": "shared-ids", "projectNumber": "323456789012", "lifecycleState": "ACTIVE"}
            ]
            """;

    private static final String ACCOUNTS = """
            [
              {"email": "vm-runner@shop-prod.iam.gserviceaccount.com", "projectId": "shop-prod", "uniqueId": "1001"},
              {"email": "other@shop-prod.iam.gserviceaccount.com", "projectId": "shop-prod", "uniqueId": "1002"},
              {"email": "dev-runner@shop-dev.iam.gserviceaccount.com", "projectId": "shop-dev", "uniqueId": "1003"},
              {"email": "dev-batch@shop-dev.iam.gserviceaccount.com", "projectId": "shop-dev", "uniqueId": "1005"},
              {"email": "fn-runtime@shared-ids.iam.gserviceaccount.com", "projectId": "shared-ids", "uniqueId": "1004"}
            ]
            """;

    private static final String POLICIES = """
            [
              {
                "resource": "//cloudresourcemanager.googleapis.com/projects/shop-prod",
                "project": "projects/123456789012",
                "policy": {"bindings": [
                  {"role": "roles/compute.osLogin", "members": ["user:ops@example.com"]},
                  {"role": "roles/iam.serviceAccountUser", "members": ["user:ops@example.com"]},
                  {"role": "roles/cloudfunctions.developer", "members": ["user:fn-dev@example.com"]},
                  {"role": "roles/run.developer", "members": ["user:deployer@example.com"]}
                ]}
              },
              {
                "resource": "//cloudresourcemanager.googleapis.com/projects/shop-dev",
                "project": "projects/223456789012",
                "policy": {"bindings": [
                  {"role": "roles/compute.osLogin", "members": ["user:ops@example.com"]},
                  {"role": "roles/iam.serviceAccountUser", "members": ["user:ops@example.com"]}
                ]}
              },
              {
                "resource": "//iam.googleapis.com/projects/shared-ids/serviceAccounts/fn-runtime@shared-ids.iam.gserviceaccount.com",
                "project": "projects/323456789012",
                "policy": {"bindings": [
                  {"role": "roles/iam.serviceAccountUser", "members": ["user:fn-dev@example.com"]}
                ]}
              }
            ]
            """;

    /** A VM that only search-all-resources names, so its account is unknown. */
    private static final String RESOURCES = """
            [
              {
                "name": "//compute.googleapis.com/projects/shop-dev/zones/europe-west1-b/instances/legacy",
                "assetType": "compute.googleapis.com/Instance",
                "project": "projects/223456789012",
                "parentFullResourceName": "//cloudresourcemanager.googleapis.com/projects/shop-dev"
              }
            ]
            """;

    private static final String INSTANCES = """
            [
              {
                "kind": "compute#instance",
                "name": "vm-1",
                "zone": "https://www.googleapis.com/compute/v1/projects/shop-prod/zones/europe-west1-b",
                "selfLink": "https://www.googleapis.com/compute/v1/projects/shop-prod/zones/europe-west1-b/instances/vm-1",
                "metadata": {"items": [{"key": "startup-script", "value": "export TOKEN=%s"}]},
                "serviceAccounts": [{"email": "%s", "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}]
              },
              {
                "kind": "compute#instance",
                "name": "vm-2",
                "zone": "https://www.googleapis.com/compute/v1/projects/shop-prod/zones/europe-west1-b",
                "selfLink": "https://www.googleapis.com/compute/v1/projects/shop-prod/zones/europe-west1-b/instances/vm-2"
              },
              {
                "kind": "compute#instance",
                "name": "batch",
                "selfLink": "https://www.googleapis.com/compute/v1/projects/shop-dev/zones/europe-west1-b/instances/batch",
                "serviceAccounts": [{"email": "dev-batch@shop-dev.iam.gserviceaccount.com"}]
              }
            ]
            """;

    private static final String FUNCTIONS = """
            [
              {
                "name": "projects/shop-prod/locations/europe-west1/functions/billing",
                "environment": "GEN_2",
                "buildConfig": {"runtime": "python312", "environmentVariables": {"BUILD_TOKEN": "%1$s"}},
                "serviceConfig": {
                  "serviceAccountEmail": "fn-runtime@shared-ids.iam.gserviceaccount.com",
                  "environmentVariables": {"DB_PASSWORD": "%1$s"}
                }
              }
            ]
            """.formatted(ENV_SECRET);

    private static final String RUN_SERVICES = """
            [
              {
                "apiVersion": "serving.knative.dev/v1",
                "kind": "Service",
                "metadata": {
                  "name": "api",
                  "namespace": "123456789012",
                  "labels": {"cloud.googleapis.com/location": "europe-west1"}
                },
                "spec": {"template": {"spec": {
                  "serviceAccountName": "ghost@elsewhere.iam.gserviceaccount.com",
                  "containers": [{"image": "gcr.io/shop-prod/api", "env": [{"name": "API_KEY", "value": "%s"}]}]
                }}}
              }
            ]
            """.formatted(ENV_SECRET);

    @TempDir
    Path bundle;

    @BeforeEach
    void loadBundle() throws IOException {
        write(bundle, "a.json", PROJECTS);
        write(bundle, "b.json", ACCOUNTS);
        write(bundle, "c.json", POLICIES);
        write(bundle, "d.json", RESOURCES);
        write(bundle, "e.json", INSTANCES.formatted(STARTUP_SECRET, VM_RUNNER.substring("serviceAccount:".length())));
        write(bundle, "f.json", FUNCTIONS);
        write(bundle, "g.json", RUN_SERVICES);
        SharedGraph.resetAndLoad(bundle);
    }

    @Test
    void runsAs_storedForEveryListedWorkload() {
        assertEquals(List.of(VM_RUNNER), runsAs(VM));
        assertEquals(List.of(), runsAs(BARE_VM));
        assertEquals(List.of(FN_RUNTIME), runsAs(FUNCTION));
        assertEquals(List.of(GHOST), runsAs(RUN_SERVICE));
        assertEquals(List.of("compute.googleapis.com/Instance", "cloudfunctions.googleapis.com/Function",
                "run.googleapis.com/Service"), List.of(assetType(VM), assetType(FUNCTION), assetType(RUN_SERVICE)));
    }

    @Test
    void knownVmAccount_givesDefiniteStep() {
        Map<String, Object> step = step("user:ops@example.com", VM_RUNNER);

        assertNotNull(step, "ops@ can sign in to vm-1, which runs as vm-runner");
        assertEquals(false, step.get("conditional"));
        String evidence = (String) step.get("evidence");
        assertTrue(evidence.contains("roles/compute.osLogin"), evidence);
        assertTrue(evidence.contains("roles/iam.serviceAccountUser"), evidence);
        assertTrue(evidence.contains(VM), evidence);
        // Both VMs of shop-prod have known accounts, and neither runs as other@, so nothing leads there.
        assertNull(step("user:ops@example.com", OTHER));
    }

    @Test
    void knownFunctionAccount_stepsAcrossProjects() {
        Map<String, Object> step = step("user:fn-dev@example.com", FN_RUNTIME);

        assertNotNull(step, "fn-dev@ can update billing, which runs as fn-runtime of another project");
        assertEquals(false, step.get("conditional"));
        assertEquals("gcp-016", step.get("technique"));
        String evidence = (String) step.get("evidence");
        assertTrue(evidence.contains("roles/cloudfunctions.developer"), evidence);
        assertTrue(evidence.contains("roles/iam.serviceAccountUser"), evidence);
    }

    @Test
    void accountOutsideBundle_givesConditionalStep() {
        Map<String, Object> step = step("user:deployer@example.com", GHOST);

        assertNotNull(step, "deployer@ can deploy a revision of api, which runs as ghost@");
        assertEquals(true, step.get("conditional"));
        assertTrue(((String) step.get("evidence")).contains("not in the bundle"), (String) step.get("evidence"));
    }

    @Test
    void unknownWorkload_staysConditionalBesideKnownOne() {
        Map<String, Object> unknown = step("user:ops@example.com", DEV_RUNNER);
        Map<String, Object> known = step("user:ops@example.com", DEV_BATCH);

        assertNotNull(unknown, "legacy in shop-dev has an unknown account, which could be dev-runner");
        assertEquals(true, unknown.get("conditional"));
        assertTrue(((String) unknown.get("evidence")).contains("only if it runs as"), (String) unknown.get("evidence"));
        assertNotNull(known, "batch in shop-dev runs as dev-batch");
        assertEquals(false, known.get("conditional"));
    }

    @Test
    void secretsInWorkloadOutputs_areStoredNowhere() {
        List<String> values = new ArrayList<>();
        SharedGraph.store().read(tx -> {
            tx.run("MATCH (n) RETURN properties(n) AS p")
                    .forEachRemaining(r -> values.add(r.get("p").asMap().toString()));
            tx.run("MATCH ()-[r]->() RETURN properties(r) AS p")
                    .forEachRemaining(r -> values.add(r.get("p").asMap().toString()));
            return null;
        });

        assertFalse(values.isEmpty());
        assertEquals(List.of(VM_RUNNER), runsAs(VM), "the instance list was not loaded");
        assertTrue(values.stream().noneMatch(v -> v.contains(STARTUP_SECRET)), "a startup script is stored");
        assertTrue(values.stream().noneMatch(v -> v.contains(ENV_SECRET)), "an environment variable is stored");
    }

    @Test
    void reload_replacesRunsAs(@TempDir Path newer) throws IOException {
        write(newer, "instances.json", INSTANCES.formatted(STARTUP_SECRET, OTHER.substring("serviceAccount:".length())));

        new LoadService(SharedGraph.store()).load(List.of(newer), stage -> { });

        assertEquals(List.of(OTHER), runsAs(VM));
        assertEquals(List.of(FN_RUNTIME), runsAs(FUNCTION), "a workload absent from the newer files keeps its link");
        assertNotNull(step("user:ops@example.com", OTHER));
        assertNull(step("user:ops@example.com", VM_RUNNER));
    }

    private static List<String> runsAs(String workload) {
        return SharedGraph.store().read(tx -> tx.run("""
                MATCH (w:GcpResource {id: $id})
                OPTIONAL MATCH (w)-[:RUNS_AS]->(a:Principal)
                RETURN [id IN collect(a.id) WHERE id IS NOT NULL] AS accounts""", Map.of("id", workload))
                .single().get("accounts").asList(v -> v.asString()));
    }

    private static String assetType(String resource) {
        return SharedGraph.store().read(tx -> tx.run("MATCH (r:GcpResource {id: $id}) RETURN r.assetType AS type",
                Map.of("id", resource)).single().get("type").asString());
    }

    /** Returns the CAN_ESCALATE or CAN_IMPERSONATE step between two principals, or null when there is none. */
    private static Map<String, Object> step(String source, String target) {
        return SharedGraph.store().read(tx -> {
            List<Record> records = tx.run("""
                    MATCH (:Principal {id: $source})-[e:CAN_ESCALATE|CAN_IMPERSONATE]->(:Principal {id: $target})
                    RETURN e.technique AS technique, e.conditional AS conditional, toString(e.evidence) AS evidence""",
                    Map.of("source", source, "target", target)).list();
            return records.isEmpty() ? null : records.get(0).asMap();
        });
    }

    private static void write(Path dir, String name, String json) throws IOException {
        Files.writeString(dir.resolve(name), json);
    }
}
