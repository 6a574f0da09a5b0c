package dev.nhigraph.gcp.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.aws.bundle.Bundle;
import dev.nhigraph.aws.bundle.BundleReader;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpInventory.Binding;
import dev.nhigraph.gcp.GcpInventory.Role;
import dev.nhigraph.gcp.GcpInventory.ServiceAccount;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.gcp.IamVulnerableGcpFixture;
import dev.nhigraph.gcp.IamVulnerableGcpFixture.Grant;
import dev.nhigraph.gcp.IamVulnerableGcpFixture.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading of the iam-vulnerable GCP lab, written as gcloud outputs by {@link IamVulnerableGcpFixture}. */
class IamVulnerableGcpLabTest {

    // Counted in the corpus file over the common bindings, the 56 paths and the 7 tool-testing cases. Accounts are
    // the distinct emails of the account lists, the binding members and the service_account_id fields. Bindings
    // are the distinct (member, role, resource, condition) tuples.
    private static final int CORPUS_SERVICE_ACCOUNTS = 73;
    private static final int CORPUS_CUSTOM_ROLES = 53;
    private static final int CORPUS_MEMBER_BINDINGS = 174;

    private static final IamVulnerableGcpFixture LAB = IamVulnerableGcpFixture.load();

    @TempDir
    Path dir;

    @Test
    void wholeLab_countsMatchCorpus() throws IOException {
        GcpInventory gcp = read(LAB.write(dir));

        assertEquals(CORPUS_SERVICE_ACCOUNTS, gcp.serviceAccounts().size());
        assertEquals(CORPUS_CUSTOM_ROLES, gcp.customRoles().size());
        assertEquals(CORPUS_MEMBER_BINDINGS, grants(gcp).size());
        assertEquals(CORPUS_MEMBER_BINDINGS, gcp.bindings().stream().mapToInt(b -> b.members().size()).sum());
        assertEquals(63, LAB.scenarioIds().size());
    }

    @Test
    void wholeLab_matchesFixtureExpectation() throws IOException {
        GcpInventory gcp = read(LAB.write(dir));
        Lab expected = LAB.expected();

        assertEquals(expected.grants(), grants(gcp));
        assertEquals(expected.serviceAccounts(), gcp.serviceAccounts().stream().map(ServiceAccount::email)
                .collect(Collectors.toSet()));
        Map<String, List<String>> roles = new TreeMap<>();
        gcp.customRoles().forEach(role -> roles.put(role.name(), role.permissions().stream().sorted().toList()));
        assertEquals(expected.customRoles(), roles);
        assertTrue(gcp.skipped().isEmpty(), gcp.skipped().toString());
        assertTrue(gcp.warnings().isEmpty(), gcp.warnings().toString());
    }

    @Test
    void wholeLab_namesCanonical() throws IOException {
        GcpInventory gcp = read(LAB.write(dir));
        String project = GcpNames.projectName(IamVulnerableGcpFixture.PROJECT_ID);
        String secret = "//secretmanager.googleapis.com/projects/" + IamVulnerableGcpFixture.PROJECT_ID
                + "/secrets/" + IamVulnerableGcpFixture.SECRET;

        assertTrue(gcp.bindings().stream().anyMatch(b -> b.resource().equals(secret)), "secret policy by project id");
        assertEquals(project, resource(gcp, secret).parent());
        assertEquals(project, resource(gcp, "//storage.googleapis.com/" + IamVulnerableGcpFixture.BUCKET).parent());
        assertEquals(GcpNames.organizationName(IamVulnerableGcpFixture.ORGANIZATION_ID), resource(gcp, project).parent());
        assertEquals(IamVulnerableGcpFixture.PROJECT_ID, gcp.projectNumbers().get(IamVulnerableGcpFixture.PROJECT_NUMBER));
        String computeDefault = IamVulnerableGcpFixture.PROJECT_NUMBER + "-compute@developer.gserviceaccount.com";
        assertTrue(gcp.serviceAccounts().stream().anyMatch(a -> a.email().equals(computeDefault)), computeDefault);
    }

    @Test
    void conditionalBindings_keptWithCondition() throws IOException {
        GcpInventory gcp = read(LAB.write(dir));

        Binding fn1 = gcp.bindings().stream()
                .filter(b -> b.role().endsWith("/roles/privesc_fn1_role")).findFirst().orElseThrow();
        assertEquals("business-hours", fn1.condition().title());
        assertTrue(fn1.condition().expression().contains("getHours"), fn1.condition().expression());
        Role fp1 = gcp.customRoles().stream().filter(r -> r.name().endsWith("/roles/privesc_fp1_role")).findFirst().orElseThrow();
        assertTrue(fp1.permissions().contains("resourcemanager.projects.setIamPolicy"), fp1.permissions().toString());
    }

    @Test
    void scenario_writesOwnAndCommonBindings() throws IOException {
        GcpInventory gcp = read(LAB.writeScenario("1", dir));
        Set<Grant> grants = grants(gcp);

        assertEquals(LAB.expectedScenario("1").grants(), grants);
        assertTrue(grants.contains(new Grant(GcpNames.projectName(IamVulnerableGcpFixture.PROJECT_ID),
                "projects/iam-vulnerable-lab/roles/privesc_01_setIamPolicy",
                "serviceAccount:privesc01-set-iam-policy@iam-vulnerable-lab.iam.gserviceaccount.com", null)));
        assertTrue(grants.contains(new Grant(GcpNames.projectName(IamVulnerableGcpFixture.PROJECT_ID), "roles/owner",
                "serviceAccount:privesc-high-priv-sa@iam-vulnerable-lab.iam.gserviceaccount.com", null)));
        assertTrue(grants.contains(new Grant(GcpNames.serviceAccountName(IamVulnerableGcpFixture.PROJECT_ID,
                "privesc01-set-iam-policy@iam-vulnerable-lab.iam.gserviceaccount.com"),
                "roles/iam.serviceAccountTokenCreator", IamVulnerableGcpFixture.ATTACKER_MEMBER, null)));
        assertTrue(grants.stream().noneMatch(g -> g.member().contains("privesc02")), grants.toString());
    }

    @Test
    void everyScenario_loadsAsExpected() throws IOException {
        for (String id : LAB.scenarioIds()) {
            Path scenarioDir = Files.createDirectories(dir.resolve("scenario-" + id));
            GcpInventory gcp = read(LAB.writeScenario(id, scenarioDir));
            Lab expected = LAB.expectedScenario(id);

            assertEquals(expected.grants(), grants(gcp), id);
            assertEquals(expected.serviceAccounts().size(), gcp.serviceAccounts().size(), id);
            assertEquals(expected.customRoles().keySet(), gcp.customRoles().stream().map(Role::name)
                    .collect(Collectors.toSet()), id);
            assertTrue(gcp.skipped().isEmpty(), id + ": " + gcp.skipped());
            assertTrue(gcp.warnings().isEmpty(), id + ": " + gcp.warnings());
        }
    }

    @Test
    void lateralTargets_getResourcePolicies() throws IOException {
        GcpInventory gcp = read(LAB.write(dir));
        Set<String> resources = gcp.bindings().stream().map(Binding::resource).collect(Collectors.toSet());

        assertTrue(resources.contains("//storage.googleapis.com/" + IamVulnerableGcpFixture.BUCKET), resources.toString());
        assertTrue(resources.contains("//pubsub.googleapis.com/projects/iam-vulnerable-lab/topics/privesc-target-topic"));
        assertTrue(resources.contains("//pubsub.googleapis.com/projects/iam-vulnerable-lab/subscriptions/privesc-target-sub"));
        assertTrue(resources.contains("//bigquery.googleapis.com/projects/iam-vulnerable-lab/datasets/privesc_target_dataset"));
        assertEquals("bigquery.googleapis.com/Dataset",
                resource(gcp, "//bigquery.googleapis.com/projects/iam-vulnerable-lab/datasets/privesc_target_dataset").assetType());
    }

    private static GcpInventory read(List<Path> files) {
        Bundle bundle = BundleReader.read(files);
        assertTrue(bundle.skippedFiles().isEmpty(), bundle.skippedFiles().toString());
        return bundle.gcp();
    }

    private static Set<Grant> grants(GcpInventory gcp) {
        Set<Grant> grants = new HashSet<>();
        for (Binding binding : gcp.bindings()) {
            for (String member : binding.members()) {
                grants.add(new Grant(binding.resource(), binding.role(), member, binding.condition()));
            }
        }
        return grants;
    }

    private static GcpInventory.Resource resource(GcpInventory gcp, String name) {
        return gcp.resources().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not among " + gcp.resources().size() + " resources"));
    }
}
