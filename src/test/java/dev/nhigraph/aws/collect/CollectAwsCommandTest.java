package dev.nhigraph.aws.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.cli.CommandRun;
import dev.nhigraph.testsupport.AuditTail;
import dev.nhigraph.testsupport.SharedGraph;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nhigraph collect aws} end to end against {@link AwsStub}: the stub serves the facts of an offline export in
 * the services' wire formats, and the collected snapshot must equal what loading that export gives.
 */
class CollectAwsCommandTest {

    private static final Path EXPORT = Path.of("src/test/resources/fixtures/collect-stub");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The key id of a profile file that represents a user's own credentials. */
    private static final String PROFILE_KEY = "AKIDPROFILEFILE00001";
    private static final long CHILD_TIMEOUT_SECONDS = 180;

    /** Node properties that differ between two loads of the same facts. */
    private static final Set<String> LOAD_PROPERTIES = Set.of("snapshot", "firstSeen", "lastSeen", "loadedAt",
            "firstLoadedAt", "sourceFile", "file", "files");

    @TempDir
    Path work;

    @Test
    void collectedSnapshot_equalsOfflineLoad() throws Exception {
        Path saved = work.resolve("bundle");
        SharedGraph.reset();
        String[] output;
        try (AwsStub aws = new AwsStub()) {
            aws.serveBundle(EXPORT);
            output = run("collect", "aws", "--endpoint-url", aws.endpoint().toString(), "--regions", AwsStub.REGION,
                    "--service-last-accessed", "--save-bundle", saved.toString(), "--neo4j-uri", SharedGraph.boltUri(),
                    "--neo4j-password-file", SharedGraph.passwordFile());
        }
        assertEquals("0", output[0], "exit code; stderr: " + output[2]);
        assertTrue(output[2].contains("Collected 1 account"), output[2]);
        assertTrue(output[2].contains("signing calls with key id " + AwsStub.CALLER_KEY
                + " from the system properties aws.accessKeyId and aws.secretAccessKey"), output[2]);
        assertTrue(Files.exists(saved.resolve("collection-gaps.json")), "--save-bundle keeps the folder");
        assertSavedFilesMatchExport(saved);
        Set<String> collected = graphFacts();

        SharedGraph.resetAndLoad(EXPORT);
        Set<String> offline = graphFacts();

        assertTrue(offline.size() > 40, "the export loads " + offline.size() + " facts");
        Set<String> onlyCollected = new TreeSet<>(collected);
        onlyCollected.removeAll(offline);
        Set<String> onlyOffline = new TreeSet<>(offline);
        onlyOffline.removeAll(collected);
        assertEquals(Set.of(), onlyCollected, "facts only in the collected snapshot");
        assertEquals(Set.of(), onlyOffline, "facts only in the offline load");
    }

    @Test
    void collectionGaps_storedOnSnapshot() throws Exception {
        Path saved = work.resolve("bundle");
        SharedGraph.reset();
        AuditTail audit = AuditTail.start();
        String[] output;
        try (AwsStub aws = new AwsStub()) {
            aws.serveBundle(EXPORT);
            aws.stub(AwsStub.query(null, null, "iam", "ListAccessKeys"), AwsStub.queryError(403, "AccessDenied"));
            output = run("collect", "aws", "--endpoint-url", aws.endpoint().toString(), "--regions", AwsStub.REGION,
                    "--save-bundle", saved.toString(), "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());
        }
        assertEquals("0", output[0], "exit code; stderr: " + output[2]);
        assertTrue(output[2].contains("gap: aws 111111111111 iam:ListAccessKeys access-denied"), output[2]);
        String line = audit.onlyLineWith("action=collect");
        assertTrue(line.contains("who=cli:" + System.getProperty("user.name")), line);
        assertTrue(line.contains("what=\"aws account of the caller, regions " + AwsStub.REGION + "\""), line);
        assertTrue(line.contains("outcome=\"ok:1 gap\""), line);
        assertTrue(line.contains("collected=\"accounts 111111111111\""), line);
        assertFalse(line.contains(AwsStub.CALLER_KEY), "the audit line names the access key: " + line);
        assertFalse(line.contains("stub-secret-not-a-real-key"), "the audit line contains the secret key: " + line);

        Map<String, Object> snapshot = SharedGraph.graphService().latestSnapshot();
        assertEquals(List.of("aws 111111111111 iam:ListAccessKeys access-denied: AccessDenied: stub AccessDenied"),
                snapshot.get("collectionGaps"));
        String[] report = run("report", "--out", work.resolve("report").toString(), "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());
        assertEquals("0", report[0], report[2]);
        String coverage = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(work.resolve("report/report.json").toFile()).path("coverageGaps").toString();
        assertTrue(coverage.contains("iam:ListAccessKeys access-denied"), coverage);
    }

    /**
     * A user's own credentials in a profile file must not reach a local stub: without --profile and without
     * credentials in the environment, a loopback --endpoint-url is rejected before any call.
     */
    @Test
    void loopbackEndpoint_ignoresProfileFileCredentials() throws Exception {
        Path credentialsFile = work.resolve("credentials");
        Files.writeString(credentialsFile, "[default]\naws_access_key_id = " + PROFILE_KEY
                + "\naws_secret_access_key = made-up-profile-secret\n");
        Path saved = work.resolve("bundle");
        String[] output;
        try (AwsStub aws = new AwsStub();
             SystemProperties properties = new SystemProperties("aws.accessKeyId", "aws.secretAccessKey",
                     "aws.sharedCredentialsFile")) {
            properties.clear("aws.accessKeyId");
            properties.clear("aws.secretAccessKey");
            properties.set("aws.sharedCredentialsFile", credentialsFile.toString());

            output = run("collect", "aws", "--endpoint-url", aws.endpoint().toString(), "--regions", AwsStub.REGION,
                    "--save-bundle", saved.toString(), "--neo4j-uri", "bolt://127.0.0.1:9");

            assertEquals(0, aws.server().getAllServeEvents().size(), "calls that reached the stub");
        }
        assertEquals("2", output[0], output[2]);
        assertTrue(output[2].contains("--endpoint-url http://127.0.0.1:"), output[2]);
        assertTrue(output[2].contains("is a loopback address"), output[2]);
        assertTrue(output[2].contains("set both to made-up values"), output[2]);
        assertFalse(output[2].contains(PROFILE_KEY), "the profile's key id is named: " + output[2]);
        assertFalse(Files.exists(saved), "the rejected run created --save-bundle");
    }

    /**
     * Runs the command line in a child JVM with made-up credentials in its environment, as a user runs it against a
     * local stub, and with the SDK's profile files and instance metadata turned off.
     */
    @Test
    void loopbackEndpoint_usesEnvironmentCredentials() throws Exception {
        SharedGraph.reset();
        Path log = work.resolve("child.log");
        int exitCode;
        try (AwsStub aws = new AwsStub()) {
            aws.serveBundle(EXPORT);
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-Daws.disableEc2Metadata=true", "-Daws.configFile=target/no-aws-config",
                    "-Daws.sharedCredentialsFile=target/no-aws-credentials",
                    "-DNHIGRAPH_AUDIT_LOG=" + work.resolve("audit.log"), "-cp", System.getProperty("java.class.path"),
                    "dev.nhigraph.cli.Main", "collect", "aws", "--endpoint-url", aws.endpoint().toString(),
                    "--regions", AwsStub.REGION, "--neo4j-uri", SharedGraph.boltUri(),
                    "--neo4j-password-file", SharedGraph.passwordFile());
            ProcessBuilder child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            child.environment().keySet().removeIf(name -> name.startsWith("AWS_") && !name.equals("AWS_CA_BUNDLE"));
            child.environment().put("AWS_ACCESS_KEY_ID", AwsStub.CALLER_KEY);
            child.environment().put("AWS_SECRET_ACCESS_KEY", "stub-secret-not-a-real-key");
            child.environment().put("HOME", work.toString());
            Process process = child.start();
            boolean finished = process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            assertTrue(finished, "the child JVM did not finish within " + CHILD_TIMEOUT_SECONDS + " s: "
                    + Files.readString(log));
            exitCode = process.exitValue();
        }
        String output = Files.readString(log);

        assertEquals(0, exitCode, output);
        assertTrue(output.contains("signing calls with key id " + AwsStub.CALLER_KEY
                + " from the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), output);
        assertTrue(output.contains("Collected 1 account"), output);
    }

    @Test
    void saveBundle_nonEmptyFolderRejected() throws Exception {
        Files.writeString(work.resolve("old.json"), "{}");

        String[] output = run("collect", "aws", "--endpoint-url", "http://127.0.0.1:9", "--save-bundle", work.toString(),
                "--neo4j-uri", "bolt://127.0.0.1:9");

        assertEquals("2", output[0]);
        assertTrue(output[2].contains("is not empty"), output[2]);
    }

    @Test
    void invalidRegion_rejectedBeforeAnyCall() {
        String[] output = run("collect", "aws", "--regions", "eu-west-1,Frankfurt", "--endpoint-url", "http://127.0.0.1:9");

        assertEquals("2", output[0]);
        assertTrue(output[2].contains("--regions: Frankfurt is not an AWS region name"), output[2]);
    }

    @Test
    void invalidCredentials_failWithCheckCommand() {
        AuditTail audit = AuditTail.start();
        try (AwsStub aws = new AwsStub()) {
            aws.stub(AwsStub.query(null, null, "sts", "GetCallerIdentity"), AwsStub.queryError(403, "InvalidClientTokenId"));

            String[] output = run("collect", "aws", "--endpoint-url", aws.endpoint().toString(), "--regions",
                    AwsStub.REGION, "--neo4j-uri", "bolt://127.0.0.1:9");

            assertEquals("1", output[0]);
            assertTrue(output[2].contains("credentials of the environment (AWS_ACCESS_KEY_ID, or the aws.accessKeyId"
                    + " system property) do not work"), output[2]);
            assertTrue(output[2].contains("aws sts get-caller-identity"), output[2]);
        }
        String line = audit.onlyLineWith("action=collect");
        assertTrue(line.contains("outcome=failed:collect"), line);
        assertTrue(line.endsWith("collected=-"), line);
    }

    @Test
    void accountsWithoutRole_rejected() {
        String[] output = run("collect", "aws", "--accounts", "222222222222", "--endpoint-url", "http://127.0.0.1:9");

        assertEquals("2", output[0]);
        assertTrue(output[2].contains("--assume-role-name"), output[2]);
    }

    /**
     * Checks that every file of the export was collected at the same path with at least its content, so that the
     * readers of kinds that the graph does not show yet (keys, workloads) also get the same facts.
     */
    private static void assertSavedFilesMatchExport(Path saved) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(EXPORT)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            Path relative = EXPORT.relativize(file);
            Path collected = saved.resolve(relative.toString());
            assertTrue(Files.exists(collected), "collected " + relative);
            List<String> differences = new ArrayList<>();
            compare("", JSON.readTree(file.toFile()), JSON.readTree(collected.toFile()), differences);
            assertEquals(List.of(), differences, "differences in " + relative);
        }
        assertTrue(files.size() > 10, "compared " + files.size() + " files");
    }

    /** Adds a line to {@code differences} for each value of {@code expected} that {@code actual} lacks or changes. */
    private static void compare(String path, JsonNode expected, JsonNode actual, List<String> differences) {
        if (expected.isObject()) {
            expected.fields().forEachRemaining(field -> compare(path + "/" + field.getKey(), field.getValue(),
                    actual.path(field.getKey()), differences));
        } else if (expected.isArray()) {
            if (expected.size() != actual.size()) {
                differences.add(path + ": " + expected.size() + " items, collected " + actual.size());
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                compare(path + "/" + i, expected.get(i), actual.get(i), differences);
            }
        } else if (!expected.asText().equals(actual.asText())) {
            differences.add(path + ": " + expected + ", collected " + actual);
        }
    }

    /** Returns every node (labels and properties) and relationship (type and end points) but the load records and digests. */
    private static Set<String> graphFacts() {
        Set<String> facts = new TreeSet<>();
        SharedGraph.store().read(tx -> {
            tx.run("MATCH (n) WHERE NOT n:Snapshot AND NOT n:SnapshotDigest AND NOT n:UnfinishedLoad"
                    + " RETURN labels(n) AS labels, properties(n) AS p")
                    .forEachRemaining(row -> facts.add("node " + new TreeSet<>(row.get("labels").asList(Object::toString))
                            + " " + stable(row.get("p").asMap())));
            tx.run("""
                    MATCH (a)-[r]->(b) WHERE NOT a:Snapshot AND NOT b:Snapshot AND NOT b:SnapshotDigest
                    RETURN coalesce(a.id, a.arn, a.name) AS a, type(r) AS type, properties(r) AS p,
                           coalesce(b.id, b.arn, b.name) AS b""")
                    .forEachRemaining(row -> facts.add("edge " + row.get("a") + " -" + row.get("type").asString() + "-> "
                            + row.get("b") + " " + stable(row.get("p").asMap())));
            return null;
        });
        return facts;
    }

    private static String stable(Map<String, Object> properties) {
        Map<String, Object> kept = new java.util.TreeMap<>(properties);
        kept.keySet().removeIf(LOAD_PROPERTIES::contains);
        return kept.toString();
    }

    /** Sets and clears system properties for one test, and restores their earlier values on close. */
    private static final class SystemProperties implements AutoCloseable {

        private final Map<String, String> earlier = new java.util.HashMap<>();

        SystemProperties(String... names) {
            for (String name : names) {
                earlier.put(name, System.getProperty(name));
            }
        }

        void set(String name, String value) {
            System.setProperty(name, value);
        }

        void clear(String name) {
            System.clearProperty(name);
        }

        @Override
        public void close() {
            earlier.forEach((name, value) -> {
                if (value == null) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, value);
                }
            });
        }
    }

    private static String[] run(String... args) {
        CommandRun run = CommandRun.of(args);
        return new String[] {String.valueOf(run.exitCode()), run.out(), run.err()};
    }
}
