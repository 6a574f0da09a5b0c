package dev.nhigraph.gcp.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpInventory.Binding;
import dev.nhigraph.gcp.GcpInventory.Condition;
import dev.nhigraph.gcp.GcpInventory.DenyRule;
import dev.nhigraph.gcp.GcpInventory.Resource;
import dev.nhigraph.gcp.GcpInventory.Role;
import dev.nhigraph.gcp.GcpInventory.ServiceAccount;
import dev.nhigraph.gcp.GcpInventory.ServiceAccountKey;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.testsupport.SharedGraph;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Writes a small GCP inventory into the embedded Neo4j and reads it back. */
class GcpGraphRoundTripTest {

    private static final String ORG = GcpNames.organizationName("100");
    private static final String FOLDER = GcpNames.folderName("200");
    private static final String PROJECT = GcpNames.projectName("app-prod");
    private static final String BUCKET = "//storage.googleapis.com/app-prod-data";
    private static final String DEPLOYER = "deployer@app-prod.iam.gserviceaccount.com";
    private static final String RUNTIME = "runtime@app-prod.iam.gserviceaccount.com";

    @BeforeEach
    void reset() {
        SharedGraph.reset();
    }

    static GcpInventory inventory() {
        List<Resource> resources = List.of(
                new Resource(ORG, GcpNames.ORGANIZATION_TYPE, null, null, "example.com", "ACTIVE", "orgs.json"),
                new Resource(FOLDER, GcpNames.FOLDER_TYPE, ORG, null, "prod", "ACTIVE", "folders.json"),
                new Resource(PROJECT, GcpNames.PROJECT_TYPE, FOLDER, "app-prod", "App prod", "ACTIVE", "projects.json"),
                new Resource(BUCKET, "storage.googleapis.com/Bucket", PROJECT, "app-prod", "app-prod-data", null, "resources.json"));
        List<ServiceAccount> accounts = List.of(
                new ServiceAccount(DEPLOYER, "app-prod", "111", "Deployer", false, "sa.json"),
                new ServiceAccount(RUNTIME, "app-prod", "222", null, true, "sa.json"));
        List<ServiceAccountKey> keys = List.of(new ServiceAccountKey("0123abcd", DEPLOYER, "USER_MANAGED",
                "2026-01-01T00:00:00Z", "9999-12-31T23:59:59Z", false, "GOOGLE_PROVIDED", "keys.json"));
        List<Role> roles = List.of(new Role("projects/app-prod/roles/deployer", "Deployer", "GA", false,
                List.of("run.services.create", "iam.serviceAccounts.actAs"), "role.json"));
        Condition until2030 = new Condition("until 2030", null, "request.time < timestamp(\"2030-01-01T00:00:00Z\")");
        List<Binding> bindings = List.of(
                new Binding(PROJECT, "projects/app-prod/roles/deployer", List.of("serviceAccount:" + DEPLOYER, "group:ops@example.com"), null, 0, "policies.json"),
                new Binding(PROJECT, "roles/viewer", List.of("domain:example.com"), until2030, 1, "policies.json"),
                new Binding(GcpNames.serviceAccountName("app-prod", RUNTIME), "roles/iam.serviceAccountTokenCreator",
                        List.of("serviceAccount:" + DEPLOYER), null, 0, "policies.json"),
                new Binding(BUCKET, "roles/storage.objectViewer", List.of("allUsers"), null, 0, "policies.json"));
        List<DenyRule> deny = List.of(new DenyRule(PROJECT, "policies/cloudresourcemanager.googleapis.com%2Fprojects%2Fapp-prod/denypolicies/no-keys",
                List.of("principalSet://goog/public:all"), List.of(), List.of("iam.googleapis.com/serviceAccountKeys.create"), List.of(), null, "deny.json"));
        return new GcpInventory(resources, accounts, keys, roles, bindings, deny, Map.of("900", "app-prod"), List.of(), List.of());
    }

    private static void write(GcpInventory inventory) {
        SharedGraph.store().write(tx -> {
            new GcpGraphWriter(inventory, "snapshot-1").writeAll(tx);
            return null;
        });
    }

    @Test
    void inventoryRoundTripsThroughNeo4j() {
        GcpInventory written = inventory();
        write(written);

        GcpInventory read = GcpGraphReader.read(SharedGraph.store());

        assertEquals(new HashSet<>(written.bindings().stream().map(GcpGraphRoundTripTest::key).toList()),
                new HashSet<>(read.bindings().stream().map(GcpGraphRoundTripTest::key).toList()));
        assertEquals(2, read.serviceAccounts().size());
        ServiceAccount runtime = read.serviceAccounts().stream().filter(a -> a.email().equals(RUNTIME)).findFirst().orElseThrow();
        assertTrue(runtime.disabled());
        assertEquals(List.of("0123abcd"), read.keys().stream().map(ServiceAccountKey::keyId).toList());
        assertEquals(List.of("run.services.create", "iam.serviceAccounts.actAs"), read.customRoles().get(0).permissions());
        assertEquals(1, read.denyRules().size());
        assertEquals(PROJECT, read.denyRules().get(0).attachmentPoint());
        assertEquals("app-prod", read.projectNumbers().get("900"));
    }

    @Test
    void memberType_kubernetesServiceAccount() {
        assertEquals("kubernetesServiceAccount", GcpGraphWriter.memberType("serviceAccount:shop-prod.svc.id.goog[batch/sync-ksa]"));
        assertEquals("serviceAccount", GcpGraphWriter.memberType("serviceAccount:sync@shop-prod.iam.gserviceaccount.com"));
    }

    @Test
    void hierarchyIsReadWithParents() {
        write(inventory());

        Map<String, String> parents = new java.util.HashMap<>();
        GcpGraphReader.read(SharedGraph.store()).resources().forEach(r -> parents.put(r.name(), r.parent()));

        assertEquals(PROJECT, parents.get(BUCKET));
        assertEquals(FOLDER, parents.get(PROJECT));
        assertEquals(ORG, parents.get(FOLDER));
        assertEquals(PROJECT, parents.get(GcpNames.serviceAccountName("app-prod", RUNTIME)));
    }

    @Test
    void membersGetTheirKindAndExternalFlag() {
        write(inventory());

        assertEquals(1, SharedGraph.count("MATCH (m:GcpMember {id: 'allUsers', memberType: 'allUsers', external: true}) RETURN count(m) AS c"));
        assertEquals(1, SharedGraph.count("MATCH (m:GcpMember {id: 'group:ops@example.com', memberType: 'group', external: false}) RETURN count(m) AS c"));
        assertEquals(1, SharedGraph.count("MATCH (k:Credential:GcpServiceAccountKey)<-[:HAS_KEY]-(:GcpServiceAccount {email: $e}) RETURN count(k) AS c", "e", DEPLOYER));
        assertEquals(3, SharedGraph.count("MATCH (c:GcpResource) WHERE c:GcpOrganization OR c:GcpFolder OR c:GcpProject RETURN count(c) AS c"));
    }

    @Test
    void reloadReplacesBindingsOfTheSamePolicy() {
        write(inventory());
        GcpInventory first = inventory();
        GcpInventory narrowed = new GcpInventory(first.resources(), first.serviceAccounts(), first.keys(), first.customRoles(),
                List.of(new Binding(PROJECT, "roles/viewer", List.of("user:alice@example.com"), null, 0, "policies-2.json")),
                first.denyRules(), first.projectNumbers(), List.of(), List.of());

        write(narrowed);

        assertEquals(0, SharedGraph.count("MATCH (:Principal)-[b:HAS_ROLE]->(:GcpResource {id: $p}) WHERE b.role <> 'roles/viewer' RETURN count(b) AS c", "p", PROJECT));
        assertEquals(1, SharedGraph.count("MATCH (:Principal)-[b:HAS_ROLE]->(:GcpResource {id: $p}) RETURN count(b) AS c", "p", PROJECT));
        // The bucket's policy is not in the second write, so its binding stays.
        assertEquals(1, SharedGraph.count("MATCH (:Principal)-[b:HAS_ROLE]->(:GcpResource {id: $b}) RETURN count(b) AS c", "b", BUCKET));
        assertFalse(GcpGraphReader.read(SharedGraph.store()).bindings().isEmpty());
    }

    private static String key(Binding binding) {
        return binding.resource() + "|" + binding.index() + "|" + binding.role() + "|" + new HashSet<>(binding.members())
                + "|" + (binding.condition() == null ? null : binding.condition().expression());
    }
}
