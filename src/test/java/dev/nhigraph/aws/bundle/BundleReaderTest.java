package dev.nhigraph.aws.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.BadInputException;
import dev.nhigraph.aws.IamModel.SkippedItem;
import dev.nhigraph.aws.org.Organization;
import dev.nhigraph.aws.org.OrganizationModel.Account;
import dev.nhigraph.aws.org.OrganizationModel.ControlPolicy;
import dev.nhigraph.aws.org.OrganizationModel.ControlPolicyKind;
import dev.nhigraph.aws.org.OrganizationModel.OrganizationalUnit;
import dev.nhigraph.aws.org.OrganizationModel.PolicyTarget;
import dev.nhigraph.aws.org.OrganizationModel.TargetType;
import dev.nhigraph.aws.resource.ResourcePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading of the bundle under fixtures/bundle/main: organization 111111111111 with root r-ab12, OUs Workloads
 * (ou-ab12-11111111) with Prod (ou-ab12-33333333) below it, and Sandbox (ou-ab12-22222222). Many files have
 * misleading names, so that only their content can identify them.
 */
class BundleReaderTest {

    static final Path MAIN = Path.of("src/test/resources/fixtures/bundle/main");
    private static final String DENY_LEAVE = "arn:aws:organizations::111111111111:policy/o-exampleorg1/service_control_policy/p-denyleave1";

    private static Bundle bundle;

    @TempDir
    Path dir;

    @BeforeAll
    static void read() throws IOException {
        bundle = BundleReader.read(jsonFiles(MAIN));
    }

    /** Returns the .json files under {@code folder} in name order, as LoadService passes a folder. */
    static List<Path> jsonFiles(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void authorizationDetails_recognisedUnderMisleadingName() {
        assertNotNull(bundle.iam());
        assertEquals(List.of(MAIN.resolve("iam/scp-list.json").toString()), bundle.iam().files());
        assertEquals(1, bundle.iam().roles().size());
        assertEquals(1, bundle.iam().users().size());
    }

    @Test
    void describeOrganization_givesManagementAccount() {
        Organization organization = bundle.organization();

        assertEquals("o-exampleorg1", organization.id());
        assertEquals("111111111111", organization.managementAccount());
        assertEquals("ALL", organization.featureSet());
        assertEquals("arn:aws:organizations::111111111111:organization/o-exampleorg1", organization.arn());
    }

    @Test
    void tree_rebuiltFromLayoutAndListParents() {
        Map<String, OrganizationalUnit> units = new HashMap<>();
        bundle.organization().units().forEach(u -> units.put(u.id(), u));
        Map<String, Account> accounts = new HashMap<>();
        bundle.organization().accounts().forEach(a -> accounts.put(a.id(), a));

        assertTrue(units.get("r-ab12").root());
        assertNull(units.get("r-ab12").parentId());
        assertEquals("r-ab12", units.get("ou-ab12-11111111").parentId());
        assertEquals("r-ab12", units.get("ou-ab12-22222222").parentId());
        assertEquals("ou-ab12-11111111", units.get("ou-ab12-33333333").parentId());
        assertEquals("Prod", units.get("ou-ab12-33333333").name());
        assertFalse(units.get("ou-ab12-33333333").root());
        assertEquals(4, units.size());

        assertEquals("r-ab12", accounts.get("111111111111").parentId());
        assertEquals("ou-ab12-33333333", accounts.get("222222222222").parentId());
        assertEquals("ou-ab12-22222222", accounts.get("333333333333").parentId());
        assertEquals("ou-ab12-22222222", accounts.get("444444444444").parentId(), "from list-parents");
        assertNull(accounts.get("555555555555").parentId());
        assertEquals("prod-app", accounts.get("222222222222").name());
        assertEquals("prod-app@example.com", accounts.get("222222222222").email());
        assertEquals("SUSPENDED", accounts.get("555555555555").status());
        assertEquals(5, accounts.size());
    }

    @Test
    void accountWithoutParent_isWarned() {
        String warning = bundle.warnings().stream().filter(w -> w.contains("555555555555")).findFirst()
                .orElseThrow(() -> new AssertionError("no warning names 555555555555: " + bundle.warnings()));

        assertTrue(warning.contains("list-accounts-for-parent"), warning);
    }

    @Test
    void ouWithoutParent_isSkippedByName() {
        SkippedItem item = skippedItem("ou-ab12-99999999");

        assertTrue(item.file().endsWith("ous-without-parent.json"), item.file());
        assertTrue(item.reason().contains("list-parents"), item.reason());
        assertTrue(bundle.organization().units().stream().noneMatch(u -> u.id().equals("ou-ab12-99999999")));
    }

    @Test
    void scpTargets_comeFromLayoutPolicyId() {
        ControlPolicy deny = policy("p-denyleave1");

        assertEquals(ControlPolicyKind.SCP, deny.kind());
        assertEquals(DENY_LEAVE, deny.arn());
        assertEquals("deny-leave-organization", deny.name());
        assertFalse(deny.awsManaged());
        assertTrue(deny.document().contains("organizations:LeaveOrganization"), deny.document());
        assertEquals(List.of(
                new PolicyTarget("ou-ab12-11111111", "arn:aws:organizations::111111111111:ou/o-exampleorg1/ou-ab12-11111111", "Workloads", TargetType.ORGANIZATIONAL_UNIT),
                new PolicyTarget("333333333333", "arn:aws:organizations::111111111111:account/o-exampleorg1/333333333333", "sandbox-1", TargetType.ACCOUNT)),
                deny.targets());
    }

    @Test
    void awsManagedScp_andRcp_areRead() {
        ControlPolicy full = policy("p-FullAWSAccess");
        ControlPolicy rcp = policy("p-rcpsecure1");

        assertTrue(full.awsManaged());
        assertEquals(List.of("r-ab12"), full.targets().stream().map(PolicyTarget::id).toList());
        assertTrue(full.document().contains("\"Action\":\"*\""), full.document());
        assertEquals(ControlPolicyKind.RCP, rcp.kind());
        assertEquals(List.of("r-ab12"), rcp.targets().stream().map(PolicyTarget::id).toList());
    }

    @Test
    void invalidScp_isReportedAndLeftOut() {
        SkippedItem item = skippedItem("p-broken123");

        assertTrue(item.item().contains("arn:aws:organizations::111111111111:policy/o-exampleorg1/service_control_policy/p-broken123"), item.item());
        assertTrue(item.reason().contains("Effect \"Permit\""), item.reason());
        assertTrue(bundle.organization().policies().stream().noneMatch(p -> p.id().equals("p-broken123")));
        assertEquals(3, bundle.organization().policies().size(), "the other policies still load");
    }

    @Test
    void resourcePolicies_ownerFromContentLayoutOrStatements() {
        Map<String, ResourcePolicy> byArn = new HashMap<>();
        bundle.resourcePolicies().forEach(p -> byArn.put(p.resourceArn(), p));
        // Each row is resource ARN, service, account, region and name. Its trailing comment gives the owner's source.
        List<List<String>> expected = List.of(
                List.of("arn:aws:s3:::team-logs", "s3", "111111111111", "", "team-logs"), // layout with account
                List.of("arn:aws:s3:::data-lake", "s3", "", "", "data-lake"), // statements: bucket and object ARNs
                List.of("arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-1111-2222-3333-444455556666", "kms",
                        "111111111111", "eu-west-1", "0a1b2c3d-1111-2222-3333-444455556666"), // layout
                List.of("arn:aws:secretsmanager:eu-west-1:222222222222:secret:payments/api-key-AbCdEf", "secretsmanager",
                        "222222222222", "eu-west-1", "payments/api-key"), // content: ARN
                List.of("arn:aws:sqs:eu-west-1:222222222222:orders", "sqs", "222222222222", "eu-west-1", "orders"), // content: QueueArn
                List.of("arn:aws:sns:eu-west-1:222222222222:alerts", "sns", "222222222222", "eu-west-1", "alerts"), // content: TopicArn
                List.of("arn:aws:lambda:eu-west-1:222222222222:function:resize", "lambda", "222222222222", "eu-west-1",
                        "resize"), // statements
                List.of("arn:aws:ecr:eu-west-1:222222222222:repository/team/app", "ecr", "222222222222", "eu-west-1",
                        "team/app")); // content, region from layout

        for (List<String> row : expected) {
            ResourcePolicy policy = byArn.get(row.get(0));
            assertNotNull(policy, row.get(0) + " not read; read: " + byArn.keySet());
            assertEquals(row.get(1), policy.service(), row.get(0));
            assertEquals(row.get(2), policy.account() == null ? "" : policy.account(), row.get(0));
            assertEquals(row.get(3), policy.region() == null ? "" : policy.region(), row.get(0));
            assertEquals(row.get(4), policy.name(), row.get(0));
            assertTrue(policy.document().contains("\"Statement\""), policy.document());
        }
        assertEquals(expected.size(), byArn.size(), byArn.keySet().toString());
    }

    @Test
    void keyPolicyWithoutOwner_isSkipped() {
        SkippedItem item = bundle.skippedFiles().stream()
                .filter(s -> s.file().endsWith("orphan-key-policy.json")).findFirst().orElseThrow();

        assertTrue(item.reason().contains("resource-policies/kms/ACCOUNT/REGION/KEY_ID.json"), item.reason());
        assertTrue(item.reason().contains("aws kms get-key-policy"), item.reason());
    }

    @Test
    void invalidResourcePolicy_isReportedWithArn() {
        SkippedItem item = bundle.skippedFiles().stream()
                .filter(s -> s.file().endsWith("broken-bucket.json")).findFirst().orElseThrow();

        assertTrue(item.item().contains("arn:aws:s3:::broken-bucket"), item.item());
        assertTrue(item.reason().contains("neither Action nor NotAction"), item.reason());
    }

    @Test
    void unknownJson_isSkippedByName() {
        SkippedItem notes = bundle.skippedFiles().stream().filter(s -> s.file().endsWith("notes.json")).findFirst().orElseThrow();
        SkippedItem bare = bundle.skippedFiles().stream()
                .filter(s -> s.file().endsWith("bucket-policy-document.json")).findFirst().orElseThrow();

        assertTrue(notes.reason().contains("Notes, Owner"), notes.reason());
        assertTrue(bare.reason().contains("bare policy document"), bare.reason());
    }

    @Test
    void skippedFiles_listEachProblemOnce() {
        List<String> expectedEndings = List.of("notes.json", "bucket-policy-document.json", "orphan-key-policy.json",
                "broken-bucket.json", "ous-without-parent.json", "p-broken123/a.json");

        assertEquals(expectedEndings.size(), bundle.skippedFiles().size(), bundle.skippedFiles().toString());
        for (String ending : expectedEndings) {
            assertEquals(1, bundle.skippedFiles().stream().filter(s -> s.file().endsWith(ending)).count(), ending);
        }
    }

    @Test
    void notJson_namesFileLineAndColumn() throws IOException {
        List<Path> files = jsonFiles(Path.of("src/test/resources/fixtures/bundle/not-json"));

        BadInputException error = assertThrows(BadInputException.class, () -> BundleReader.read(files));

        assertTrue(error.getMessage().contains("truncated-accounts.json"), error.getMessage());
        assertTrue(error.getMessage().contains("line 3, column"), error.getMessage());
    }

    @Test
    void contentAfterJson_isRejected() throws IOException {
        Path file = write("twice.json", "{\"Roots\": []}\n{\"Roots\": []}\n");

        BadInputException error = assertThrows(BadInputException.class, () -> BundleReader.read(List.of(file)));

        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("line 2"), error.getMessage());
    }

    @Test
    void emptyFile_isRejected() throws IOException {
        Path file = write("empty.json", "");

        BadInputException error = assertThrows(BadInputException.class, () -> BundleReader.read(List.of(file)));

        assertTrue(error.getMessage().contains(file + " is empty"), error.getMessage());
    }

    @Test
    void jsonList_isSkipped() throws IOException {
        Path file = write("list.json", "[1, 2]");

        Bundle read = BundleReader.read(List.of(file));

        assertEquals(1, read.skippedFiles().size());
        assertTrue(read.skippedFiles().get(0).reason().contains("JSON list"), read.skippedFiles().get(0).reason());
        assertNull(read.iam());
        assertNull(read.organization());
    }

    @Test
    void organizationsPolicyList_isNotTakenForIam() throws IOException {
        Path list = write("list.json", """
                {"Policies": [{"Id": "p-denyleave1", "Arn": "%s", "Name": "deny-leave-organization",
                  "Description": "", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": false}]}""".formatted(DENY_LEAVE));
        Path iam = write("iam.json", """
                {"Policies": [{"PolicyName": "read", "PolicyId": "ANPAEXAMPLE000000001",
                  "Arn": "arn:aws:iam::111111111111:policy/read", "Path": "/", "DefaultVersionId": "v1",
                  "AttachmentCount": 0, "PolicyVersionList": []}]}""");

        Bundle read = BundleReader.read(List.of(list, iam));

        assertEquals(1, read.iam().policies().size());
        assertEquals(List.of("p-denyleave1"), read.organization().policies().stream().map(ControlPolicy::id).toList());
    }

    @Test
    void policyWithoutDescribePolicy_keptWithoutDocument() throws IOException {
        write("policies.json", """
                {"Policies": [{"Id": "p-denyleave1", "Arn": "%s", "Name": "deny-leave-organization",
                  "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": false}]}""".formatted(DENY_LEAVE));
        write("p-denyleave1/targets.json", """
                {"Targets": [{"TargetId": "r-ab12", "Arn": "arn:aws:organizations::111111111111:root/o-exampleorg1/r-ab12",
                  "Name": "Root", "Type": "ROOT"}]}""");

        Bundle read = BundleReader.read(jsonFiles(dir));

        ControlPolicy policy = read.organization().policies().get(0);
        assertNull(policy.document());
        assertEquals(1, policy.targets().size());
        assertTrue(read.warnings().stream().anyMatch(w -> w.contains("describe-policy --policy-id p-denyleave1")),
                String.join("\n", read.warnings()));
    }

    @Test
    void targetsWithoutPolicyId_isSkipped() throws IOException {
        Path file = write("targets.json", """
                {"Targets": [{"TargetId": "r-ab12", "Arn": "arn:aws:organizations::111111111111:root/o-exampleorg1/r-ab12",
                  "Name": "Root", "Type": "ROOT"}]}""");

        Bundle read = BundleReader.read(List.of(file));

        assertEquals(1, read.skippedFiles().size());
        assertEquals(file.toString(), read.skippedFiles().get(0).file());
        assertTrue(read.skippedFiles().get(0).reason().contains("policy id (p-...)"), read.skippedFiles().get(0).reason());
    }

    @Test
    void twoOrganizations_areRejected() throws IOException {
        Path first = write("first.json", """
                {"Organization": {"Id": "o-exampleorg1", "MasterAccountId": "111111111111"}}""");
        Path second = write("second.json", """
                {"Roots": [{"Id": "r-cd34", "Arn": "arn:aws:organizations::999999999999:root/o-otherorg222/r-cd34", "Name": "Root"}]}""");

        BadInputException error = assertThrows(BadInputException.class, () -> BundleReader.read(List.of(first, second)));

        assertTrue(error.getMessage().contains("o-exampleorg1 in " + first), error.getMessage());
        assertTrue(error.getMessage().contains("o-otherorg222 in " + second), error.getMessage());
    }

    @Test
    void layoutOfOtherService_isIgnored() throws IOException {
        // A key policy saved under the S3 folder: the content wins, and its statements name no single key.
        Path file = write("resource-policies/s3/logs.json", """
                {"Policy": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Principal\\":\\"*\\",\\"Action\\":\\"kms:*\\",\\"Resource\\":\\"*\\"}]}",
                 "PolicyName": "default"}""");

        Bundle read = BundleReader.read(List.of(file));

        assertEquals(List.of(), read.resourcePolicies());
        assertTrue(read.warnings().stream().anyMatch(w -> w.contains("resource-policies/s3 does not match")),
                String.join("\n", read.warnings()));
        assertEquals(1, read.skippedFiles().size());
    }

    @Test
    void bucketPolicyInS3Folder_withoutAccount() throws IOException {
        Path file = write("resource-policies/s3/site.json", """
                {"Policy": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Principal\\":\\"*\\",\\"Action\\":\\"s3:GetObject\\",\\"Resource\\":\\"*\\"}]}"}""");

        Bundle read = BundleReader.read(List.of(file));

        assertEquals(1, read.resourcePolicies().size());
        ResourcePolicy policy = read.resourcePolicies().get(0);
        assertEquals("arn:aws:s3:::site", policy.resourceArn());
        assertNull(policy.account());
    }

    private SkippedItem skippedItem(String text) {
        return bundle.skippedFiles().stream().filter(s -> s.item().contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no skipped item names " + text + ": " + bundle.skippedFiles()));
    }

    private static ControlPolicy policy(String id) {
        return bundle.organization().policies().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }
}
