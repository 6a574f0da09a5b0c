package dev.nhigraph.gcp.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpRoleCatalog;
import dev.nhigraph.gcp.analysis.GcpAnalysis.Access;
import dev.nhigraph.gcp.analysis.GcpAnalysis.AdminGrant;
import dev.nhigraph.gcp.analysis.GcpAnalysis.DefaultAccountWithEditor;
import dev.nhigraph.gcp.analysis.GcpAnalysis.Result;
import dev.nhigraph.gcp.analysis.GcpAnalysis.Step;
import dev.nhigraph.gcp.analysis.GcpAnalysis.UserManagedKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GcpAnalysisTest {

    private static final Instant SNAPSHOT = Instant.parse("2026-06-01T12:00:00Z");
    private static final String ALICE = "user:alice@example.com";
    private static final String P1 = Fixture.projectName("p1");

    private static Fixture base() {
        return new Fixture().project("p1", "1111", Fixture.FOLDER).account("app", "p1").account("admin", "p1");
    }

    private static Result derive(GcpInventory inventory) {
        return GcpAnalysis.derive(inventory, GcpRoleCatalog.loadDefault(), SNAPSHOT);
    }

    private static Step step(Result result, String source, String target) {
        return result.steps().stream().filter(s -> s.source().equals(source) && s.target().equals(target))
                .findFirst().orElse(null);
    }

    private static AdminGrant admin(Result result, String principal, String scope) {
        return result.admins().stream().filter(a -> a.principal().equals(principal) && a.scope().equals(scope))
                .findFirst().orElse(null);
    }

    @Test
    void tokenCreatorGivesImpersonationStep() {
        Result result = derive(base().bind(Fixture.accountName("app", "p1"), "roles/iam.serviceAccountTokenCreator", ALICE)
                .build());

        Step step = step(result, ALICE, Fixture.member("app", "p1"));
        assertEquals("CAN_IMPERSONATE", step.kind());
        assertEquals("gcp-001", step.technique());
        assertFalse(step.conditional());
        assertEquals(List.of("iam.serviceAccounts.getAccessToken"), step.evidence().get(0).actions());
    }

    @Test
    void oneStepPerPairKeepsBestTechnique() {
        Result result = derive(base().bind(P1, "roles/editor", ALICE).build());

        List<Step> steps = result.steps().stream()
                .filter(s -> s.source().equals(ALICE) && s.target().equals(Fixture.member("app", "p1"))).toList();
        assertEquals(1, steps.size());
        assertEquals("gcp-002", steps.get(0).technique(), "key creation outranks actAs techniques");
    }

    @Test
    void disabledTargetStepIsConditional() {
        Result result = derive(base().account("old", "p1", true)
                .bind(Fixture.accountName("old", "p1"), "roles/iam.serviceAccountTokenCreator", ALICE).build());

        Step step = step(result, ALICE, Fixture.member("old", "p1"));
        assertTrue(step.conditional());
        assertTrue(step.evidence().get(0).note().contains("disabled"), step.evidence().get(0).note());
    }

    @Test
    void disabledTargetEnablableBySourceIsNotConditional() {
        Result result = derive(base().account("old", "p1", true)
                .bind(Fixture.accountName("old", "p1"), "roles/iam.serviceAccountTokenCreator", ALICE)
                .bind(Fixture.accountName("old", "p1"), "roles/iam.serviceAccountAdmin", ALICE).build());

        Step step = step(result, ALICE, Fixture.member("old", "p1"));
        assertFalse(step.conditional());
        assertTrue(step.evidence().get(0).note().contains("can enable it"), step.evidence().get(0).note());
    }

    @Test
    void delegationStepsToWhatDelegateMints() {
        GcpInventory inventory = base().account("b", "p1").account("c", "p1")
                .role("projects/p1/roles/delegate", "iam.serviceAccounts.implicitDelegation")
                .bind(Fixture.accountName("b", "p1"), "projects/p1/roles/delegate", ALICE)
                .bind(Fixture.accountName("c", "p1"), "roles/iam.serviceAccountTokenCreator", Fixture.member("b", "p1"))
                .build();

        Result result = derive(inventory);

        Step step = step(result, ALICE, Fixture.member("c", "p1"));
        assertEquals("gcp-005", step.technique());
        assertEquals(2, step.evidence().size(), "the link to the delegate and the delegate's token permission");
        assertNull(step(result, ALICE, Fixture.member("b", "p1")), "implicitDelegation alone gives no token of b");
    }

    @Test
    void twoDelegateChainNotDerived() {
        // A known limit: only chains with one delegate are derived.
        GcpInventory inventory = base().account("b1", "p1").account("b2", "p1").account("c", "p1")
                .role("projects/p1/roles/delegate", "iam.serviceAccounts.implicitDelegation")
                .bind(Fixture.accountName("b1", "p1"), "projects/p1/roles/delegate", ALICE)
                .bind(Fixture.accountName("b2", "p1"), "projects/p1/roles/delegate", Fixture.member("b1", "p1"))
                .bind(Fixture.accountName("c", "p1"), "roles/iam.serviceAccountTokenCreator", Fixture.member("b2", "p1"))
                .build();

        Result result = derive(inventory);

        assertEquals("gcp-005", step(result, Fixture.member("b1", "p1"), Fixture.member("c", "p1")).technique());
        assertNull(step(result, ALICE, Fixture.member("c", "p1")));
    }

    @Test
    void projectOwnerAdminWithoutSteps() {
        Result result = derive(base().bind(P1, "roles/owner", ALICE).build());

        AdminGrant grant = admin(result, ALICE, P1);
        assertEquals("binding", grant.via());
        assertFalse(grant.conditional());
        assertTrue(result.steps().stream().noneMatch(s -> s.source().equals(ALICE)));
    }

    @Test
    void organizationAdminImpliesProjects() {
        Result result = derive(base().bind(Fixture.ORG, "roles/resourcemanager.organizationAdmin", ALICE).build());

        assertEquals("binding", admin(result, ALICE, Fixture.ORG).via());
        assertNull(admin(result, ALICE, P1), "implied by the organization grant");
        assertNull(admin(result, ALICE, Fixture.FOLDER), "implied by the organization grant");
    }

    @Test
    void folderProjectIamAdminPerProject() {
        Result result = derive(base().project("p2", "2222", Fixture.FOLDER)
                .bind(Fixture.FOLDER, "roles/resourcemanager.projectIamAdmin", ALICE).build());

        assertTrue(admin(result, ALICE, P1) != null);
        assertTrue(admin(result, ALICE, Fixture.projectName("p2")) != null);
        assertNull(admin(result, ALICE, Fixture.FOLDER), "projectIamAdmin has no folders.setIamPolicy");
    }

    @Test
    void roleUpdateOnHeldRoleMakesAdmin() {
        Result result = derive(base().role("projects/p1/roles/self", "iam.roles.update", "iam.roles.get")
                .bind(P1, "projects/p1/roles/self", Fixture.member("app", "p1")).build());

        AdminGrant grant = admin(result, Fixture.member("app", "p1"), P1);
        assertEquals("gcp-011", grant.via());
        assertFalse(grant.conditional());
    }

    @Test
    void roleUpdateOnAccountBoundRoleGivesStep() {
        // roles/iam.roleAdmin is predefined, so it cannot be updated; the custom role alice may update is bound to
        // her on the account only.
        Result result = derive(base().role("projects/p1/roles/reader", "iam.serviceAccounts.get")
                .bind(P1, "roles/iam.roleAdmin", ALICE)
                .bind(Fixture.accountName("admin", "p1"), "projects/p1/roles/reader", ALICE).build());

        assertEquals("gcp-011", step(result, ALICE, Fixture.member("admin", "p1")).technique());
        assertNull(admin(result, ALICE, P1));
    }

    @Test
    void conditionalAdminStaysConditional() {
        Result result = derive(base().bindIf(P1, "roles/owner", "resource.matchTag('100/env', 'dev')", ALICE).build());

        assertTrue(admin(result, ALICE, P1).conditional());
    }

    @Test
    void setSourcesGetSteps() {
        Result result = derive(base()
                .bind(Fixture.accountName("app", "p1"), "roles/iam.serviceAccountTokenCreator", "allAuthenticatedUsers")
                .build());

        assertEquals("gcp-001", step(result, "allAuthenticatedUsers", Fixture.member("app", "p1")).technique());
    }

    @Test
    void convenienceMemberExpandsToHolders() {
        Result result = derive(base().bind(P1, "roles/viewer", ALICE)
                .bind(Fixture.accountName("app", "p1"), "roles/iam.serviceAccountTokenCreator", "projectViewer:p1").build());

        Step step = step(result, ALICE, Fixture.member("app", "p1"));
        assertEquals(List.of("projectViewer:p1"), step.evidence().get(0).principals());
    }

    @Test
    void deletedMemberGetsNoSteps() {
        String deleted = "deleted:serviceAccount:" + Fixture.email("gone", "p1") + "?uid=7";
        Result result = derive(base().bind(Fixture.accountName("app", "p1"), "roles/iam.serviceAccountTokenCreator",
                deleted).build());

        assertTrue(result.steps().isEmpty());
    }

    @Test
    void crossProjectGrantAtFolder() {
        Result result = derive(base().project("p2", "2222", Fixture.FOLDER).account("ci", "p2")
                .bind(Fixture.FOLDER, "roles/iam.serviceAccountKeyAdmin", Fixture.member("app", "p1")).build());

        assertEquals("gcp-002", step(result, Fixture.member("app", "p1"), Fixture.member("ci", "p2")).technique());
    }

    @Test
    void actAsWithoutWorkloadPermissionGivesNoStep() {
        Result result = derive(base().bind(Fixture.accountName("admin", "p1"), "roles/iam.serviceAccountUser", ALICE)
                .build());

        assertNull(step(result, ALICE, Fixture.member("admin", "p1")));
    }

    @Test
    void actAsWithCreateGivesEscalation() {
        Result result = derive(base().bind(Fixture.accountName("admin", "p1"), "roles/iam.serviceAccountUser", ALICE)
                .bind(P1, "roles/cloudfunctions.developer", ALICE).build());

        Step step = step(result, ALICE, Fixture.member("admin", "p1"));
        assertEquals("CAN_ESCALATE", step.kind());
        assertEquals("gcp-015", step.technique());
    }

    @Test
    void createInOtherProjectGivesNoStep() {
        Result result = derive(base().project("p2", "2222", Fixture.FOLDER)
                .bind(Fixture.accountName("admin", "p1"), "roles/iam.serviceAccountUser", ALICE)
                .bind(Fixture.projectName("p2"), "roles/cloudfunctions.developer", ALICE).build());

        assertNull(step(result, ALICE, Fixture.member("admin", "p1")), "cross-project attachment is not derived");
    }

    @Test
    void cloudBuildDefaultAccountStepIsConditional() {
        String agent = "serviceAccount:1111@cloudbuild.gserviceaccount.com";
        Result result = derive(base().bind(P1, "roles/cloudbuild.builds.builder", agent)
                .bind(P1, "roles/cloudbuild.builds.editor", ALICE).build());

        Step step = step(result, ALICE, agent);
        assertEquals("gcp-022", step.technique());
        assertTrue(step.conditional());
    }

    @Test
    void serviceAgentWithoutRolesGetsNoStep() {
        Result result = derive(base().bind(P1, "roles/deploymentmanager.editor", ALICE).build());

        assertTrue(result.steps().isEmpty());
    }

    @Test
    void expiredGrantGivesNoStep() {
        Result result = derive(base().bindIf(Fixture.accountName("app", "p1"), "roles/iam.serviceAccountTokenCreator",
                "request.time < timestamp('2021-01-01T00:00:00Z')", ALICE).build());

        assertTrue(result.steps().isEmpty());
    }

    @Test
    void conditionalGrantStepNamesCondition() {
        Result result = derive(base().bindIf(Fixture.accountName("app", "p1"), "roles/iam.serviceAccountTokenCreator",
                "request.auth.claims.team == 'ops'", ALICE).build());

        Step step = step(result, ALICE, Fixture.member("app", "p1"));
        assertTrue(step.conditional());
        assertTrue(step.evidence().get(0).note().contains("request.auth.claims.team"), step.evidence().get(0).note());
    }

    @Test
    void resourceAccessFromOwnPolicy() {
        String bucket = "//storage.googleapis.com/reports";
        Result result = derive(base().resource(bucket, "storage.googleapis.com/Bucket", P1, "p1")
                .bind(bucket, "roles/storage.objectViewer", ALICE).bind(P1, "roles/viewer", "user:bob@example.com").build());

        List<Access> access = result.access().stream().filter(a -> a.resource().equals(bucket)).toList();
        assertEquals(1, access.size(), "project-level grants are not repeated per resource");
        assertEquals(ALICE, access.get(0).principal());
        assertEquals(List.of("List", "Read"), access.get(0).accessLevels());
        assertFalse(access.get(0).conditional());
    }

    @Test
    void denyRuleRemovesAccessPermission() {
        String bucket = "//storage.googleapis.com/reports";
        Result result = derive(base().resource(bucket, "storage.googleapis.com/Bucket", P1, "p1")
                .bind(bucket, "roles/storage.admin", ALICE)
                .deny(P1, List.of("principal://goog/subject/alice@example.com"), List.of(),
                        List.of("storage.googleapis.com/buckets.setIamPolicy", "storage.googleapis.com/objects.setIamPolicy",
                                "storage.googleapis.com/managedFolders.setIamPolicy"), null).build());

        Access access = result.access().stream().filter(a -> a.resource().equals(bucket)).findFirst().orElseThrow();
        assertFalse(access.accessLevels().contains("Permissions management"));
        assertTrue(access.evidence().stream().anyMatch(e -> "gcp-deny".equals(e.policyKind())));
    }

    @Test
    void accessLevelsFromVerbs() {
        assertEquals("List", ResourceAccess.levelOf("storage.objects.list"));
        assertEquals("Read", ResourceAccess.levelOf("secretmanager.versions.access"));
        assertEquals("Read", ResourceAccess.levelOf("storage.buckets.getIamPolicy"));
        assertEquals("Write", ResourceAccess.levelOf("storage.objects.create"));
        assertEquals("Permissions management", ResourceAccess.levelOf("pubsub.topics.setIamPolicy"));
        assertEquals("Tagging", ResourceAccess.levelOf("storage.buckets.createTagBinding"));
    }

    @Test
    void defaultAccountsWithEditorFound() {
        String compute = "1111-compute@developer.gserviceaccount.com";
        String appEngine = "p1@appspot.gserviceaccount.com";
        GcpInventory inventory = base().accountWithEmail(compute, "p1").accountWithEmail(appEngine, "p1")
                .bind(P1, "roles/editor", "serviceAccount:" + compute)
                .bind(P1, "roles/viewer", "serviceAccount:" + appEngine)
                .bind(P1, "roles/editor", Fixture.member("app", "p1")).build();

        List<DefaultAccountWithEditor> found = GcpAnalysis.defaultAccountsWithEditor(inventory);

        assertEquals(1, found.size());
        assertEquals(compute, found.get(0).email());
        assertEquals("compute", found.get(0).kind());
        assertEquals("p1", found.get(0).projectId());
        assertEquals(List.of(P1), found.get(0).bindingResources());
    }

    @Test
    void appEngineDefaultWithInheritedEditorFound() {
        String appEngine = "p1@appspot.gserviceaccount.com";
        GcpInventory inventory = base().accountWithEmail(appEngine, "p1")
                .bindIf(Fixture.FOLDER, "roles/editor", "request.time < timestamp('2030-01-01T00:00:00Z')",
                        "serviceAccount:" + appEngine).build();

        List<DefaultAccountWithEditor> found = GcpAnalysis.defaultAccountsWithEditor(inventory);

        assertEquals("app-engine", found.get(0).kind());
        assertTrue(found.get(0).conditional());
    }

    @Test
    void defaultAccountOnlyInBindingsFound() {
        GcpInventory inventory = base().bind(P1, "roles/editor", "serviceAccount:p1@appspot.gserviceaccount.com",
                "serviceAccount:1111-compute@developer.gserviceaccount.com").build();

        List<String> emails = GcpAnalysis.defaultAccountsWithEditor(inventory).stream()
                .map(DefaultAccountWithEditor::email).toList();

        assertEquals(List.of("1111-compute@developer.gserviceaccount.com", "p1@appspot.gserviceaccount.com"), emails);
    }

    @Test
    void userManagedKeysCounted() {
        String app = Fixture.email("app", "p1");
        GcpInventory inventory = base().key(app, "k1", true, false).key(app, "k2", true, true)
                .key(app, "k3", false, false).build();

        Map<String, UserManagedKeys> counts = GcpAnalysis.userManagedKeyCounts(inventory);

        assertEquals(new UserManagedKeys(2, 1), counts.get(app));
        assertNull(counts.get(Fixture.email("admin", "p1")));
    }
}
