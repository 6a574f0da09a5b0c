package dev.nhigraph.aws.collect;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.nhigraph.aws.collect.AwsStub.CALLER_ACCOUNT;
import static dev.nhigraph.aws.collect.AwsStub.REGION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.nhigraph.collect.CollectionGap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collector against {@link AwsStub}: pagination, retries, gaps and the files it writes. */
class AwsCollectorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path bundle;

    private AwsStub aws;

    @BeforeEach
    void startStub() {
        aws = new AwsStub();
    }

    @AfterEach
    void stopStub() {
        aws.close();
    }

    private AwsCollector.Result collect(CollectSettings settings) {
        return new AwsCollector(settings, AwsStub.callerCredentials(), new CallJournal(), "test")
                .collect(bundle, line -> { });
    }

    @Test
    void govCloudCaller_globalCallsInUsGovWest1() {
        aws.stub(AwsStub.query(null, null, "sts", "GetCallerIdentity"), AwsStub.queryResult("GetCallerIdentity",
                "<Arn>arn:aws-us-gov:iam::" + CALLER_ACCOUNT + ":user/collector</Arn><UserId>AIDASTUBCOLLECTOR001</UserId>"
                        + "<Account>" + CALLER_ACCOUNT + "</Account>"));

        AwsCollector.Result result = collect(aws.settings(null).withRegions(List.of("us-gov-west-1")));

        assertEquals(List.of(), result.gaps());
        aws.server().verify(postRequestedFor(urlEqualTo("/"))
                .withRequestBody(containing("Action=GetAccountAuthorizationDetails"))
                .withHeader("Authorization", containing("/us-gov-west-1/iam/aws4_request")));
        aws.server().verify(0, postRequestedFor(urlEqualTo("/"))
                .withRequestBody(containing("Action=GetAccountAuthorizationDetails"))
                .withHeader("Authorization", containing("/us-east-1/iam/aws4_request")));
    }

    @Test
    void authorizationDetails_pagesMerged() throws IOException {
        aws.stub(AwsStub.query(null, null, "iam", "GetAccountAuthorizationDetails"),
                AwsStub.queryResult("GetAccountAuthorizationDetails", "<RoleDetailList>" + role("first")
                        + "</RoleDetailList><IsTruncated>true</IsTruncated><Marker>page-2</Marker>"));
        aws.stub(AwsStub.query(null, null, "iam", "GetAccountAuthorizationDetails")
                        .withRequestBody(containing("Marker=page-2")),
                AwsStub.queryResult("GetAccountAuthorizationDetails", "<RoleDetailList>" + role("second")
                        + "</RoleDetailList><IsTruncated>false</IsTruncated>"));

        AwsCollector.Result result = collect(aws.settings(null));

        JsonNode details = read("iam/authorization-details-" + CALLER_ACCOUNT + ".json");
        assertEquals(2, details.path("RoleDetailList").size(), details.toString());
        assertEquals("first", details.path("RoleDetailList").get(0).path("RoleName").asText());
        assertEquals("second", details.path("RoleDetailList").get(1).path("RoleName").asText());
        assertFalse(details.has("IsTruncated"), "merged pages keep no pagination field");
        assertFalse(details.has("Marker"), "merged pages keep no pagination field");
        assertTrue(details.path("RoleDetailList").get(0).path("AssumeRolePolicyDocument").isObject(),
                "the URL-encoded trust policy is written as JSON, as the CLI prints it");
        assertEquals(2, result.principals());
        aws.server().verify(2, postRequestedFor(urlEqualTo("/"))
                .withRequestBody(containing("Action=GetAccountAuthorizationDetails")));
    }

    @Test
    void throttledCall_retriedThenSucceeds() throws IOException {
        String scenario = "throttled once";
        aws.stub(AwsStub.target(null, REGION, "kms", "TrentService.ListKeys").inScenario(scenario)
                        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("throttled"),
                AwsStub.jsonError(400, "ThrottlingException"));
        aws.stub(AwsStub.target(null, REGION, "kms", "TrentService.ListKeys").inScenario(scenario)
                        .whenScenarioStateIs("throttled"),
                AwsStub.json("{\"Keys\":[{\"KeyId\":\"key-1\"}],\"Truncated\":false}"));
        aws.stub(AwsStub.target(null, REGION, "kms", "TrentService.GetKeyPolicy"),
                AwsStub.json("{\"Policy\":\"{}\",\"PolicyName\":\"default\"}"));

        AwsCollector.Result result = collect(aws.settings(null));

        assertEquals(List.of(), result.gaps());
        assertTrue(result.retries() >= 1, "retries: " + result.retries());
        assertTrue(Files.exists(bundle.resolve("resource-policies/kms/" + CALLER_ACCOUNT + "/" + REGION + "/key-1.json")));
    }

    @Test
    void serverError_retriedThenSucceeds() {
        String scenario = "one server error";
        aws.stub(AwsStub.target(null, REGION, "sqs", "AmazonSQS.ListQueues").inScenario(scenario)
                        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("failed"),
                AwsStub.jsonError(500, "InternalError"));
        aws.stub(AwsStub.target(null, REGION, "sqs", "AmazonSQS.ListQueues").inScenario(scenario)
                        .whenScenarioStateIs("failed"), AwsStub.json("{}"));

        AwsCollector.Result result = collect(aws.settings(null));

        assertEquals(List.of(), result.gaps());
        assertTrue(result.retries() >= 1, "retries: " + result.retries());
    }

    @Test
    void accessDenied_gapRecordedAndRunGoesOn() throws IOException {
        aws.serveBundle(Path.of("src/test/resources/fixtures/collect-stub"));
        aws.stub(AwsStub.target(null, REGION, "kms", "TrentService.ListKeys"), AwsStub.jsonError(400, "AccessDeniedException"));

        AwsCollector.Result result = collect(aws.settings(null));

        assertEquals(1, result.gaps().size(), result.gaps().toString());
        CollectionGap gap = result.gaps().get(0);
        assertEquals(CALLER_ACCOUNT, gap.scope());
        assertEquals(REGION, gap.region());
        assertEquals("kms", gap.service());
        assertEquals("ListKeys", gap.call());
        assertEquals(CollectionGap.Reason.ACCESS_DENIED, gap.reason());
        assertFalse(Files.exists(bundle.resolve("resource-policies/kms")), "no key policy without the key list");
        assertTrue(Files.exists(bundle.resolve("resource-policies/sqs/" + CALLER_ACCOUNT + "/" + REGION + "/orders.json")),
                "the services after KMS are still collected");
        JsonNode gaps = read("collection-gaps.json");
        assertEquals("access-denied", gaps.path("collectionGaps").get(0).path("reason").asText());
        assertEquals("nhigraph collect aws", gaps.path("collector").asText());
    }

    @Test
    void sameFailureForEachUser_oneGapWithCount() {
        aws.stub(AwsStub.query(null, null, "iam", "GetAccountAuthorizationDetails"),
                AwsStub.queryResult("GetAccountAuthorizationDetails", "<UserDetailList>" + user("alice") + user("bob")
                        + user("carol") + "</UserDetailList><IsTruncated>false</IsTruncated>"));
        aws.stub(AwsStub.query(null, null, "iam", "ListAccessKeys"), AwsStub.queryError(403, "AccessDenied"));

        AwsCollector.Result result = collect(aws.settings(null));

        assertEquals(1, result.gaps().size(), result.gaps().toString());
        assertEquals("ListAccessKeys", result.gaps().get(0).call());
        assertTrue(result.gaps().get(0).message().endsWith("(and 2 more calls that failed the same way)"),
                result.gaps().get(0).message());
    }

    @Test
    void regionTimingOut_boundedAndRecorded() throws IOException {
        String slow = "ap-south-1";
        for (String target : List.of("TrentService.ListKeys", "secretsmanager.ListSecrets", "AmazonSQS.ListQueues")) {
            String service = target.startsWith("Trent") ? "kms" : target.startsWith("secrets") ? "secretsmanager" : "sqs";
            aws.stub(AwsStub.target(null, slow, service, target), AwsStub.json("{}").withFixedDelay(3_000));
        }
        CollectSettings settings = aws.settings(null, REGION, slow)
                .withTimeouts(Duration.ofMillis(1_500), Duration.ofMillis(500));

        long started = System.nanoTime();
        AwsCollector.Result result = collect(settings);
        long seconds = (System.nanoTime() - started) / 1_000_000_000;

        assertTrue(seconds < 10, "the slow region cost " + seconds + " s");
        List<CollectionGap> timeouts = result.gaps().stream().filter(gap -> slow.equals(gap.region())).toList();
        assertEquals(1, timeouts.size(), "one gap for the region, then its other calls are skipped: " + result.gaps());
        assertEquals(CollectionGap.Reason.TIMEOUT, timeouts.get(0).reason());
        assertEquals(1, result.gaps().size(), "the other region has no gap: " + result.gaps());
    }

    private JsonNode read(String relative) throws IOException {
        return JSON.readTree(bundle.resolve(relative).toFile());
    }

    private static String user(String name) {
        return "<member><Path>/</Path><UserName>" + name + "</UserName><UserId>AIDA" + name.toUpperCase()
                + "</UserId><Arn>arn:aws:iam::" + CALLER_ACCOUNT + ":user/" + name + "</Arn>"
                + "<CreateDate>2024-01-01T00:00:00Z</CreateDate></member>";
    }

    private static String role(String name) {
        String trust = AwsStub.encode("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}");
        return "<member><Path>/</Path><RoleName>" + name + "</RoleName><RoleId>AROA" + name.toUpperCase()
                + "</RoleId><Arn>arn:aws:iam::" + CALLER_ACCOUNT + ":role/" + name + "</Arn>"
                + "<CreateDate>2024-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>" + trust
                + "</AssumeRolePolicyDocument></member>";
    }
}
