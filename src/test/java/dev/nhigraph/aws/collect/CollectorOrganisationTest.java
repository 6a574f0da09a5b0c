package dev.nhigraph.aws.collect;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static dev.nhigraph.aws.collect.AwsStub.CALLER_ACCOUNT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An organisation of three accounts collected with --assume-role-name, and the collector's IAM policy checked
 * against the calls such a full run makes.
 */
class CollectorOrganisationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> MEMBERS = List.of("222222222222", "333333333333");
    private static final String ROLE = "nhigraph-collector";
    private static final Path POLICY = Path.of("collectors/aws/nhigraph-collector-policy.json");

    /** Calls that every identity may make, so no policy grants them. */
    private static final Set<String> ALWAYS_ALLOWED = Set.of("sts:GetCallerIdentity");

    @TempDir
    Path bundle;

    private AwsStub aws;

    @BeforeEach
    void startStub() {
        aws = new AwsStub();
        stubOrganisation();
    }

    @AfterEach
    void stopStub() {
        aws.close();
    }

    @Test
    void organisation_threeAccountsAssumed() throws IOException {
        AwsCollector.Result result = new AwsCollector(aws.settings(ROLE), AwsStub.callerCredentials(), new CallJournal(),
                "test").collect(bundle, line -> { });

        assertEquals(List.of(CALLER_ACCOUNT, "222222222222", "333333333333"), result.accounts());
        assertEquals(List.of(), result.gaps());
        for (String member : MEMBERS) {
            JsonNode details = JSON.readTree(bundle.resolve("iam/authorization-details-" + member + ".json").toFile());
            assertEquals("member-" + member, details.path("RoleDetailList").get(0).path("RoleName").asText(),
                    "account " + member + " is read with the credentials of the role assumed in it");
        }
        assertTrue(Files.exists(bundle.resolve("organizations/children/ou-stub-11111111/accounts.json")));
        assertTrue(Files.exists(bundle.resolve("organizations/policies/p-FullAWSAccess/targets.json")));
    }

    @Test
    void assumeRoleDenied_accountLeftOutWithGap() {
        aws.stub(AwsStub.query(null, null, "sts", "AssumeRole").withRequestBody(containing("333333333333")),
                AwsStub.queryError(403, "AccessDenied"));

        AwsCollector.Result result = new AwsCollector(aws.settings(ROLE), AwsStub.callerCredentials(), new CallJournal(),
                "test").collect(bundle, line -> { });

        assertEquals(List.of(CALLER_ACCOUNT, "222222222222"), result.accounts());
        assertEquals(1, result.gaps().size(), result.gaps().toString());
        assertEquals("333333333333", result.gaps().get(0).scope());
        assertEquals("AssumeRole", result.gaps().get(0).call());
    }

    @Test
    void collectorPolicy_grantsExactlyTheCallsMade() throws IOException {
        aws.serveBundle(Path.of("src/test/resources/fixtures/collect-stub"));
        CallJournal journal = new CallJournal();
        // No --regions, so the run also lists the enabled regions.
        CollectSettings settings = aws.settings(ROLE).withRegions(List.of()).withServiceLastAccessed(true);

        AwsCollector.Result result = new AwsCollector(settings, AwsStub.callerCredentials(), journal, "test")
                .collect(bundle, line -> { });

        assertEquals(List.of(), result.gaps());
        Set<String> called = new TreeSet<>(journal.actions());
        called.removeAll(ALWAYS_ALLOWED);
        Set<String> granted = new TreeSet<>(policyActions());
        Set<String> missing = new TreeSet<>(called);
        missing.removeAll(granted);
        Set<String> unused = new TreeSet<>(granted);
        unused.removeAll(called);
        assertEquals(Set.of(), missing, "calls the policy does not grant");
        assertEquals(Set.of(), unused, "actions the policy grants but the collector never calls");
        assertTrue(called.size() > 30, "the run made " + called.size() + " kinds of call");
    }

    private static Set<String> policyActions() throws IOException {
        Set<String> actions = new HashSet<>();
        for (JsonNode statement : JSON.readTree(POLICY.toFile()).path("Statement")) {
            JsonNode action = statement.path("Action");
            if (action.isArray()) {
                action.forEach(item -> actions.add(item.asText()));
            } else {
                actions.add(action.asText());
            }
        }
        return actions;
    }

    private void stubOrganisation() {
        String organization = "arn:aws:organizations::" + CALLER_ACCOUNT + ":organization/o-stub000001";
        organizations("DescribeOrganization", "{\"Organization\":{\"Id\":\"o-stub000001\",\"Arn\":\"" + organization
                + "\",\"FeatureSet\":\"ALL\",\"MasterAccountId\":\"" + CALLER_ACCOUNT + "\"}}", null);
        organizations("ListRoots", "{\"Roots\":[{\"Id\":\"r-stub\",\"Arn\":\"arn:aws:organizations::" + CALLER_ACCOUNT
                + ":root/o-stub000001/r-stub\",\"Name\":\"Root\"}]}", null);
        organizations("ListAccounts", "{\"Accounts\":[" + account(CALLER_ACCOUNT) + "," + account(MEMBERS.get(0)) + ","
                + account(MEMBERS.get(1)) + "]}", null);
        organizations("ListOrganizationalUnitsForParent", "{\"OrganizationalUnits\":[{\"Id\":\"ou-stub-11111111\","
                + "\"Arn\":\"arn:aws:organizations::" + CALLER_ACCOUNT + ":ou/o-stub000001/ou-stub-11111111\","
                + "\"Name\":\"workloads\"}]}", "\"r-stub\"");
        organizations("ListOrganizationalUnitsForParent", "{\"OrganizationalUnits\":[]}", "ou-stub-11111111");
        organizations("ListAccountsForParent", "{\"Accounts\":[" + account(CALLER_ACCOUNT) + "]}", "\"r-stub\"");
        organizations("ListAccountsForParent", "{\"Accounts\":[" + account(MEMBERS.get(0)) + "," + account(MEMBERS.get(1))
                + "]}", "ou-stub-11111111");
        organizations("ListPolicies", "{\"Policies\":[{\"Id\":\"p-FullAWSAccess\",\"Arn\":\"arn:aws:organizations::aws:"
                + "policy/service_control_policy/p-FullAWSAccess\",\"Name\":\"FullAWSAccess\",\"Type\":"
                + "\"SERVICE_CONTROL_POLICY\",\"AwsManaged\":true}]}", "SERVICE_CONTROL_POLICY");
        organizations("ListPolicies", "{\"Policies\":[]}", "RESOURCE_CONTROL_POLICY");
        organizations("DescribePolicy", "{\"Policy\":{\"PolicySummary\":{\"Id\":\"p-FullAWSAccess\",\"Arn\":"
                + "\"arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess\",\"Name\":\"FullAWSAccess\","
                + "\"Type\":\"SERVICE_CONTROL_POLICY\",\"AwsManaged\":true},\"Content\":\"{\\\"Version\\\":\\\"2012-10-17\\\","
                + "\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"*\\\",\\\"Resource\\\":\\\"*\\\"}]}\"}}", null);
        organizations("ListTargetsForPolicy", "{\"Targets\":[{\"TargetId\":\"r-stub\",\"Arn\":\"arn:aws:organizations::"
                + CALLER_ACCOUNT + ":root/o-stub000001/r-stub\",\"Name\":\"Root\",\"Type\":\"ROOT\"}]}", null);

        for (String member : MEMBERS) {
            String key = "ASIASTUBMEMBER" + member.substring(0, 6);
            aws.stub(AwsStub.query(AwsStub.CALLER_KEY, null, "sts", "AssumeRole")
                            .withRequestBody(containing(AwsStub.encode("arn:aws:iam::" + member + ":role/" + ROLE))),
                    AwsStub.queryResult("AssumeRole", "<Credentials><AccessKeyId>" + key + "</AccessKeyId>"
                            + "<SecretAccessKey>stub-secret-not-a-real-key</SecretAccessKey><SessionToken>stub-token"
                            + "</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>"
                            + "<AssumedRoleUser><Arn>arn:aws:sts::" + member + ":assumed-role/" + ROLE + "/nhigraph-collect"
                            + "</Arn><AssumedRoleId>AROASTUB:nhigraph-collect</AssumedRoleId></AssumedRoleUser>"));
            aws.stub(AwsStub.query(key, null, "iam", "GetAccountAuthorizationDetails"),
                    AwsStub.queryResult("GetAccountAuthorizationDetails", "<RoleDetailList><member><Path>/</Path>"
                            + "<RoleName>member-" + member + "</RoleName><RoleId>AROAMEMBER" + member + "</RoleId>"
                            + "<Arn>arn:aws:iam::" + member + ":role/member-" + member + "</Arn>"
                            + "<CreateDate>2024-01-01T00:00:00Z</CreateDate></member></RoleDetailList>"
                            + "<IsTruncated>false</IsTruncated>"));
        }
    }

    private void organizations(String operation, String body, String requestPart) {
        var request = AwsStub.target(null, null, "organizations", "AWSOrganizationsV20161128." + operation);
        if (requestPart != null) {
            request = request.withRequestBody(containing(requestPart));
        }
        aws.stub(request, AwsStub.json(body));
    }

    private static String account(String id) {
        return "{\"Id\":\"" + id + "\",\"Arn\":\"arn:aws:organizations::" + CALLER_ACCOUNT + ":account/o-stub000001/" + id
                + "\",\"Email\":\"aws-" + id + "@example.com\",\"Name\":\"account-" + id + "\",\"Status\":\"ACTIVE\"}";
    }
}
