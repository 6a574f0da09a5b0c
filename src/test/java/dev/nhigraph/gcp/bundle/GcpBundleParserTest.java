package dev.nhigraph.gcp.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.BadInputException;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.aws.IamModel.SkippedItem;
import dev.nhigraph.aws.bundle.Bundle;
import dev.nhigraph.aws.bundle.BundleReader;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpInventory.Binding;
import dev.nhigraph.gcp.GcpInventory.DenyRule;
import dev.nhigraph.gcp.GcpInventory.Resource;
import dev.nhigraph.gcp.GcpInventory.Role;
import dev.nhigraph.gcp.GcpInventory.ServiceAccount;
import dev.nhigraph.gcp.GcpInventory.ServiceAccountKey;
import dev.nhigraph.gcp.GcpNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading of gcloud outputs through {@link BundleReader}, as {@code nhigraph load} does. The samples follow the
 * shapes of the Cloud Asset Inventory, IAM and Resource Manager API references; the file names are deliberately
 * unhelpful, because files are recognised by content only.
 */
class GcpBundleParserTest {

    private static final String ORG = "//cloudresourcemanager.googleapis.com/organizations/111122223333";
    private static final String FOLDER = "//cloudresourcemanager.googleapis.com/folders/444455556666";
    private static final String PROJECT = "//cloudresourcemanager.googleapis.com/projects/payments-prod";
    private static final String DEPLOYER = "deployer@payments-prod.iam.gserviceaccount.com";

    private static final String PROJECTS_LIST = """
            [
              {
                "createTime": "2023-04-11T09:12:44.113Z",
                "lifecycleState": "ACTIVE",
                "name": "Payments production",
                "parent": {"id": "444455556666", "type": "folder"},
                "projectId": "payments-prod",
                "projectNumber": "987654321098"
              }
            ]
            """;

    private static final String SERVICE_ACCOUNTS_LIST = """
            [
              {
                "displayName": "CI deployer",
                "email": "deployer@payments-prod.iam.gserviceaccount.com",
                "etag": "MDEwMjE5MjA=",
                "name": "projects/payments-prod/serviceAccounts/deployer@payments-prod.iam.gserviceaccount.com",
                "oauth2ClientId": "104657231171339876543",
                "projectId": "payments-prod",
                "uniqueId": "104657231171339876543"
              },
              {
                "disabled": true,
                "email": "987654321098-compute@developer.gserviceaccount.com",
                "name": "projects/payments-prod/serviceAccounts/987654321098-compute@developer.gserviceaccount.com",
                "projectId": "payments-prod",
                "uniqueId": "117770001112223334445"
              }
            ]
            """;

    @TempDir
    Path dir;

    @Test
    void policySearch_readsBindingsWithIndexAndCondition() throws IOException {
        write("a.json", """
                [
                  {
                    "assetType": "cloudresourcemanager.googleapis.com/Project",
                    "folders": ["folders/444455556666"],
                    "organization": "organizations/111122223333",
                    "policy": {
                      "bindings": [
                        {"members": ["user:alice@example.com", "group:ops@example.com"], "role": "roles/owner"},
                        {
                          "condition": {
                            "description": "Only until the migration ends",
                            "expression": "request.time < timestamp(\\"2025-01-01T00:00:00Z\\")",
                            "title": "expires-2025"
                          },
                          "members": ["serviceAccount:deployer@payments-prod.iam.gserviceaccount.com"],
                          "role": "roles/iam.serviceAccountKeyAdmin"
                        }
                      ],
                      "etag": "BwYJ0Ex3nyI=",
                      "version": 3
                    },
                    "project": "projects/987654321098",
                    "resource": "//cloudresourcemanager.googleapis.com/projects/payments-prod"
                  }
                ]
                """);

        GcpInventory gcp = read().gcp();

        assertEquals(2, gcp.bindings().size(), gcp.bindings().toString());
        Binding owner = gcp.bindings().get(0);
        Binding conditional = gcp.bindings().get(1);
        assertEquals(PROJECT, owner.resource());
        assertEquals(List.of("user:alice@example.com", "group:ops@example.com"), owner.members());
        assertNull(owner.condition());
        assertEquals(0, owner.index());
        assertEquals(1, conditional.index());
        assertEquals("expires-2025", conditional.condition().title());
        assertEquals("Only until the migration ends", conditional.condition().description());
        assertTrue(conditional.condition().expression().startsWith("request.time <"), conditional.condition().expression());
        assertTrue(owner.sourceFile().endsWith("a.json"), owner.sourceFile());
    }

    @Test
    void policySearch_ancestryPlacesProjectFolderAndOrganization() throws IOException {
        write("policies.json", """
                [
                  {
                    "assetType": "storage.googleapis.com/Bucket",
                    "folders": ["folders/444455556666"],
                    "organization": "organizations/111122223333",
                    "policy": {"bindings": [{"members": ["allUsers"], "role": "roles/storage.objectViewer"}]},
                    "project": "projects/987654321098",
                    "resource": "//storage.googleapis.com/payments-invoices"
                  }
                ]
                """);
        write("p.json", PROJECTS_LIST);

        GcpInventory gcp = read().gcp();

        assertEquals(PROJECT, resource(gcp, "//storage.googleapis.com/payments-invoices").parent());
        assertEquals("payments-prod", resource(gcp, "//storage.googleapis.com/payments-invoices").projectId());
        assertEquals(FOLDER, resource(gcp, PROJECT).parent());
        assertEquals(ORG, resource(gcp, FOLDER).parent());
        assertNull(resource(gcp, ORG).parent());
        assertEquals(GcpNames.FOLDER_TYPE, resource(gcp, FOLDER).assetType());
    }

    @Test
    void projectByNumberAndById_isOneResource() throws IOException {
        write("numbered.json", """
                [
                  {
                    "assetType": "cloudresourcemanager.googleapis.com/Project",
                    "policy": {"bindings": [{"members": ["user:bob@example.com"], "role": "roles/viewer"}]},
                    "project": "projects/987654321098",
                    "resource": "//cloudresourcemanager.googleapis.com/projects/987654321098"
                  }
                ]
                """);
        write("x.json", PROJECTS_LIST);

        GcpInventory gcp = read().gcp();

        List<Resource> projects = gcp.resources().stream().filter(r -> GcpNames.PROJECT_TYPE.equals(r.assetType())).toList();
        assertEquals(1, projects.size(), projects.toString());
        assertEquals(PROJECT, projects.get(0).name());
        assertEquals("Payments production", projects.get(0).displayName());
        assertEquals("ACTIVE", projects.get(0).state());
        assertEquals(PROJECT, gcp.bindings().get(0).resource());
        assertEquals("payments-prod", gcp.projectNumbers().get("987654321098"));
    }

    @Test
    void projectNumberWithoutProjectList_isWarned() throws IOException {
        write("numbered.json", """
                [
                  {
                    "assetType": "cloudresourcemanager.googleapis.com/Project",
                    "policy": {"bindings": [{"members": ["user:bob@example.com"], "role": "roles/viewer"}]},
                    "project": "projects/555555555555",
                    "resource": "//cloudresourcemanager.googleapis.com/projects/555555555555"
                  }
                ]
                """);

        GcpInventory gcp = read().gcp();

        assertEquals("//cloudresourcemanager.googleapis.com/projects/555555555555", gcp.bindings().get(0).resource());
        assertTrue(gcp.warnings().stream().anyMatch(w -> w.contains("555555555555") && w.contains("gcloud projects list")),
                gcp.warnings().toString());
    }

    @Test
    void serviceAccountByUniqueId_inPolicyResource() throws IOException {
        write("sa-policies.json", """
                [
                  {
                    "assetType": "iam.googleapis.com/ServiceAccount",
                    "policy": {
                      "bindings": [{"members": ["user:carol@example.com"], "role": "roles/iam.serviceAccountTokenCreator"}]
                    },
                    "project": "projects/987654321098",
                    "resource": "//iam.googleapis.com/projects/payments-prod/serviceAccounts/104657231171339876543"
                  }
                ]
                """);
        write("accounts.json", SERVICE_ACCOUNTS_LIST);

        GcpInventory gcp = read().gcp();

        String accountName = GcpNames.serviceAccountName("payments-prod", DEPLOYER);
        assertEquals(accountName, gcp.bindings().get(0).resource());
        assertEquals(1, gcp.resources().stream().filter(r -> r.name().equals(accountName)).count());
        assertEquals(GcpNames.SERVICE_ACCOUNT_TYPE, resource(gcp, accountName).assetType());
        assertEquals(PROJECT, resource(gcp, accountName).parent());
    }

    @Test
    void serviceAccountList_readsAccountsAndComputeProjectNumber() throws IOException {
        write("accounts.json", SERVICE_ACCOUNTS_LIST);

        GcpInventory gcp = read().gcp();

        assertEquals(2, gcp.serviceAccounts().size());
        ServiceAccount deployer = gcp.serviceAccounts().get(0);
        ServiceAccount compute = gcp.serviceAccounts().get(1);
        assertEquals(DEPLOYER, deployer.email());
        assertEquals("payments-prod", deployer.projectId());
        assertEquals("104657231171339876543", deployer.uniqueId());
        assertEquals("CI deployer", deployer.displayName());
        assertFalse(deployer.disabled());
        assertTrue(compute.disabled());
        assertNull(compute.displayName());
        // The Compute Engine default account's email gives the project number.
        assertEquals("payments-prod", gcp.projectNumbers().get("987654321098"));
    }

    @Test
    void duplicateAccountAcrossFiles_isMergedAndConflictWarned() throws IOException {
        write("one.json", SERVICE_ACCOUNTS_LIST);
        write("two.json", """
                {
                  "displayName": "Deployer (renamed)",
                  "email": "deployer@payments-prod.iam.gserviceaccount.com",
                  "name": "projects/payments-prod/serviceAccounts/deployer@payments-prod.iam.gserviceaccount.com",
                  "projectId": "payments-prod",
                  "uniqueId": "104657231171339876543"
                }
                """);

        GcpInventory gcp = read().gcp();

        assertEquals(2, gcp.serviceAccounts().size());
        assertEquals("CI deployer", gcp.serviceAccounts().get(0).displayName());
        assertTrue(gcp.warnings().stream().anyMatch(w -> w.contains(DEPLOYER) && w.contains("Deployer (renamed)")
                && w.contains("kept CI deployer")), gcp.warnings().toString());
    }

    @Test
    void bucketInIamForm_mergesWithAssetForm() throws IOException {
        write("resources.json", """
                [
                  {
                    "assetType": "storage.googleapis.com/Bucket",
                    "displayName": "payments-invoices",
                    "location": "us",
                    "name": "//storage.googleapis.com/payments-invoices",
                    "parentAssetType": "cloudresourcemanager.googleapis.com/Project",
                    "parentFullResourceName": "//cloudresourcemanager.googleapis.com/projects/payments-prod",
                    "project": "projects/987654321098",
                    "state": "READY"
                  }
                ]
                """);
        write("policies.json", """
                [
                  {
                    "assetType": "storage.googleapis.com/Bucket",
                    "policy": {"bindings": [{"members": ["projectViewer:payments-prod"], "role": "roles/storage.legacyBucketReader"}]},
                    "project": "projects/987654321098",
                    "resource": "//storage.googleapis.com/projects/_/buckets/payments-invoices"
                  }
                ]
                """);

        GcpInventory gcp = read().gcp();

        assertEquals("//storage.googleapis.com/payments-invoices", gcp.bindings().get(0).resource());
        assertEquals(1, gcp.resources().stream().filter(r -> r.name().contains("payments-invoices")).count());
        Resource bucket = resource(gcp, "//storage.googleapis.com/payments-invoices");
        assertEquals("READY", bucket.state());
        assertEquals(PROJECT, bucket.parent());
        assertEquals("payments-invoices", bucket.displayName());
    }

    @Test
    void resourceSearch_parentOverridesAncestry() throws IOException {
        write("resources.json", """
                [
                  {
                    "assetType": "bigquery.googleapis.com/Table",
                    "displayName": "ledger",
                    "folders": ["folders/444455556666"],
                    "name": "//bigquery.googleapis.com/projects/payments-prod/datasets/finance/tables/ledger",
                    "organization": "organizations/111122223333",
                    "parentAssetType": "bigquery.googleapis.com/Dataset",
                    "parentFullResourceName": "//bigquery.googleapis.com/projects/payments-prod/datasets/finance",
                    "project": "projects/987654321098",
                    "someFieldAddedLater": {"nested": true}
                  }
                ]
                """);
        write("p.json", PROJECTS_LIST);

        GcpInventory gcp = read().gcp();

        Resource table = resource(gcp, "//bigquery.googleapis.com/projects/payments-prod/datasets/finance/tables/ledger");
        assertEquals("//bigquery.googleapis.com/projects/payments-prod/datasets/finance", table.parent());
        assertEquals("payments-prod", table.projectId());
        assertEquals("bigquery.googleapis.com/Table", table.assetType());
    }

    @Test
    void hierarchyLists_giveParentsInBothApiVersions() throws IOException {
        write("orgs.json", """
                [
                  {
                    "creationTime": "2019-02-01T10:00:00.000Z",
                    "displayName": "example.com",
                    "lifecycleState": "ACTIVE",
                    "name": "organizations/111122223333",
                    "owner": {"directoryCustomerId": "C01abcde2"}
                  }
                ]
                """);
        write("folders.json", """
                [
                  {"displayName": "Production", "name": "folders/444455556666", "parent": "organizations/111122223333", "state": "ACTIVE"},
                  {"displayName": "Payments", "lifecycleState": "ACTIVE", "name": "folders/777788889999", "parent": "folders/444455556666"}
                ]
                """);
        write("describe.json", """
                {
                  "createTime": "2024-01-02T03:04:05.000Z",
                  "displayName": "Payments staging",
                  "name": "projects/123123123123",
                  "parent": "folders/777788889999",
                  "projectId": "payments-staging",
                  "state": "DELETE_REQUESTED"
                }
                """);

        GcpInventory gcp = read().gcp();

        assertEquals("example.com", resource(gcp, ORG).displayName());
        assertEquals(ORG, resource(gcp, FOLDER).parent());
        assertEquals("ACTIVE", resource(gcp, FOLDER).state());
        assertEquals(FOLDER, resource(gcp, "//cloudresourcemanager.googleapis.com/folders/777788889999").parent());
        Resource staging = resource(gcp, "//cloudresourcemanager.googleapis.com/projects/payments-staging");
        assertEquals("//cloudresourcemanager.googleapis.com/folders/777788889999", staging.parent());
        assertEquals("Payments staging", staging.displayName());
        assertEquals("DELETE_REQUESTED", staging.state());
        assertEquals("payments-staging", gcp.projectNumbers().get("123123123123"));
        assertTrue(gcp.warnings().isEmpty(), gcp.warnings().toString());
    }

    @Test
    void conflictingParents_keepFirstAndWarn() throws IOException {
        write("a-projects.json", PROJECTS_LIST);
        write("b-describe.json", """
                {
                  "lifecycleState": "ACTIVE",
                  "name": "Payments production",
                  "parent": {"id": "111122223333", "type": "organization"},
                  "projectId": "payments-prod",
                  "projectNumber": "987654321098"
                }
                """);

        GcpInventory gcp = read().gcp();

        assertEquals(FOLDER, resource(gcp, PROJECT).parent());
        assertTrue(gcp.warnings().stream().anyMatch(w -> w.contains(PROJECT) && w.contains("kept " + FOLDER)),
                gcp.warnings().toString());
    }

    @Test
    void projectWithoutParent_isWarned() throws IOException {
        write("describe.json", """
                {"lifecycleState": "ACTIVE", "name": "Sandbox", "projectId": "sandbox-1", "projectNumber": "222"}
                """);

        GcpInventory gcp = read().gcp();

        assertTrue(gcp.warnings().stream().anyMatch(w -> w.contains("projects/sandbox-1") && w.contains("no parent")),
                gcp.warnings().toString());
    }

    @Test
    void unknownMemberPrefix_warnsOnce() throws IOException {
        write("policies.json", """
                [{"resource": "//cloudresourcemanager.googleapis.com/projects/sandbox-1", "project": "projects/222",
                  "policy": {"bindings": [
                    {"role": "roles/viewer", "members": ["serviceaccount:ci@sandbox-1.iam.gserviceaccount.com",
                                                         "serviceaccount:cd@sandbox-1.iam.gserviceaccount.com"]},
                    {"role": "roles/browser", "members": ["robot:build-bot@example.com", "user:ann@example.com",
                                                          "allUsers", "projectViewer:sandbox-1"]}]}}]
                """);

        List<String> warnings = read().gcp().warnings();

        List<String> members = warnings.stream().filter(w -> w.contains("a member of a form that IAM does not have")).toList();
        assertEquals(2, members.size(), warnings.toString());
        assertTrue(members.get(0).contains("binding 0 (roles/viewer) on //cloudresourcemanager.googleapis.com/projects/sandbox-1"),
                members.get(0));
        assertTrue(members.get(0).contains("names serviceaccount:ci@sandbox-1.iam.gserviceaccount.com"), members.get(0));
        assertTrue(members.get(0).contains("Did you mean serviceAccount:?"), members.get(0));
        assertTrue(members.get(1).contains("names robot:build-bot@example.com"), members.get(1));
        assertFalse(members.get(1).contains("Did you mean"), members.get(1));
    }

    @Test
    void projectWithoutParent_warningNamesProjectsList() throws IOException {
        write("describe.json", """
                {"lifecycleState": "ACTIVE", "name": "Sandbox", "projectId": "sandbox-1", "projectNumber": "222"}
                """);

        String warning = warningContaining(read().gcp(), "no parent");

        assertTrue(warning.startsWith("1 GCP project has no parent in the bundle"), warning);
        assertTrue(warning.contains("//cloudresourcemanager.googleapis.com/projects/sandbox-1"), warning);
        assertTrue(warning.contains("`gcloud projects list --format=json`"), warning);
        assertTrue(warning.contains("A project outside any organization has no parent"), warning);
        assertFalse(warning.contains("search-all-resources"), warning);
    }

    @Test
    void foldersWithoutParent_warningNamesFoldersList() throws IOException {
        write("folders.json", """
                [
                  {"displayName": "Production", "name": "folders/444455556666", "state": "ACTIVE"},
                  {"displayName": "Payments", "name": "folders/777788889999", "state": "ACTIVE"}
                ]
                """);

        String warning = warningContaining(read().gcp(), "no parent");

        assertTrue(warning.startsWith("2 GCP folders have no parent in the bundle"), warning);
        assertTrue(warning.contains("folders/444455556666, //cloudresourcemanager.googleapis.com/folders/777788889999"),
                warning);
        assertTrue(warning.contains("`gcloud resource-manager folders list --organization=ORGANIZATION_ID --format=json`"),
                warning);
        assertTrue(warning.contains("--folder=FOLDER_ID"), warning);
        assertFalse(warning.contains("gcloud projects list"), warning);
    }

    @Test
    void resourcesWithoutParent_warningNamesFirstFive() throws IOException {
        StringBuilder buckets = new StringBuilder("[");
        for (int i = 1; i <= 7; i++) {
            buckets.append(i == 1 ? "" : ",").append("{\"assetType\": \"storage.googleapis.com/Bucket\",")
                    .append(" \"name\": \"//storage.googleapis.com/orphan-").append(i).append("\"}");
        }
        write("resources.json", buckets.append("]").toString());

        String warning = warningContaining(read().gcp(), "no parent");

        assertTrue(warning.startsWith("7 GCP resources have no parent in the bundle"), warning);
        assertTrue(warning.contains("//storage.googleapis.com/orphan-5 and 2 more."), warning);
        assertFalse(warning.contains("orphan-6"), warning);
        assertTrue(warning.contains("`gcloud asset search-all-resources --scope=organizations/ORGANIZATION_ID"), warning);
    }

    private static String warningContaining(GcpInventory gcp, String part) {
        return gcp.warnings().stream().filter(w -> w.contains(part)).findFirst()
                .orElseThrow(() -> new AssertionError("no warning contains \"" + part + "\": " + gcp.warnings()));
    }

    @Test
    void roles_describeWinsOverListAndDeletedRoleKept() throws IOException {
        write("list.json", """
                [
                  {
                    "description": "Deploys the payment services",
                    "etag": "BwXhqDRLr2A=",
                    "name": "projects/payments-prod/roles/deployer",
                    "stage": "GA",
                    "title": "Deployer"
                  },
                  {
                    "deleted": true,
                    "etag": "BwXhqDRLr2B=",
                    "name": "organizations/111122223333/roles/legacyAdmin",
                    "title": "Legacy admin"
                  },
                  {
                    "etag": "BwXhqDRLr2C=",
                    "name": "projects/payments-prod/roles/auditor",
                    "stage": "BETA",
                    "title": "Auditor"
                  }
                ]
                """);
        write("deployer.json", """
                {
                  "description": "Deploys the payment services",
                  "etag": "BwXhqDRLr2A=",
                  "includedPermissions": ["iam.serviceAccounts.actAs", "run.services.update"],
                  "name": "projects/payments-prod/roles/deployer",
                  "stage": "GA",
                  "title": "Deployer"
                }
                """);

        GcpInventory gcp = read().gcp();

        assertEquals(3, gcp.customRoles().size(), gcp.customRoles().toString());
        Role deployer = role(gcp, "projects/payments-prod/roles/deployer");
        assertEquals(List.of("iam.serviceAccounts.actAs", "run.services.update"), deployer.permissions());
        assertTrue(deployer.sourceFile().endsWith("deployer.json"), deployer.sourceFile());
        Role legacy = role(gcp, "organizations/111122223333/roles/legacyAdmin");
        assertTrue(legacy.deleted());
        // The IAM API leaves stage out when the role is ALPHA.
        assertEquals("ALPHA", legacy.stage());
        assertTrue(role(gcp, "projects/payments-prod/roles/auditor").permissions().isEmpty());
        assertTrue(gcp.warnings().stream().anyMatch(w -> w.contains("projects/payments-prod/roles/auditor")
                && w.contains("gcloud iam roles describe") && !w.contains("deployer") && !w.contains("legacyAdmin")),
                gcp.warnings().toString());
    }

    @Test
    void predefinedRoles_areSkippedWithReason() throws IOException {
        write("roles.json", """
                [
                  {"description": "Full access", "etag": "AA==", "name": "roles/owner", "stage": "GA", "title": "Owner"},
                  {"description": "Read access", "etag": "AA==", "name": "roles/viewer", "stage": "GA", "title": "Viewer"}
                ]
                """);

        Bundle bundle = read();

        assertTrue(bundle.gcp().customRoles().isEmpty());
        SkippedItem skipped = bundle.gcp().skipped().get(0);
        assertTrue(skipped.item().contains("roles/owner"), skipped.item());
        assertTrue(skipped.reason().contains("predefined roles"), skipped.reason());
    }

    @Test
    void denyPolicy_attachmentPointDecodedAndCanonical() throws IOException {
        write("deny.json", """
                {
                  "createTime": "2024-06-01T12:00:00.000000Z",
                  "displayName": "Protect keys",
                  "etag": "MTc3NTcyMjE0Mw==",
                  "kind": "DenyPolicy",
                  "name": "policies/cloudresourcemanager.googleapis.com%2Fprojects%2F987654321098/denypolicies/protect-keys",
                  "rules": [
                    {
                      "denyRule": {
                        "deniedPermissions": ["iam.googleapis.com/serviceAccountKeys.create"],
                        "deniedPrincipals": ["principalSet://goog/public:all"],
                        "exceptionPrincipals": ["principal://goog/subject/admin@example.com"],
                        "denialCondition": {"expression": "resource.matchTag('111122223333/env', 'prod')", "title": "prod only"}
                      },
                      "description": "No new keys in production"
                    },
                    {"description": "A rule without its deny part"}
                  ],
                  "uid": "6a3b0f7e-0000-4c1a-8f3e-1f2d3c4b5a69",
                  "updateTime": "2024-06-01T12:00:00.000000Z"
                }
                """);
        write("p.json", PROJECTS_LIST);

        GcpInventory gcp = read().gcp();

        assertEquals(1, gcp.denyRules().size(), gcp.denyRules().toString());
        DenyRule rule = gcp.denyRules().get(0);
        assertEquals(PROJECT, rule.attachmentPoint());
        assertEquals("policies/cloudresourcemanager.googleapis.com%2Fprojects%2F987654321098/denypolicies/protect-keys",
                rule.policyName());
        assertEquals(List.of("principalSet://goog/public:all"), rule.deniedPrincipals());
        assertEquals(List.of("principal://goog/subject/admin@example.com"), rule.exceptionPrincipals());
        assertEquals(List.of("iam.googleapis.com/serviceAccountKeys.create"), rule.deniedPermissions());
        assertTrue(rule.exceptionPermissions().isEmpty());
        assertEquals("prod only", rule.condition().title());
        assertTrue(gcp.skipped().stream().anyMatch(s -> s.item().startsWith("rule 1 of deny policy")),
                gcp.skipped().toString());
    }

    @Test
    void denyPolicyListWithoutGet_isWarned() throws IOException {
        write("deny-list.json", """
                [
                  {
                    "createTime": "2024-06-01T12:00:00.000000Z",
                    "displayName": "Protect keys",
                    "etag": "MTc3NTcyMjE0Mw==",
                    "kind": "DenyPolicy",
                    "name": "policies/cloudresourcemanager.googleapis.com%2Forganizations%2F111122223333/denypolicies/org-guard",
                    "uid": "6a3b0f7e-0000-4c1a-8f3e-1f2d3c4b5a70"
                  }
                ]
                """);
        write("p.json", PROJECTS_LIST);

        GcpInventory gcp = read().gcp();

        assertTrue(gcp.denyRules().isEmpty());
        assertTrue(gcp.warnings().stream().anyMatch(w -> w.contains("gcloud iam policies get org-guard")
                && w.contains("--attachment-point=cloudresourcemanager.googleapis.com/organizations/111122223333")),
                gcp.warnings().toString());
    }

    @Test
    void keyList_readsMetadataAndNeverStoresPrivateKey() throws IOException {
        String secret = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCsecretSECRET";
        write("keys.json", """
                [
                  {
                    "disabled": true,
                    "keyAlgorithm": "KEY_ALG_RSA_2048",
                    "keyOrigin": "GOOGLE_PROVIDED",
                    "keyType": "USER_MANAGED",
                    "name": "projects/payments-prod/serviceAccounts/deployer@payments-prod.iam.gserviceaccount.com/keys/3f1c9a7be2d44b1fa0c8e5d6b7a8c9d0e1f2a3b4",
                    "privateKeyData": "%s",
                    "privateKeyType": "TYPE_GOOGLE_CREDENTIALS_FILE",
                    "validAfterTime": "2024-02-01T10:00:00Z",
                    "validBeforeTime": "9999-12-31T23:59:59Z"
                  },
                  {
                    "keyAlgorithm": "KEY_ALG_RSA_2048",
                    "keyOrigin": "GOOGLE_PROVIDED",
                    "keyType": "SYSTEM_MANAGED",
                    "name": "projects/payments-prod/serviceAccounts/deployer@payments-prod.iam.gserviceaccount.com/keys/0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
                    "validAfterTime": "2024-05-01T10:00:00Z",
                    "validBeforeTime": "2024-05-17T10:00:00Z"
                  }
                ]
                """.formatted(secret));

        Bundle bundle = read();
        GcpInventory gcp = bundle.gcp();

        assertEquals(2, gcp.keys().size());
        ServiceAccountKey userManaged = gcp.keys().get(0);
        assertEquals("3f1c9a7be2d44b1fa0c8e5d6b7a8c9d0e1f2a3b4", userManaged.keyId());
        assertEquals(DEPLOYER, userManaged.serviceAccountEmail());
        assertTrue(userManaged.userManaged());
        assertTrue(userManaged.disabled());
        assertEquals("9999-12-31T23:59:59Z", userManaged.validBefore());
        assertEquals("GOOGLE_PROVIDED", userManaged.keyOrigin());
        assertFalse(gcp.keys().get(1).userManaged());
        SkippedItem field = gcp.skipped().get(0);
        assertTrue(field.item().endsWith("field privateKeyData"), field.item());
        assertTrue(field.reason().contains("never reads or stores"), field.reason());
        assertFalse(gcp.toString().contains(secret), "the inventory holds the private key");
        assertFalse(bundle.toString().contains(secret), "the bundle holds the private key");
    }

    @Test
    void keyNamedByUniqueId_resolvesToEmail() throws IOException {
        write("keys.json", """
                [
                  {
                    "keyAlgorithm": "KEY_ALG_RSA_2048",
                    "keyType": "USER_MANAGED",
                    "name": "projects/-/serviceAccounts/104657231171339876543/keys/5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f",
                    "validAfterTime": "2024-02-01T10:00:00Z",
                    "validBeforeTime": "9999-12-31T23:59:59Z"
                  },
                  {
                    "keyType": "USER_MANAGED",
                    "name": "projects/-/serviceAccounts/999999999999999999999/keys/aaaabbbbccccddddeeeeffff0000111122223333"
                  }
                ]
                """);
        write("accounts.json", SERVICE_ACCOUNTS_LIST);

        GcpInventory gcp = read().gcp();

        assertEquals(1, gcp.keys().size(), gcp.keys().toString());
        assertEquals(DEPLOYER, gcp.keys().get(0).serviceAccountEmail());
        SkippedItem unknown = gcp.skipped().get(0);
        assertTrue(unknown.item().contains("999999999999999999999"), unknown.item());
        assertTrue(unknown.reason().contains("gcloud iam service-accounts list"), unknown.reason());
    }

    @Test
    void resourceSearchKey_namedByEmail() throws IOException {
        write("resources.json", """
                [
                  {
                    "assetType": "iam.googleapis.com/ServiceAccountKey",
                    "name": "//iam.googleapis.com/projects/987654321098/serviceAccounts/104657231171339876543/keys/5e6f7a8b",
                    "parentAssetType": "iam.googleapis.com/ServiceAccount",
                    "parentFullResourceName": "//iam.googleapis.com/projects/payments-prod/serviceAccounts/104657231171339876543",
                    "project": "projects/987654321098"
                  }
                ]
                """);
        write("accounts.json", SERVICE_ACCOUNTS_LIST);

        GcpInventory gcp = read().gcp();

        String account = GcpNames.serviceAccountName("payments-prod", DEPLOYER);
        Resource key = resource(gcp, account + "/keys/5e6f7a8b");
        assertEquals(account, key.parent());
        assertEquals("payments-prod", key.projectId());
    }

    @Test
    void keyFile_isSkippedWithoutReadingIt() throws IOException {
        String secret = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwSECRETVALUE\\n-----END PRIVATE KEY-----\\n";
        Path keyFile = write("deployer.json", """
                {
                  "type": "service_account",
                  "project_id": "payments-prod",
                  "private_key_id": "3f1c9a7be2d44b1fa0c8e5d6b7a8c9d0e1f2a3b4",
                  "private_key": "%s",
                  "client_email": "deployer@payments-prod.iam.gserviceaccount.com",
                  "client_id": "104657231171339876543",
                  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
                  "token_uri": "https://oauth2.googleapis.com/token"
                }
                """.formatted(secret));
        write("accounts.json", SERVICE_ACCOUNTS_LIST);

        Bundle bundle = read();

        SkippedItem skipped = bundle.skippedFiles().stream().filter(s -> s.file().equals(keyFile.toString()))
                .findFirst().orElseThrow();
        assertTrue(skipped.reason().contains("never reads key material"), skipped.reason());
        assertTrue(skipped.reason().contains("gcloud iam service-accounts keys list --iam-account=" + DEPLOYER),
                skipped.reason());
        assertTrue(bundle.gcp().keys().isEmpty());
        assertFalse(bundle.toString().contains("SECRETVALUE"), "the bundle holds the private key");
    }

    @Test
    void userCredentialsFile_isSkippedWithoutReadingIt() throws IOException {
        write("adc.json", """
                {"client_id": "764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com",
                 "client_secret": "d-FL95Q19q7MQmFpd7hHD0Ty", "refresh_token": "1//0gSECRETREFRESH", "type": "authorized_user"}
                """);

        Bundle bundle = read();

        assertEquals(1, bundle.skippedFiles().size());
        assertTrue(bundle.skippedFiles().get(0).reason().contains("credentials file of type authorized_user"),
                bundle.skippedFiles().get(0).reason());
        assertFalse(bundle.toString().contains("SECRETREFRESH"));
    }

    @Test
    void unrelatedList_isSkippedByName() throws IOException {
        Path file = write("inventory.json", """
                [{"hostname": "web-1", "ip": "10.0.0.4"}, {"hostname": "web-2", "ip": "10.0.0.5"}]
                """);

        Bundle bundle = read();

        assertEquals(1, bundle.skippedFiles().size());
        SkippedItem skipped = bundle.skippedFiles().get(0);
        assertEquals(file.toString(), skipped.file());
        assertTrue(skipped.reason().contains("hostname, ip"), skipped.reason());
        assertTrue(bundle.gcp().isEmpty());
    }

    @Test
    void emptyList_isSkippedAsNothingToLoad() throws IOException {
        write("empty.json", "[]");

        Bundle bundle = read();

        assertTrue(bundle.skippedFiles().get(0).reason().contains("empty JSON list"), bundle.skippedFiles().toString());
    }

    @Test
    void itemsMissingRequiredFields_areSkippedAndRestLoads() throws IOException {
        write("policies.json", """
                [
                  {
                    "assetType": "storage.googleapis.com/Bucket",
                    "policy": {
                      "bindings": [
                        {"members": ["user:dan@example.com"]},
                        {"members": [], "role": "roles/storage.admin"},
                        {"condition": {"title": "no expression"}, "members": ["user:erin@example.com"], "role": "roles/storage.admin"},
                        {"members": ["user:frank@example.com"], "role": "roles/storage.objectViewer"}
                      ]
                    },
                    "project": "projects/987654321098",
                    "resource": "//storage.googleapis.com/payments-invoices"
                  },
                  {"assetType": "storage.googleapis.com/Bucket", "policy": {"bindings": []}, "project": "projects/1"}
                ]
                """);
        write("accounts.json", """
                [
                  {"email": "builder@payments-prod.iam.gserviceaccount.com", "uniqueId": "2"},
                  {"displayName": "No email", "uniqueId": "1", "projectId": "payments-prod"}
                ]
                """);

        GcpInventory gcp = read().gcp();

        assertEquals(1, gcp.bindings().size(), gcp.bindings().toString());
        assertEquals(3, gcp.bindings().get(0).index());
        assertEquals(4, gcp.skipped().stream().filter(s -> s.file().endsWith("policies.json")).count(),
                gcp.skipped().toString());
        assertTrue(gcp.skipped().stream().anyMatch(s -> s.item().equals("[1]") && s.reason().contains("no resource")),
                gcp.skipped().toString());
        // The first account has no projectId, so its project comes from its email; the second has no email.
        assertEquals("payments-prod", gcp.serviceAccounts().get(0).projectId());
        assertEquals(1, gcp.serviceAccounts().size());
        assertTrue(gcp.skipped().stream().anyMatch(s -> s.file().endsWith("accounts.json") && s.reason().contains("no email")),
                gcp.skipped().toString());
    }

    @Test
    void awsAndGcpInOneFolder_bothRead() throws IOException {
        Files.copy(Path.of("src/test/resources/fixtures/bundle/main/iam/scp-list.json"), dir.resolve("aws-export.json"));
        write("gcp-accounts.json", SERVICE_ACCOUNTS_LIST);

        Bundle bundle = read();

        assertNotNull(bundle.iam());
        assertEquals(1, bundle.iam().roles().size());
        assertEquals(2, bundle.gcp().serviceAccounts().size());
        assertTrue(bundle.skippedFiles().isEmpty(), bundle.skippedFiles().toString());
    }

    @Test
    void awsOnlyBundle_hasEmptyGcpInventory() throws IOException {
        Files.copy(Path.of("src/test/resources/fixtures/bundle/main/iam/scp-list.json"), dir.resolve("aws-export.json"));

        Bundle bundle = read();

        assertNotNull(bundle.gcp());
        assertTrue(bundle.gcp().isEmpty());
    }

    @Test
    void gcpOnlyBundle_isAcceptedByLoad() throws IOException {
        write("accounts.json", SERVICE_ACCOUNTS_LIST);

        LoadService.PreparedLoad prepared = LoadService.prepare(List.of(dir));

        assertEquals(2, prepared.bundle().gcp().serviceAccounts().size());
    }

    @Test
    void onlyKeyFile_isRejectedByLoadWithReason() throws IOException {
        write("key.json", """
                {"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----XYZ", "client_email": "a@b.iam.gserviceaccount.com"}
                """);

        BadInputException error = assertThrows(BadInputException.class, () -> LoadService.prepare(List.of(dir)));

        assertTrue(error.getMessage().contains("never reads key material"), error.getMessage());
        assertTrue(error.getMessage().contains("gcloud"), error.getMessage());
        assertFalse(error.getMessage().contains("BEGIN PRIVATE KEY"), error.getMessage());
    }

    @Test
    void truncatedGcloudOutput_namesFileLineAndColumn() throws IOException {
        Path file = write("cut.json", "[\n  {\"email\": \"a@b.iam.gserviceaccount.com\",\n  \"uniqueId\": ");

        BadInputException error = assertThrows(BadInputException.class, () -> read());

        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("line 3, column"), error.getMessage());
    }

    private Bundle read() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return BundleReader.read(files.sorted().toList());
        }
    }

    private Path write(String name, String json) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, json);
        return file;
    }

    private static Resource resource(GcpInventory gcp, String name) {
        return gcp.resources().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + Arrays.toString(
                        gcp.resources().stream().map(Resource::name).toArray())));
    }

    private static Role role(GcpInventory gcp, String name) {
        return gcp.customRoles().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }
}
