package dev.nhigraph.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.testsupport.SharedGraph;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hygiene and escalation rules on one small bundle, loaded through the real loader into the embedded Neo4j.
 * Account 411111111111 has roles that each show one problem or its fixed twin, users with access keys and their
 * credential report, an S3 bucket policy open to anyone and one limited to an account. Its root user has a key and no
 * MFA, and the root user of account 422222222222 is the clean twin. GCP project hygiene-lab has keys, a default account and public bindings.
 * Ages are measured to {@link #AS_OF}, 2026-12-01.
 */
class HygieneRulesTest {

    private static final Instant AS_OF = Instant.parse("2026-12-01T00:00:00Z");
    private static final String ACCOUNT = "411111111111";
    private static final String PARTNER = "999999999999";
    /** An account whose credential report shows a root user with MFA and no access key. */
    private static final String CLEAN_ACCOUNT = "422222222222";
    private static final String REPORT_HEADER = "user,arn,user_creation_time,password_enabled,password_last_used,"
            + "mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,"
            + "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date";
    private static final String PROJECT = "hygiene-lab";
    private static final String GITHUB_PROVIDER = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/token.actions.githubusercontent.com";
    private static final String UNUSED_SAML_PROVIDER = "arn:aws:iam::" + ACCOUNT + ":saml-provider/retired-idp";

    /** A rule, the principal and resource it must name, and the twin's principal and resource it must not name. */
    private record Case(String rule, String firing, String firingResource, String quiet, String quietResource) {
    }

    private static String projectNumber;
    private static FindingsReport.Report report;

    @BeforeAll
    static void load(@TempDir Path dir) {
        writeAws(dir);
        writeGcp(dir.resolve("gcp"));
        SharedGraph.resetAndLoad(dir);
        List<Rule> rules = RuleCatalog.loadDefault().stream().filter(rule -> !rule.toxicCombination()).toList();
        report = FindingsReport.build(SharedGraph.graphService(), rules, FindingsReport.Options.defaults().withAsOf(AS_OF));
    }

    private static void writeAws(Path dir) {
        FixtureFiles.AuthorizationDetails aws = new FixtureFiles.AuthorizationDetails();
        aws.role(ACCOUNT, "unused-old", FixtureFiles.ec2Trust(), Map.of())
                .putObject("RoleLastUsed").put("LastUsedDate", "2026-01-01 10:00:00+00:00").put("Region", "eu-west-1");
        aws.role(ACCOUNT, "used-recently", FixtureFiles.ec2Trust(), Map.of())
                .putObject("RoleLastUsed").put("LastUsedDate", "2026-11-20T10:00:00Z").put("Region", "eu-west-1");
        aws.role(ACCOUNT, "created-recently", FixtureFiles.ec2Trust(), Map.of()).put("CreateDate", "2026-11-25 09:00:00+00:00");

        aws.role(ACCOUNT, "partner-without-external-id", FixtureFiles.trust("AWS", "arn:aws:iam::" + PARTNER + ":root", "sts:AssumeRole"), Map.of());
        ObjectNode guarded = FixtureFiles.trust("AWS", "arn:aws:iam::" + PARTNER + ":role/deployer", "sts:AssumeRole");
        ((ObjectNode) guarded.get("Statement").get(0)).putObject("Condition").putObject("StringEquals").put("sts:ExternalId", "agreed-value");
        aws.role(ACCOUNT, "partner-with-external-id", guarded, Map.of());
        aws.role(ACCOUNT, "trusts-anyone", FixtureFiles.trust("AWS", "*", "sts:AssumeRole"), Map.of());

        String provider = GITHUB_PROVIDER;
        ObjectNode anyRepository = FixtureFiles.trust("Federated", provider, "sts:AssumeRoleWithWebIdentity");
        ((ObjectNode) anyRepository.get("Statement").get(0)).putObject("Condition").putObject("StringEquals")
                .put("token.actions.githubusercontent.com:aud", "sts.amazonaws.com");
        aws.role(ACCOUNT, "github-any-repository", anyRepository, Map.of());
        ObjectNode pinned = FixtureFiles.trust("Federated", provider, "sts:AssumeRoleWithWebIdentity");
        ((ObjectNode) pinned.get("Statement").get(0)).putObject("Condition").putObject("StringEquals")
                .put("token.actions.githubusercontent.com:aud", "sts.amazonaws.com")
                .put("token.actions.githubusercontent.com:sub", "repo:acme/app:ref:refs/heads/main");
        aws.role(ACCOUNT, "github-main-branch", pinned, Map.of());
        String deletedProvider = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/gitlab.example.com";
        aws.role(ACCOUNT, "trusts-deleted-provider",
                FixtureFiles.trust("Federated", deletedProvider, "sts:AssumeRoleWithWebIdentity"), Map.of());
        FixtureFiles.write(dir.resolve("iam/oidc-providers.json"),
                Map.of("OpenIDConnectProviderList", List.of(Map.of("Arn", provider))));
        FixtureFiles.write(dir.resolve("iam/oidc-providers/" + ACCOUNT + "/github.json"), Map.of(
                "Url", "token.actions.githubusercontent.com", "ClientIDList", List.of("sts.amazonaws.com"),
                "ThumbprintList", List.of("0000000000000000000000000000000000000000"),
                "CreateDate", "2025-06-01T00:00:00Z"));
        FixtureFiles.write(dir.resolve("iam/saml-providers.json"), Map.of("SAMLProviderList", List.of(Map.of(
                "Arn", UNUSED_SAML_PROVIDER, "ValidUntil", "2027-01-01T00:00:00Z", "CreateDate", "2024-01-01T00:00:00Z"))));

        aws.role(ACCOUNT, "uses-some-services", FixtureFiles.ec2Trust(), Map.of()).put("CreateDate", "2025-01-01T00:00:00Z");
        aws.role(ACCOUNT, "uses-every-service", FixtureFiles.ec2Trust(), Map.of()).put("CreateDate", "2025-01-01T00:00:00Z");
        writeServiceAccess(dir, "uses-some-services", Map.of("s3", "2026-11-20T10:00:00Z", "ec2", "", "kms", "2026-01-05T00:00:00Z"));
        writeServiceAccess(dir, "uses-every-service", Map.of("s3", "2026-11-20T10:00:00Z", "ec2", "2026-11-28T00:00:00Z"));

        String assumer = FixtureFiles.roleArn(ACCOUNT, "assumer");
        aws.role(ACCOUNT, "assumer", FixtureFiles.ec2Trust(), Map.of());
        aws.role(ACCOUNT, "admin", FixtureFiles.trust("AWS", assumer, "sts:AssumeRole"), Map.of("admin", FixtureFiles.allow("*")));
        ObjectNode reader = aws.role(ACCOUNT, "reader", FixtureFiles.ec2Trust(), Map.of("read", FixtureFiles.allow("s3:GetObject")));
        ArrayNode tags = reader.putArray("Tags");
        tags.addObject().put("Key", "Owner").put("Value", "data-platform");
        writeAccessKeys(aws, dir);
        aws.write(dir.resolve("iam/authorization-details.json"));

        FixtureFiles.write(dir.resolve("resource-policies/s3/" + ACCOUNT + "/open-bucket.json"), Map.of("Policy",
                "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\","
                        + " \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::open-bucket/*\"}]}"));
        FixtureFiles.write(dir.resolve("resource-policies/s3/" + ACCOUNT + "/closed-bucket.json"), Map.of("Policy",
                "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::"
                        + PARTNER + ":root\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::closed-bucket/*\"}]}"));
    }

    /**
     * Writes users with access keys, the credential reports of both accounts (as decoded CSV) and the key listings.
     * Key ids are AKIAHYGIENE plus nine characters.
     */
    private static void writeAccessKeys(FixtureFiles.AuthorizationDetails aws, Path dir) {
        for (String name : List.of("old-key-user", "new-key-user", "two-key-user", "console-user")) {
            aws.user(ACCOUNT, name, Map.of());
        }
        aws.user(ACCOUNT, "admin-key-user", Map.of("admin", FixtureFiles.allow("*")));
        String report = REPORT_HEADER + "\n"
                + "<root_account>,arn:aws:iam::" + ACCOUNT + ":root,2020-01-01T00:00:00+00:00,not_supported,N/A,false,"
                + "true,2020-02-01T00:00:00+00:00,2026-11-01T00:00:00+00:00,false,N/A,N/A\n"
                + reportRow("old-key-user", false, "2026-01-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00", null, null)
                + reportRow("new-key-user", false, "2026-11-01T00:00:00+00:00", "2026-11-25T00:00:00+00:00", null, null)
                + reportRow("two-key-user", false, "2026-10-01T00:00:00+00:00", "2026-11-29T00:00:00+00:00",
                        "2026-11-15T00:00:00+00:00", "N/A")
                + reportRow("console-user", true, "2026-10-01T00:00:00+00:00", "2026-11-29T00:00:00+00:00", null, null)
                + reportRow("admin-key-user", false, "2026-10-01T00:00:00+00:00", "2026-11-29T00:00:00+00:00", null, null);
        FixtureFiles.writeText(dir.resolve("iam/credential-report-" + ACCOUNT + ".csv"), report);
        FixtureFiles.writeText(dir.resolve("iam/credential-report-" + CLEAN_ACCOUNT + ".csv"), REPORT_HEADER + "\n"
                + "<root_account>,arn:aws:iam::" + CLEAN_ACCOUNT + ":root,2020-01-01T00:00:00+00:00,not_supported,N/A,"
                + "true,false,N/A,N/A,false,N/A,N/A\n");

        listKeys(dir, "old-key-user", Map.of("AKIAHYGIENEOLDKEY01", "2026-01-01T00:00:00Z"));
        listKeys(dir, "new-key-user", Map.of("AKIAHYGIENENEWKEY01", "2026-11-01T00:00:00Z"));
        listKeys(dir, "two-key-user", Map.of("AKIAHYGIENETWOKEY01", "2026-10-01T00:00:00Z",
                "AKIAHYGIENETWOKEY02", "2026-11-15T00:00:00Z"));
        listKeys(dir, "console-user", Map.of("AKIAHYGIENECONSOLE1", "2026-10-01T00:00:00Z"));
        listKeys(dir, "admin-key-user", Map.of("AKIAHYGIENEADMINKY1", "2026-10-01T00:00:00Z"));
    }

    /** Writes a role's get-service-last-accessed-details output; an empty date is a service never used. */
    private static void writeServiceAccess(Path dir, String role, Map<String, String> lastUsedByService) {
        List<Map<String, Object>> services = new java.util.ArrayList<>();
        lastUsedByService.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(service -> {
            Map<String, Object> item = new java.util.LinkedHashMap<>();
            item.put("ServiceName", service.getKey());
            item.put("ServiceNamespace", service.getKey());
            item.put("LastAuthenticated", service.getValue().isEmpty() ? null : service.getValue());
            item.put("TotalAuthenticatedEntities", service.getValue().isEmpty() ? 0 : 1);
            services.add(item);
        });
        FixtureFiles.write(dir.resolve("iam/service-last-accessed/" + ACCOUNT + "/role/" + role + ".json"), Map.of(
                "JobStatus", "COMPLETED", "JobType", "SERVICE_LEVEL", "JobCompletionDate", "2026-11-30T00:00:00Z",
                "ServicesLastAccessed", services, "IsTruncated", false));
    }

    /** Returns a report row whose key 1 is active; key 2 is active when {@code key2Rotated} is not null. */
    private static String reportRow(String user, boolean password, String key1Rotated, String key1Used,
                                    String key2Rotated, String key2Used) {
        return user + "," + FixtureFiles.userArn(ACCOUNT, user) + ",2024-01-01T00:00:00+00:00," + password
                + ",no_information,false,true," + key1Rotated + "," + key1Used + ","
                + (key2Rotated == null ? "false,N/A,N/A" : "true," + key2Rotated + "," + key2Used) + "\n";
    }

    private static void listKeys(Path dir, String user, Map<String, String> createdByKey) {
        List<Map<String, String>> items = createdByKey.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(key -> Map.of("UserName", user, "AccessKeyId", key.getKey(), "Status", "Active",
                        "CreateDate", key.getValue())).toList();
        FixtureFiles.write(dir.resolve("iam/access-keys/" + ACCOUNT + "/" + user + ".json"),
                Map.of("AccessKeyMetadata", items, "IsTruncated", false));
    }

    private static String user(String name) {
        return FixtureFiles.userArn(ACCOUNT, name);
    }

    private static void writeGcp(Path dir) {
        FixtureFiles.Gcloud gcloud = new FixtureFiles.Gcloud();
        projectNumber = gcloud.project(PROJECT);
        String oldKey = gcloud.account(PROJECT, "old-key");
        String newKey = gcloud.account(PROJECT, "new-key");
        String systemKey = gcloud.account(PROJECT, "system-key");
        String twoKeys = gcloud.account(PROJECT, "two-keys");
        gcloud.key(PROJECT, oldKey, "key-old", "USER_MANAGED", "2026-01-01T00:00:00Z", false);
        gcloud.key(PROJECT, oldKey, "key-old-disabled", "USER_MANAGED", "2025-01-01T00:00:00Z", true);
        gcloud.key(PROJECT, newKey, "key-new", "USER_MANAGED", "2026-11-20T00:00:00Z", false);
        gcloud.key(PROJECT, systemKey, "key-system", "SYSTEM_MANAGED", "2025-01-01T00:00:00Z", false);
        gcloud.key(PROJECT, twoKeys, "key-two-a", "USER_MANAGED", "2026-11-01T00:00:00Z", false);
        gcloud.key(PROJECT, twoKeys, "key-two-b", "USER_MANAGED", "2026-11-02T00:00:00Z", false);

        String defaultAccount = projectNumber + "-compute@developer.gserviceaccount.com";
        gcloud.accounts.addObject().put("email", defaultAccount).put("projectId", PROJECT).put("uniqueId", "100099");
        gcloud.policy(FixtureFiles.projectResource(PROJECT), projectNumber, List.of(
                Map.entry("roles/editor", "serviceAccount:" + defaultAccount),
                Map.entry("roles/editor", "serviceAccount:" + newKey)));
        gcloud.policy("//storage.googleapis.com/public-bucket", projectNumber,
                List.of(Map.entry("roles/storage.objectViewer", "allUsers")));
        gcloud.policy("//storage.googleapis.com/private-bucket", projectNumber,
                List.of(Map.entry("roles/storage.objectViewer", "user:alice@example.com")));
        gcloud.write(dir);
    }

    private static String role(String name) {
        return FixtureFiles.roleArn(ACCOUNT, name);
    }

    private static String account(String name) {
        return "serviceAccount:" + name + "@" + PROJECT + ".iam.gserviceaccount.com";
    }

    private static List<Case> cases() {
        return List.of(
                new Case("aws-role-unused", role("unused-old"), null, role("used-recently"), null),
                new Case("aws-role-unused", role("assumer"), null, role("created-recently"), null),
                new Case("aws-cross-account-trust-without-external-id", role("partner-without-external-id"), PARTNER,
                        role("partner-with-external-id"), null),
                new Case("aws-trust-any-principal", role("trusts-anyone"), "*", role("partner-with-external-id"), null),
                new Case("aws-trust-account-root", role("partner-without-external-id"), PARTNER, role("partner-with-external-id"), null),
                new Case("aws-oidc-trust-any-subject", role("github-any-repository"), null, role("github-main-branch"), null),
                new Case("aws-trust-unregistered-identity-provider", role("trusts-deleted-provider"),
                        "arn:aws:iam::" + ACCOUNT + ":oidc-provider/gitlab.example.com", role("github-main-branch"), GITHUB_PROVIDER),
                new Case("aws-identity-provider-unused", UNUSED_SAML_PROVIDER, null, GITHUB_PROVIDER, null),
                new Case("aws-unused-service-permissions", role("uses-some-services"), null, role("uses-every-service"), null),
                new Case("admin-equivalent-non-human-identity", role("admin"), null, role("reader"), null),
                new Case("aws-identity-without-owner-tag", role("admin"), null, role("reader"), null),
                new Case("aws-public-resource-policy", "*", "arn:aws:s3:::open-bucket", "*", "arn:aws:s3:::closed-bucket"),
                new Case("escalation-to-admin", role("assumer"), role("admin"), role("reader"), null),
                new Case("aws-access-key-older-than-rotation", user("old-key-user"), "AKIAHYGIENEOLDKEY01",
                        user("new-key-user"), "AKIAHYGIENENEWKEY01"),
                new Case("aws-access-key-unused", user("old-key-user"), "AKIAHYGIENEOLDKEY01",
                        user("new-key-user"), "AKIAHYGIENENEWKEY01"),
                new Case("aws-access-key-unused", user("two-key-user"), "AKIAHYGIENETWOKEY02",
                        user("two-key-user"), "AKIAHYGIENETWOKEY01"),
                new Case("aws-two-active-access-keys", user("two-key-user"), null, user("new-key-user"), null),
                new Case("aws-root-access-key", ACCOUNT, null, CLEAN_ACCOUNT, null),
                new Case("aws-root-without-mfa", ACCOUNT, null, CLEAN_ACCOUNT, null),
                new Case("aws-unused-console-password-on-key-user", user("console-user"), null, user("new-key-user"), null),
                new Case("aws-access-key-reaches-admin", user("admin-key-user"), null, user("new-key-user"), null),
                new Case("gcp-key-older-than-rotation", account("old-key"), "key-old", account("new-key"), "key-new"),
                new Case("gcp-key-older-than-rotation", account("old-key"), "key-old", account("system-key"), "key-system"),
                new Case("gcp-key-older-than-rotation", account("old-key"), "key-old", account("old-key"), "key-old-disabled"),
                new Case("gcp-user-managed-key", account("new-key"), "key-new", account("system-key"), "key-system"),
                new Case("gcp-two-active-keys", account("two-keys"), null, account("old-key"), null),
                new Case("gcp-default-service-account-with-editor", "serviceAccount:" + projectNumber
                        + "-compute@developer.gserviceaccount.com", null, account("new-key"), null),
                new Case("gcp-public-binding", "allUsers", "//storage.googleapis.com/public-bucket",
                        "user:alice@example.com", "//storage.googleapis.com/private-bucket"));
    }

    @Test
    void everyCheckedRule_hasACase() {
        List<String> covered = cases().stream().map(Case::rule).distinct().toList();
        List<String> checked = report.rules().stream().map(FindingsReport.RuleResult::id).toList();

        assertEquals(checked.stream().sorted().toList(), covered.stream().sorted().toList());
    }

    @TestFactory
    Stream<DynamicTest> rule_firesAndTwinStaysQuiet() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.rule() + " " + c.firing() + " / " + c.quiet(), () -> {
            Finding finding = find(c.rule(), c.firing(), c.firingResource());
            assertTrue(finding != null, c.rule() + " did not name " + c.firing() + " " + c.firingResource() + "; it named "
                    + report.findings().stream().filter(f -> f.rule().equals(c.rule())).map(f -> f.principal() + " " + f.resource()).toList());
            assertNull(find(c.rule(), c.quiet(), c.quietResource()), c.rule() + " named its twin " + c.quiet() + " " + c.quietResource());
        }));
    }

    @Test
    void keyAge_measuredToAsOf() {
        Finding finding = find("gcp-key-older-than-rotation", account("old-key"), "key-old");

        assertEquals(334L, ((Number) finding.facts().get("ageDays")).longValue());
        assertEquals(new FindingsReport.AsOf("2026-12-01T00:00:00Z", "--as-of"), report.asOf());
    }

    @Test
    void escalation_showsPathAndEvidence() {
        Finding finding = find("escalation-to-admin", role("assumer"), role("admin"));
        Finding.PartHeld part = finding.parts().get(0);

        assertEquals(1, part.path().size());
        assertEquals("CAN_ASSUME", part.path().get(0).kind());
        assertTrue(part.evidence().stream().anyMatch(e -> e.policy().equals(role("admin") + "#trust")), part.evidence().toString());
    }

    @Test
    void gcpKey_describedAsCredential() {
        GraphService.CredentialNote note = SharedGraph.graphService().describeCredential("key-old");

        assertEquals(account("old-key"), note.principal());
        assertTrue(note.text().startsWith("Key key-old of " + account("old-key") + " (USER_MANAGED), enabled"), note.text());
    }

    @Test
    void twoKeys_listsKeyIdsInOrder() {
        Finding finding = find("aws-two-active-access-keys", user("two-key-user"), null);

        // The fixture writes the keys in Map.of's order, which changes from run to run.
        assertEquals(List.of("AKIAHYGIENETWOKEY01", "AKIAHYGIENETWOKEY02"), finding.facts().get("keyIds"));
    }

    @Test
    void unusedServices_listsNeverAndLongAgo() {
        Finding finding = find("aws-unused-service-permissions", role("uses-some-services"), null);

        assertEquals(List.of("ec2", "kms"), finding.facts().get("unusedServices"));
    }

    @Test
    void everyRule_completeWithoutError() {
        report.rules().forEach(rule -> assertNull(rule.stoppedBy(), rule.id()));
    }

    private static Finding find(String rule, String principal, String resource) {
        return report.findings().stream()
                .filter(f -> f.rule().equals(rule) && f.principal().equals(principal)
                        && (resource == null || resource.equals(f.resource())))
                .findFirst().orElse(null);
    }
}
