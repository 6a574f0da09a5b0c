package dev.nhigraph.aws.collect;

import static com.github.tomakehurst.wiremock.client.WireMock.matching;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures a collection of a stub account with many roles: {@code ROLES} roles over pages of 1,000, {@code USERS}
 * users with one access key each, and {@code RESOURCES} KMS keys and SQS queues with policies in each of two regions.
 * Every stub response waits {@code DELAY_MS}, in place of the API's own latency.
 *
 * <p>Run: {@code mvn -q -Pbench test-compile exec:exec -Dbench.main=dev.nhigraph.aws.collect.CollectorBenchmark
 * -Dbench.args='ROLES USERS RESOURCES DELAY_MS PARALLELISM [SERVICE_LAST_ACCESSED]'}. With
 * SERVICE_LAST_ACCESSED {@code true}, every user and role also gets a service last accessed report, ready at the
 * first poll.; docs/benchmarks.md has results.
 */
public final class CollectorBenchmark {

    private static final int PAGE = 1000;

    private CollectorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int roles = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int resources = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int delay = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        int parallelism = args.length > 4 ? Integer.parseInt(args[4]) : CollectSettings.DEFAULT_PARALLELISM;
        boolean serviceLastAccessed = args.length > 5 && Boolean.parseBoolean(args[5]);
        List<String> regions = List.of(AwsStub.REGION, "us-east-1");

        try (AwsStub aws = new AwsStub()) {
            stubRoles(aws, roles, users);
            stubUsers(aws, users);
            for (String region : regions) {
                stubResources(aws, region, resources);
            }
            aws.server().setGlobalFixedDelay(delay);
            CollectSettings settings = CollectSettings.of(null, regions, null, List.of(), parallelism, aws.endpoint())
                    .withServiceLastAccessed(serviceLastAccessed);
            // The first run also pays for loading the SDK's classes; the second shows the steady state.
            for (String run : List.of("first", "second")) {
                Path bundle = Files.createTempDirectory("nhigraph-collect-bench-");
                long started = System.nanoTime();
                AwsCollector.Result result = new AwsCollector(settings, AwsStub.callerCredentials(), new CallJournal(),
                        "bench").collect(bundle, line -> { });
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf(Locale.ROOT, "%s run, roles=%d users=%d resources/region=%d delay=%dms parallelism=%d"
                                + " serviceLastAccessed=%b: %.2f s, %d calls, %.0f calls/s, %d retries, %d gaps, %d files%n", run,
                        roles, users, resources, delay, parallelism, serviceLastAccessed, seconds, result.calls(), result.calls() / seconds, result.retries(),
                        result.gaps().size(), result.files());
                dev.nhigraph.db.TempDirectories.deleteRecursively(bundle);
            }
        }
    }

    private static void stubRoles(AwsStub aws, int roles, int users) {
        int pages = Math.max(1, (roles + PAGE - 1) / PAGE);
        for (int page = 0; page < pages; page++) {
            StringBuilder xml = new StringBuilder("<RoleDetailList>");
            for (int i = page * PAGE; i < Math.min(roles, (page + 1) * PAGE); i++) {
                xml.append(role(i));
            }
            xml.append("</RoleDetailList>");
            if (page == 0) {
                xml.append("<UserDetailList>");
                for (int i = 0; i < users; i++) {
                    xml.append("<member><Path>/</Path><UserName>user-").append(i).append("</UserName><UserId>AIDA")
                            .append(i).append("</UserId><Arn>arn:aws:iam::").append(AwsStub.CALLER_ACCOUNT)
                            .append(":user/user-").append(i).append("</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate></member>");
                }
                xml.append("</UserDetailList>");
            }
            boolean last = page == pages - 1;
            xml.append("<IsTruncated>").append(!last).append("</IsTruncated>");
            if (!last) {
                xml.append("<Marker>page-").append(page + 1).append("</Marker>");
            }
            var request = AwsStub.query(null, null, "iam", "GetAccountAuthorizationDetails");
            aws.stub(page == 0 ? request : request.withRequestBody(parameter("Marker", "page-" + page)),
                    AwsStub.queryResult("GetAccountAuthorizationDetails", xml.toString()));
        }
    }

    /** Matches a form body that has exactly this parameter value. */
    private static com.github.tomakehurst.wiremock.matching.StringValuePattern parameter(String name, String value) {
        return matching("(?s)(.*&)?" + name + "=" + java.util.regex.Pattern.quote(value) + "(&.*)?");
    }

    private static String role(int i) {
        String trust = AwsStub.encode("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"AWS\":\"arn:aws:iam::" + AwsStub.CALLER_ACCOUNT + ":role/role-" + (i + 1) + "\"},\"Action\":"
                + "\"sts:AssumeRole\"}]}");
        String inline = AwsStub.encode("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                + "[\"s3:GetObject\",\"sqs:SendMessage\"],\"Resource\":\"arn:aws:s3:::bucket-" + i + "/*\"}]}");
        return "<member><Path>/</Path><RoleName>role-" + i + "</RoleName><RoleId>AROA" + i + "</RoleId><Arn>arn:aws:iam::"
                + AwsStub.CALLER_ACCOUNT + ":role/role-" + i + "</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate>"
                + "<AssumeRolePolicyDocument>" + trust + "</AssumeRolePolicyDocument><RolePolicyList><member><PolicyName>"
                + "inline</PolicyName><PolicyDocument>" + inline + "</PolicyDocument></member></RolePolicyList></member>";
    }

    private static void stubUsers(AwsStub aws, int users) {
        for (int i = 0; i < users; i++) {
            aws.stub(AwsStub.query(null, null, "iam", "ListAccessKeys").withRequestBody(parameter("UserName", "user-" + i)),
                    AwsStub.queryResult("ListAccessKeys", "<AccessKeyMetadata><member><UserName>user-" + i
                            + "</UserName><AccessKeyId>AKIABENCH" + i + "</AccessKeyId><Status>Active</Status>"
                            + "<CreateDate>2024-01-01T00:00:00Z</CreateDate></member></AccessKeyMetadata>"
                            + "<IsTruncated>false</IsTruncated>"));
        }
        aws.stub(AwsStub.query(null, null, "iam", "GetAccessKeyLastUsed"), AwsStub.queryResult("GetAccessKeyLastUsed",
                "<UserName>user</UserName><AccessKeyLastUsed><ServiceName>N/A</ServiceName><Region>N/A</Region>"
                        + "</AccessKeyLastUsed>"));
    }

    private static void stubResources(AwsStub aws, String region, int resources) {
        List<String> keys = new ArrayList<>();
        List<String> queues = new ArrayList<>();
        for (int i = 0; i < resources; i++) {
            keys.add("{\"KeyId\":\"key-" + i + "\"}");
            queues.add("\"https://sqs." + region + ".amazonaws.com/" + AwsStub.CALLER_ACCOUNT + "/queue-" + i + "\"");
        }
        String policy = "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
                + "\\\"Principal\\\":{\\\"AWS\\\":\\\"arn:aws:iam::" + AwsStub.CALLER_ACCOUNT + ":root\\\"},"
                + "\\\"Action\\\":\\\"*\\\",\\\"Resource\\\":\\\"*\\\"}]}";
        aws.stub(AwsStub.target(null, region, "kms", "TrentService.ListKeys"),
                AwsStub.json("{\"Keys\":[" + String.join(",", keys) + "],\"Truncated\":false}"));
        aws.stub(AwsStub.target(null, region, "kms", "TrentService.GetKeyPolicy"),
                AwsStub.json("{\"Policy\":\"" + policy + "\",\"PolicyName\":\"default\"}"));
        aws.stub(AwsStub.target(null, region, "sqs", "AmazonSQS.ListQueues"),
                AwsStub.json("{\"QueueUrls\":[" + String.join(",", queues) + "]}"));
        aws.stub(AwsStub.target(null, region, "sqs", "AmazonSQS.GetQueueAttributes"),
                AwsStub.json("{\"Attributes\":{\"Policy\":\"" + policy + "\"}}"));
    }
}
