package dev.nhigraph.gcp.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpRoleCatalog;
import dev.nhigraph.gcp.analysis.GcpAuthorization.Decision;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.eval.Tri;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GcpAuthorizationTest {

    private static final Instant SNAPSHOT = Instant.parse("2026-06-01T12:00:00Z");
    private static final String TOKEN = "iam.serviceAccounts.getAccessToken";
    private static final String ALICE = "user:alice@example.com";
    private static final String APP = Fixture.accountName("app", "p1");

    private static Fixture base() {
        return new Fixture().project("p1", "1111", Fixture.FOLDER).account("app", "p1");
    }

    private static GcpAuthorization authorize(GcpInventory inventory) {
        return new GcpAuthorization(inventory, GcpRoleCatalog.loadDefault(), SNAPSHOT);
    }

    @Test
    void orgBindingInheritedByAccount() {
        GcpAuthorization auth = authorize(base().bind(Fixture.ORG, "roles/iam.serviceAccountTokenCreator", ALICE).build());

        Decision decision = auth.decide(ALICE, TOKEN, APP);

        assertEquals(Tri.TRUE, decision.result());
        Evidence evidence = decision.allowing().get(0);
        assertEquals(Fixture.ORG + "#iam-policy", evidence.policy());
        assertEquals("roles/iam.serviceAccountTokenCreator", evidence.policyName());
        assertEquals("gcp-binding", evidence.policyKind());
        assertEquals(List.of(TOKEN), evidence.actions());
        assertEquals(List.of(Fixture.ORG), evidence.resources());
        assertEquals(List.of(ALICE), evidence.principals());
        assertNull(evidence.condition());
    }

    @Test
    void folderBindingInheritedButNotSideways() {
        GcpInventory inventory = base().project("p2", "2222", Fixture.ORG).account("other", "p2")
                .bind(Fixture.FOLDER, "roles/iam.serviceAccountTokenCreator", ALICE).build();
        GcpAuthorization auth = authorize(inventory);

        assertEquals(Tri.TRUE, auth.decide(ALICE, TOKEN, APP).result());
        assertEquals(Tri.FALSE, auth.decide(ALICE, TOKEN, Fixture.accountName("other", "p2")).result());
    }

    @Test
    void roleWithoutPermissionGrantsNothing() {
        GcpAuthorization auth = authorize(base().bind(Fixture.projectName("p1"), "roles/viewer", ALICE).build());

        assertEquals(Tri.FALSE, auth.decide(ALICE, TOKEN, APP).result());
    }

    @Test
    void convenienceMemberMatchesProjectEditors() {
        String bucket = "//storage.googleapis.com/logs";
        GcpInventory inventory = base().resource(bucket, "storage.googleapis.com/Bucket", Fixture.projectName("p1"), "p1")
                .bind(Fixture.projectName("p1"), "roles/editor", ALICE)
                .bind(Fixture.projectName("p1"), "roles/viewer", "user:bob@example.com")
                .bind(bucket, "roles/storage.objectViewer", "projectEditor:p1").build();
        GcpAuthorization auth = authorize(inventory);

        Decision alice = auth.decide(ALICE, "storage.objects.get", bucket);

        assertEquals(Tri.TRUE, alice.result());
        assertEquals(List.of("projectEditor:p1"), alice.allowing().get(0).principals());
        assertEquals(Tri.FALSE, auth.decide("user:bob@example.com", "storage.objects.get", bucket).result());
    }

    @Test
    void allAuthenticatedUsersExcludesAnonymous() {
        GcpAuthorization auth = authorize(base()
                .bind(APP, "roles/iam.serviceAccountTokenCreator", "allAuthenticatedUsers").build());

        assertEquals(Tri.TRUE, auth.decide(ALICE, TOKEN, APP).result());
        assertEquals(Tri.TRUE, auth.decide(Fixture.member("app", "p1"), TOKEN, APP).result());
        assertEquals(Tri.FALSE, auth.decide("allUsers", TOKEN, APP).result());
    }

    @Test
    void allUsersIncludesAuthenticated() {
        GcpAuthorization auth = authorize(base().bind(APP, "roles/iam.serviceAccountTokenCreator", "allUsers").build());

        assertEquals(Tri.TRUE, auth.decide("allAuthenticatedUsers", TOKEN, APP).result());
        assertEquals(Tri.TRUE, auth.decide(ALICE, TOKEN, APP).result());
    }

    @Test
    void domainIncludesUsersAndGroupsNotAccounts() {
        GcpAuthorization auth = authorize(base().bind(APP, "roles/iam.serviceAccountTokenCreator", "domain:example.com")
                .build());

        assertEquals(Tri.TRUE, auth.decide(ALICE, TOKEN, APP).result());
        assertEquals(Tri.TRUE, auth.decide("group:ops@example.com", TOKEN, APP).result());
        assertEquals(Tri.FALSE, auth.decide("serviceAccount:robot@example.com", TOKEN, APP).result());
        assertEquals(Tri.FALSE, auth.decide("user:eve@example.org", TOKEN, APP).result());
    }

    @Test
    void groupIncludesOnlyItself() {
        GcpAuthorization auth = authorize(base().bind(APP, "roles/iam.serviceAccountTokenCreator", "group:ops@example.com")
                .build());

        assertEquals(Tri.TRUE, auth.decide("group:ops@example.com", TOKEN, APP).result());
        assertEquals(Tri.FALSE, auth.decide(ALICE, TOKEN, APP).result(), "membership is not in the bundle");
    }

    @Test
    void deletedMemberNotRecreatedAccount() {
        String deleted = "deleted:serviceAccount:" + Fixture.email("old", "p1") + "?uid=123";
        GcpAuthorization auth = authorize(base().account("old", "p1")
                .bind(APP, "roles/iam.serviceAccountTokenCreator", deleted).build());

        assertEquals(Tri.FALSE, auth.decide(Fixture.member("old", "p1"), TOKEN, APP).result());
        assertEquals(Tri.TRUE, auth.decide(deleted, TOKEN, APP).result());
    }

    @Test
    void accountsOfContainerSet() {
        String set = "principalSet://cloudresourcemanager.googleapis.com/folders/" + Fixture.FOLDER_ID + "/type/ServiceAccount";
        GcpInventory inventory = base().project("p2", "2222", Fixture.ORG).account("ci", "p2").account("job", "p1")
                .bind(APP, "roles/iam.serviceAccountTokenCreator", set).build();
        GcpAuthorization auth = authorize(inventory);

        assertEquals(Tri.TRUE, auth.decide(Fixture.member("job", "p1"), TOKEN, APP).result());
        assertEquals(Tri.FALSE, auth.decide(Fixture.member("ci", "p2"), TOKEN, APP).result());
        assertEquals(Tri.FALSE, auth.decide(ALICE, TOKEN, APP).result());
    }

    @Test
    void expiredConditionGrantsNothing() {
        GcpAuthorization auth = authorize(base().bindIf(APP, "roles/iam.serviceAccountTokenCreator",
                "request.time < timestamp('2020-01-01T00:00:00Z')", ALICE).build());

        assertEquals(Tri.FALSE, auth.decide(ALICE, TOKEN, APP).result());
    }

    @Test
    void notYetValidConditionIsConditional() {
        String expression = "request.time >= timestamp(\"2027-01-01T00:00:00Z\")";
        GcpAuthorization auth = authorize(base().bindIf(APP, "roles/iam.serviceAccountTokenCreator", expression, ALICE)
                .build());

        Decision decision = auth.decide(ALICE, TOKEN, APP);

        assertEquals(Tri.UNKNOWN, decision.result());
        assertEquals(List.of("test-condition: " + expression), decision.undecidedConditions());
        assertEquals(expression, decision.allowing().get(0).condition().path("expression").asText());
        assertTrue(decision.allowing().get(0).note().contains("2027-01-01T00:00:00Z"), decision.allowing().get(0).note());
    }

    @Test
    void validWindowConditionGrants() {
        GcpAuthorization auth = authorize(base().bindIf(APP, "roles/iam.serviceAccountTokenCreator",
                "request.time > timestamp('2025-01-01T00:00:00Z') && request.time < timestamp('2027-01-01T00:00:00Z')",
                ALICE).build());

        assertEquals(Tri.TRUE, auth.decide(ALICE, TOKEN, APP).result());
    }

    @Test
    void recurringBusinessHoursGrant() {
        GcpAuthorization auth = authorize(base().bindIf(Fixture.projectName("p1"), "roles/owner",
                "request.time.getHours(\"America/Los_Angeles\") >= 9 && request.time.getHours(\"America/Los_Angeles\") <= 17",
                ALICE).build());

        Decision decision = auth.decide(ALICE, "resourcemanager.projects.setIamPolicy", Fixture.projectName("p1"));

        assertEquals(Tri.TRUE, decision.result());
        assertTrue(decision.allowing().get(0).note().contains("recurring"), decision.allowing().get(0).note());
    }

    @Test
    void impossibleRecurringWindowGrantsNothing() {
        GcpAuthorization auth = authorize(base().bindIf(Fixture.projectName("p1"), "roles/owner",
                "request.time.getHours('UTC') > 17 && request.time.getHours('UTC') < 9", ALICE).build());

        assertEquals(Tri.FALSE, auth.decide(ALICE, "resourcemanager.projects.setIamPolicy", Fixture.projectName("p1")).result());
    }

    @Test
    void resourceNameConditionMatchesRightResource() {
        String secrets = "//secretmanager.googleapis.com/projects/p1/secrets/";
        GcpInventory inventory = base()
                .resource(secrets + "app-db", "secretmanager.googleapis.com/Secret", Fixture.projectName("p1"), "p1")
                .resource(secrets + "billing", "secretmanager.googleapis.com/Secret", Fixture.projectName("p1"), "p1")
                .bindIf(Fixture.projectName("p1"), "roles/secretmanager.secretAccessor",
                        "resource.name.startsWith(\"projects/p1/secrets/app-\")", ALICE).build();
        GcpAuthorization auth = authorize(inventory);

        assertEquals(Tri.TRUE, auth.decide(ALICE, "secretmanager.versions.access", secrets + "app-db").result());
        assertEquals(Tri.FALSE, auth.decide(ALICE, "secretmanager.versions.access", secrets + "billing").result());
    }

    @Test
    void resourceNameByProjectNumberMatches() {
        GcpAuthorization auth = authorize(base().bindIf(Fixture.projectName("p1"), "roles/iam.serviceAccountTokenCreator",
                "resource.name == 'projects/-/serviceAccounts/" + Fixture.email("app", "p1") + "'", ALICE).build());

        assertEquals(Tri.TRUE, auth.decide(ALICE, TOKEN, APP).result());
    }

    @Test
    void resourceTypeConditionChecksType() {
        String bucket = "//storage.googleapis.com/data";
        GcpInventory inventory = base().resource(bucket, "storage.googleapis.com/Bucket", Fixture.projectName("p1"), "p1")
                .bindIf(Fixture.projectName("p1"), "roles/editor", "resource.type == 'storage.googleapis.com/Bucket'", ALICE)
                .build();
        GcpAuthorization auth = authorize(inventory);

        assertEquals(Tri.TRUE, auth.decide(ALICE, "storage.buckets.delete", bucket).result());
        assertEquals(Tri.FALSE, auth.decide(ALICE, "iam.serviceAccountKeys.create", APP).result());
    }

    @Test
    void resourceConditionOnCreateIsConditional() {
        GcpAuthorization auth = authorize(base().bindIf(Fixture.projectName("p1"), "roles/compute.instanceAdmin.v1",
                "resource.name.startsWith('projects/p1/zones/us-east1-b/')", ALICE).build());

        Decision decision = auth.decide(ALICE, "compute.instances.create", Fixture.projectName("p1"));

        assertEquals(Tri.UNKNOWN, decision.result(), "the instance to be created is not in the snapshot");
    }

    @Test
    void unsupportedAttributeIsConditional() {
        GcpAuthorization auth = authorize(base().bindIf(APP, "roles/iam.serviceAccountTokenCreator",
                "resource.matchTag('123/env', 'prod')", ALICE).build());

        Decision decision = auth.decide(ALICE, TOKEN, APP);

        assertEquals(Tri.UNKNOWN, decision.result());
        assertTrue(decision.allowing().get(0).note().contains("resource.matchTag('123/env', 'prod')"));
    }

    @Test
    void unparsableConditionWarnsAndIsConditional() {
        GcpAuthorization auth = authorize(base().bindIf(APP, "roles/iam.serviceAccountTokenCreator",
                "request.time < ", ALICE).build());

        assertEquals(Tri.UNKNOWN, auth.decide(ALICE, TOKEN, APP).result());
        assertTrue(auth.warnings().stream().anyMatch(w -> w.contains("could not be parsed")), auth.warnings().toString());
    }

    @Test
    void denyRuleWithExceptionPrincipal() {
        GcpInventory inventory = base()
                .bind(Fixture.projectName("p1"), "roles/iam.serviceAccountKeyAdmin", ALICE, "user:admin@example.com")
                .deny(Fixture.ORG, List.of(Principals.PUBLIC_ALL), List.of("principal://goog/subject/admin@example.com"),
                        List.of("iam.googleapis.com/serviceAccountKeys.create"), null).build();
        GcpAuthorization auth = authorize(inventory);

        Decision alice = auth.decide(ALICE, "iam.serviceAccountKeys.create", APP);

        assertEquals(Tri.FALSE, alice.result());
        assertEquals("gcp-deny", alice.denying().get(0).policyKind());
        assertEquals(List.of(Principals.PUBLIC_ALL), alice.denying().get(0).principals());
        assertEquals(Tri.TRUE, auth.decide("user:admin@example.com", "iam.serviceAccountKeys.create", APP).result());
        assertEquals(Tri.TRUE, auth.decide(ALICE, "iam.serviceAccountKeys.delete", APP).result());
    }

    @Test
    void denyRuleForAccountIdentifier() {
        String app = Fixture.member("app", "p1");
        GcpInventory inventory = base().account("ci", "p1").bind(Fixture.projectName("p1"), "roles/editor", app)
                .deny(Fixture.projectName("p1"),
                        List.of("principal://iam.googleapis.com/projects/-/serviceAccounts/" + Fixture.email("app", "p1")),
                        List.of(), List.of("cloudresourcemanager.googleapis.com/projects.delete",
                                "iam.googleapis.com/serviceAccounts.*"), null).build();
        GcpAuthorization auth = authorize(inventory);

        assertEquals(Tri.FALSE, auth.decide(app, "resourcemanager.projects.delete", Fixture.projectName("p1")).result());
        assertEquals(Tri.FALSE, auth.decide(app, "iam.serviceAccounts.actAs", Fixture.accountName("ci", "p1")).result());
        assertEquals(Tri.TRUE, auth.decide(app, "iam.serviceAccountKeys.create", Fixture.accountName("ci", "p1")).result());
    }

    @Test
    void conditionalDenyMakesConditional() {
        GcpInventory inventory = base().bind(APP, "roles/iam.serviceAccountTokenCreator", ALICE)
                .deny(Fixture.projectName("p1"), List.of("principal://goog/subject/alice@example.com"), List.of(),
                        List.of("iam.googleapis.com/serviceAccounts.getAccessToken"),
                        "resource.matchTag('100/env', 'prod')").build();
        GcpAuthorization auth = authorize(inventory);

        Decision decision = auth.decide(ALICE, TOKEN, APP);

        assertEquals(Tri.UNKNOWN, decision.result());
        assertEquals(1, decision.denying().size());
        assertEquals(List.of("deny-condition: resource.matchTag('100/env', 'prod')"), decision.undecidedConditions());
    }

    @Test
    void unknownRoleWarnsOnce() {
        GcpAuthorization auth = authorize(base().bind(APP, "projects/p1/roles/missing", ALICE)
                .bind(Fixture.projectName("p1"), "projects/p1/roles/missing", ALICE).build());

        assertEquals(Tri.FALSE, auth.decide(ALICE, TOKEN, APP).result());
        assertEquals(Tri.FALSE, auth.decide(ALICE, "iam.serviceAccounts.actAs", APP).result());
        assertEquals(1, auth.warnings().stream().filter(w -> w.contains("projects/p1/roles/missing")).count());
    }

    @Test
    void deletedCustomRoleGrantsNothing() {
        GcpAuthorization auth = authorize(base().deletedRole("projects/p1/roles/tokens", TOKEN)
                .bind(APP, "projects/p1/roles/tokens", ALICE).build());

        assertEquals(Tri.FALSE, auth.decide(ALICE, TOKEN, APP).result());
        assertTrue(auth.warnings().stream().anyMatch(w -> w.contains("deleted")));
    }

    @Test
    void customRoleGrantsItsPermissions() {
        GcpAuthorization auth = authorize(base().role("projects/p1/roles/tokens", TOKEN)
                .bind(APP, "projects/p1/roles/tokens", ALICE).build());

        assertEquals(Tri.TRUE, auth.decide(ALICE, TOKEN, APP).result());
    }

    @Test
    void memberIncludesForPathSearch() {
        GcpAuthorization auth = authorize(base().bind(Fixture.projectName("p1"), "roles/editor", ALICE)
                .bindIf(Fixture.projectName("p1"), "roles/viewer", "resource.matchTag('100/env', 'dev')",
                        "user:bob@example.com").build());

        assertEquals(Tri.TRUE, auth.memberIncludes("allAuthenticatedUsers", ALICE));
        assertEquals(Tri.TRUE, auth.memberIncludes("domain:example.com", ALICE));
        assertEquals(Tri.TRUE, auth.memberIncludes("projectEditor:p1", ALICE));
        assertEquals(Tri.UNKNOWN, auth.memberIncludes("projectViewer:p1", "user:bob@example.com"));
        assertEquals(Tri.FALSE, auth.memberIncludes("projectOwner:p1", ALICE));
        assertEquals(Tri.FALSE, auth.memberIncludes("group:ops@example.com", ALICE));
    }
}
