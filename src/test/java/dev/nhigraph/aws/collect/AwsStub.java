package dev.nhigraph.aws.collect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A WireMock server on 127.0.0.1 that serves the AWS APIs the collector calls, in each service's wire format: the
 * query protocol's XML (IAM, STS, SNS, and EC2's variant), JSON 1.0 and 1.1 (SQS, KMS, Secrets Manager, ECR, ECS,
 * Organizations), REST JSON (Lambda) and REST XML (S3).
 *
 * <p>Calls are told apart by the service and region of their signature and by their action or target. A call
 * made with another access key (an assumed role's) can be matched on that key. The SDK's system properties are set
 * here so that no client in the test JVM finds real credentials, a profile file or the instance metadata service.
 */
final class AwsStub implements AutoCloseable {

    static final String CALLER_ACCOUNT = "111111111111";
    static final String CALLER_KEY = "AKIDSTUBCALLER000001";
    static final String REGION = "eu-west-1";

    /** Stubs that a test adds win over those of {@link #serveBundle} and the empty account's defaults. */
    static final int TEST_PRIORITY = 1;
    private static final int BUNDLE_PRIORITY = 5;
    private static final int DEFAULT_PRIORITY = 10;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> IAM_DOCUMENT_FIELDS = Set.of("PolicyDocument", "AssumeRolePolicyDocument", "Document");

    static {
        isolateSdkFromTheMachine();
    }

    private final WireMockServer server;

    AwsStub() {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(40));
        server.start();
        emptyAccount();
    }

    /**
     * Points the SDK's credential and region lookups at fake values, so that a client built without explicit
     * credentials (the command line's default chain) can never reach real credentials or the metadata service.
     */
    static void isolateSdkFromTheMachine() {
        System.setProperty("aws.disableEc2Metadata", "true");
        System.setProperty("aws.accessKeyId", CALLER_KEY);
        System.setProperty("aws.secretAccessKey", "stub-secret-not-a-real-key");
        System.setProperty("aws.region", REGION);
        System.setProperty("aws.configFile", "target/no-aws-config");
        System.setProperty("aws.sharedCredentialsFile", "target/no-aws-credentials");
    }

    static StaticCredentialsProvider callerCredentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(CALLER_KEY, "stub-secret-not-a-real-key"));
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    WireMockServer server() {
        return server;
    }

    /** Returns settings for a collection of {@link #REGION} through this stub, with short timeouts and polls. */
    CollectSettings settings(String assumeRoleName, String... regions) {
        return CollectSettings.of(null, regions.length == 0 ? List.of(REGION) : List.of(regions), assumeRoleName,
                        List.of(), 4, endpoint())
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(2))
                .withReportPolling(3, Duration.ofMillis(50));
    }

    // ------------------------------------------------------------------ request matching

    /** Matches a query-protocol call (IAM, STS, SNS, EC2) of {@code action}, from any key and region when null. */
    static MappingBuilder query(String key, String region, String service, String action) {
        return post(urlEqualTo("/"))
                .withHeader("Authorization", signedBy(key, region, service))
                .withRequestBody(matching("(?s)(.*&)?Action=" + action + "(&.*)?"));
    }

    /** Matches a JSON-protocol call by its X-Amz-Target, such as {@code TrentService.ListKeys}. */
    static MappingBuilder target(String key, String region, String service, String target) {
        return post(urlEqualTo("/"))
                .withHeader("Authorization", signedBy(key, region, service))
                .withHeader("X-Amz-Target", matching(java.util.regex.Pattern.quote(target)));
    }

    /** Matches a REST call (Lambda, S3) of {@code method} on a path pattern. */
    static MappingBuilder rest(String key, String region, String service, String method, String urlPattern) {
        MappingBuilder builder = method.equals("GET") ? get(urlMatching(urlPattern)) : post(urlMatching(urlPattern));
        return builder.withHeader("Authorization", signedBy(key, region, service));
    }

    private static com.github.tomakehurst.wiremock.matching.StringValuePattern signedBy(String key, String region,
                                                                                      String service) {
        return matching(".*Credential=" + (key == null ? "[^/]+" : key) + "/\\d{8}/"
                + (region == null ? "[^/]+" : region) + "/" + service + "/aws4_request.*");
    }

    // ------------------------------------------------------------------ responses

    static ResponseDefinitionBuilder queryResult(String action, String resultXml) {
        return xml("<" + action + "Response><" + action + "Result>" + resultXml + "</" + action + "Result>"
                + "<ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></" + action + "Response>");
    }

    static ResponseDefinitionBuilder xml(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(body);
    }

    static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
    }

    static ResponseDefinitionBuilder json(JsonNode body) {
        return json(body.toString());
    }

    static ResponseDefinitionBuilder queryError(int status, String code) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml")
                .withBody("<ErrorResponse><Error><Type>Sender</Type><Code>" + code + "</Code><Message>stub " + code
                        + "</Message></Error><RequestId>stub</RequestId></ErrorResponse>");
    }

    static ResponseDefinitionBuilder jsonError(int status, String code) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withHeader("x-amzn-ErrorType", code)
                .withBody("{\"__type\":\"" + code + "\",\"message\":\"stub " + code + "\"}");
    }

    void stub(MappingBuilder request, ResponseDefinitionBuilder response) {
        stub(request, response, TEST_PRIORITY);
    }

    private void stub(MappingBuilder request, ResponseDefinitionBuilder response, int priority) {
        server.stubFor(request.atPriority(priority).willReturn(response));
    }

    // ------------------------------------------------------------------ an empty account

    /** An account with nothing in it, so every call of a collection gets a response. */
    private void emptyAccount() {
        stub(query(null, null, "sts", "GetCallerIdentity"), queryResult("GetCallerIdentity",
                "<Arn>arn:aws:iam::" + CALLER_ACCOUNT + ":user/collector</Arn><UserId>AIDASTUBCOLLECTOR001</UserId>"
                        + "<Account>" + CALLER_ACCOUNT + "</Account>"), DEFAULT_PRIORITY);
        stub(query(null, null, "iam", "GetAccountAuthorizationDetails"), queryResult("GetAccountAuthorizationDetails",
                "<UserDetailList/><GroupDetailList/><RoleDetailList/><Policies/><IsTruncated>false</IsTruncated>"),
                DEFAULT_PRIORITY);
        stub(query(null, null, "iam", "GenerateCredentialReport"),
                queryResult("GenerateCredentialReport", "<State>COMPLETE</State>"), DEFAULT_PRIORITY);
        stub(query(null, null, "iam", "GetCredentialReport"), queryResult("GetCredentialReport",
                "<Content>" + java.util.Base64.getEncoder().encodeToString("user,arn\n".getBytes(StandardCharsets.UTF_8))
                        + "</Content><ReportFormat>text/csv</ReportFormat>"
                        + "<GeneratedTime>2026-12-05T12:00:00Z</GeneratedTime>"), DEFAULT_PRIORITY);
        stub(query(null, null, "iam", "ListOpenIDConnectProviders"),
                queryResult("ListOpenIDConnectProviders", "<OpenIDConnectProviderList/>"), DEFAULT_PRIORITY);
        stub(query(null, null, "iam", "ListSAMLProviders"), queryResult("ListSAMLProviders", "<SAMLProviderList/>"),
                DEFAULT_PRIORITY);
        stub(query(null, null, "iam", "GenerateServiceLastAccessedDetails"),
                queryResult("GenerateServiceLastAccessedDetails", "<JobId>job-empty</JobId>"), DEFAULT_PRIORITY);
        stub(query(null, null, "iam", "GetServiceLastAccessedDetails"), queryResult("GetServiceLastAccessedDetails",
                "<JobStatus>COMPLETED</JobStatus><ServicesLastAccessed/><JobCreationDate>2026-12-01T09:00:00Z</JobCreationDate>"
                        + "<JobCompletionDate>2026-12-01T09:00:01Z</JobCompletionDate>"), DEFAULT_PRIORITY);
        stub(target(null, null, "organizations", "AWSOrganizationsV20161128.DescribeOrganization"),
                jsonError(400, "AWSOrganizationsNotInUseException"), DEFAULT_PRIORITY);
        stub(query(null, null, "ec2", "DescribeRegions"), xml("<DescribeRegionsResponse><requestId>stub</requestId>"
                + "<regionInfo><item><regionName>" + REGION + "</regionName></item></regionInfo></DescribeRegionsResponse>"),
                DEFAULT_PRIORITY);
        stub(query(null, null, "ec2", "DescribeInstances"), xml("<DescribeInstancesResponse><requestId>stub</requestId>"
                + "<reservationSet/></DescribeInstancesResponse>"), DEFAULT_PRIORITY);
        stub(rest(null, null, "s3", "GET", "/"), xml("<ListAllMyBucketsResult><Owner><ID>stub</ID></Owner><Buckets/>"
                + "</ListAllMyBucketsResult>"), DEFAULT_PRIORITY);
        stub(target(null, null, "kms", "TrentService.ListKeys"), json("{\"Keys\":[],\"Truncated\":false}"), DEFAULT_PRIORITY);
        stub(target(null, null, "secretsmanager", "secretsmanager.ListSecrets"), json("{\"SecretList\":[]}"), DEFAULT_PRIORITY);
        stub(target(null, null, "sqs", "AmazonSQS.ListQueues"), json("{}"), DEFAULT_PRIORITY);
        stub(query(null, null, "sns", "ListTopics"), queryResult("ListTopics", "<Topics/>"), DEFAULT_PRIORITY);
        stub(rest(null, null, "lambda", "GET", "/2015-03-31/functions/?(\\?.*)?"), json("{\"Functions\":[]}"), DEFAULT_PRIORITY);
        stub(target(null, null, "ecr", "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories"),
                json("{\"repositories\":[]}"), DEFAULT_PRIORITY);
        stub(target(null, null, "ecs", "AmazonEC2ContainerServiceV20141113.ListTaskDefinitions"),
                json("{\"taskDefinitionArns\":[]}"), DEFAULT_PRIORITY);
    }

    // ------------------------------------------------------------------ an account served from an offline export

    /**
     * Serves the facts of an offline export (the CLI's JSON, in the bundle layout) as the caller's account, each in
     * its service's wire format, so that a collection of the stub should give back the same facts.
     */
    void serveBundle(Path folder) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> buckets = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> queues = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        List<String> repositories = new ArrayList<>();
        List<String> taskDefinitions = new ArrayList<>();

        for (Path file : files) {
            String relative = folder.relativize(file).toString().replace('\\', '/');
            String name = file.getFileName().toString().replaceFirst("\\.json$", "");
            JsonNode content = read(file);
            if (relative.startsWith("iam/authorization-details-")) {
                stubIam("GetAccountAuthorizationDetails", null, content);
            } else if (relative.startsWith("iam/credential-report-")) {
                stubIam("GetCredentialReport", null, content);
            } else if (relative.startsWith("iam/access-keys/")) {
                stubIam("ListAccessKeys", "UserName=" + name, content);
            } else if (relative.startsWith("iam/access-key-last-used/")) {
                stubIam("GetAccessKeyLastUsed", "AccessKeyId=" + name, content);
            } else if (relative.startsWith("iam/oidc-providers-")) {
                stubIam("ListOpenIDConnectProviders", null, content);
            } else if (relative.startsWith("iam/oidc-providers/")) {
                stubIam("GetOpenIDConnectProvider", encode(":oidc-provider/" + content.path("Url").asText()), content);
            } else if (relative.startsWith("iam/saml-providers-")) {
                stubIam("ListSAMLProviders", null, content);
            } else if (relative.startsWith("iam/service-last-accessed/")) {
                String job = "job-" + name;
                stub(query(null, null, "iam", "GenerateServiceLastAccessedDetails").withRequestBody(containing(encode("/" + name))),
                        queryResult("GenerateServiceLastAccessedDetails", "<JobId>" + job + "</JobId>"), BUNDLE_PRIORITY);
                stubIam("GetServiceLastAccessedDetails", "JobId=" + job, content);
            } else if (relative.startsWith("resource-policies/s3/")) {
                buckets.add("<Bucket><Name>" + name + "</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate></Bucket>");
                stub(rest(null, null, "s3", "GET", "/" + name + "\\?policy.*"), aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody(content.path("Policy").asText()), BUNDLE_PRIORITY);
            } else if (relative.startsWith("resource-policies/kms/")) {
                keys.add("{\"KeyId\":\"" + name + "\"}");
                stub(target(null, REGION, "kms", "TrentService.GetKeyPolicy").withRequestBody(containing(name)),
                        json(content), BUNDLE_PRIORITY);
            } else if (relative.startsWith("resource-policies/sqs/")) {
                String url = "https://sqs." + REGION + ".amazonaws.com/" + CALLER_ACCOUNT + "/" + name;
                queues.add("\"" + url + "\"");
                stub(target(null, REGION, "sqs", "AmazonSQS.GetQueueAttributes").withRequestBody(containing(name)),
                        json(content), BUNDLE_PRIORITY);
            } else if (relative.startsWith("resource-policies/sns/")) {
                String arn = content.path("Attributes").path("TopicArn").asText();
                topics.add("<member><TopicArn>" + arn + "</TopicArn></member>");
                StringBuilder entries = new StringBuilder();
                content.path("Attributes").fields().forEachRemaining(entry -> entries.append("<entry><key>")
                        .append(entry.getKey()).append("</key><value>").append(escape(entry.getValue().asText()))
                        .append("</value></entry>"));
                stub(query(null, REGION, "sns", "GetTopicAttributes").withRequestBody(containing(encode(arn))),
                        queryResult("GetTopicAttributes", "<Attributes>" + entries + "</Attributes>"), BUNDLE_PRIORITY);
            } else if (relative.startsWith("resource-policies/lambda/")) {
                stub(rest(null, REGION, "lambda", "GET", "/2015-03-31/functions/" + name + "/policy.*"), json(content),
                        BUNDLE_PRIORITY);
            } else if (relative.startsWith("resource-policies/secretsmanager/")) {
                String arn = content.path("ARN").asText();
                secrets.add("{\"ARN\":\"" + arn + "\",\"Name\":\"" + content.path("Name").asText() + "\"}");
                stub(target(null, REGION, "secretsmanager", "secretsmanager.GetResourcePolicy")
                        .withRequestBody(containing(arn)), json(content), BUNDLE_PRIORITY);
            } else if (relative.startsWith("resource-policies/ecr/")) {
                String repository = content.path("repositoryName").asText();
                repositories.add("{\"registryId\":\"" + CALLER_ACCOUNT + "\",\"repositoryName\":\"" + repository + "\"}");
                stub(target(null, REGION, "ecr", "AmazonEC2ContainerRegistry_V20150921.GetRepositoryPolicy")
                        .withRequestBody(containing(repository)), json(content), BUNDLE_PRIORITY);
            } else if (relative.startsWith("compute/lambda/")) {
                stub(rest(null, REGION, "lambda", "GET", "/2015-03-31/functions/?(\\?.*)?"), json(content), BUNDLE_PRIORITY);
            } else if (relative.startsWith("compute/ec2/")) {
                stub(query(null, REGION, "ec2", "DescribeInstances"), xml(ec2Instances(content)), BUNDLE_PRIORITY);
            } else if (relative.startsWith("compute/ecs/")) {
                String arn = content.path("taskDefinition").path("taskDefinitionArn").asText();
                taskDefinitions.add("\"" + arn + "\"");
                stub(target(null, REGION, "ecs", "AmazonEC2ContainerServiceV20141113.DescribeTaskDefinition")
                        .withRequestBody(containing(arn)), json(content), BUNDLE_PRIORITY);
            } else {
                throw new IllegalArgumentException("The stub cannot serve " + relative + " yet");
            }
        }

        stub(rest(null, null, "s3", "GET", "/"), xml("<ListAllMyBucketsResult><Owner><ID>stub</ID></Owner><Buckets>"
                + String.join("", buckets) + "</Buckets></ListAllMyBucketsResult>"), BUNDLE_PRIORITY);
        stub(target(null, REGION, "kms", "TrentService.ListKeys"),
                json("{\"Keys\":[" + String.join(",", keys) + "],\"Truncated\":false}"), BUNDLE_PRIORITY);
        stub(target(null, REGION, "sqs", "AmazonSQS.ListQueues"),
                json("{\"QueueUrls\":[" + String.join(",", queues) + "]}"), BUNDLE_PRIORITY);
        stub(query(null, REGION, "sns", "ListTopics"),
                queryResult("ListTopics", "<Topics>" + String.join("", topics) + "</Topics>"), BUNDLE_PRIORITY);
        stub(target(null, REGION, "secretsmanager", "secretsmanager.ListSecrets"),
                json("{\"SecretList\":[" + String.join(",", secrets) + "]}"), BUNDLE_PRIORITY);
        stub(target(null, REGION, "ecr", "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories"),
                json("{\"repositories\":[" + String.join(",", repositories) + "]}"), BUNDLE_PRIORITY);
        stub(target(null, REGION, "ecs", "AmazonEC2ContainerServiceV20141113.ListTaskDefinitions"),
                json("{\"taskDefinitionArns\":[" + String.join(",", taskDefinitions) + "]}"), BUNDLE_PRIORITY);
    }

    private void stubIam(String action, String bodyPart, JsonNode content) {
        MappingBuilder request = query(null, null, "iam", action);
        if (bodyPart != null) {
            request = request.withRequestBody(containing(bodyPart));
        }
        stub(request, queryResult(action, queryXml(content)), BUNDLE_PRIORITY);
    }

    /**
     * Returns the members of {@code object} as query-protocol XML: lists as {@code member} elements, and IAM policy
     * documents URL-encoded, as IAM sends them.
     */
    static String queryXml(JsonNode object) {
        StringBuilder xml = new StringBuilder();
        object.fields().forEachRemaining(field -> element(xml, field.getKey(), field.getValue()));
        return xml.toString();
    }

    private static void element(StringBuilder xml, String name, JsonNode value) {
        xml.append('<').append(name).append('>');
        if (IAM_DOCUMENT_FIELDS.contains(name) && value.isObject()) {
            // IAM percent-encodes spaces as %20; a '+' in the document is a literal plus.
            xml.append(escape(encode(value.toString()).replace("+", "%20")));
        } else if (value.isObject()) {
            xml.append(queryXml(value));
        } else if (value.isArray()) {
            value.forEach(item -> element(xml, "member", item));
        } else {
            xml.append(escape(value.asText()));
        }
        xml.append("</").append(name).append('>');
    }

    /** Returns EC2's XML for the instance fields the offline export gives. */
    private static String ec2Instances(JsonNode content) {
        StringBuilder xml = new StringBuilder("<DescribeInstancesResponse><requestId>stub</requestId><reservationSet>");
        for (JsonNode reservation : content.path("Reservations")) {
            xml.append("<item><reservationId>").append(reservation.path("ReservationId").asText())
                    .append("</reservationId><ownerId>").append(reservation.path("OwnerId").asText())
                    .append("</ownerId><instancesSet>");
            for (JsonNode instance : reservation.path("Instances")) {
                xml.append("<item><instanceId>").append(instance.path("InstanceId").asText()).append("</instanceId>")
                        .append("<instanceState><code>").append(instance.path("State").path("Code").asInt())
                        .append("</code><name>").append(instance.path("State").path("Name").asText())
                        .append("</name></instanceState><iamInstanceProfile><arn>")
                        .append(instance.path("IamInstanceProfile").path("Arn").asText()).append("</arn><id>")
                        .append(instance.path("IamInstanceProfile").path("Id").asText())
                        .append("</id></iamInstanceProfile><placement><availabilityZone>")
                        .append(instance.path("Placement").path("AvailabilityZone").asText())
                        .append("</availabilityZone></placement></item>");
            }
            xml.append("</instancesSet></item>");
        }
        return xml.append("</reservationSet></DescribeInstancesResponse>").toString();
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
