package dev.nhigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line in this JVM, against the shared embedded Neo4j through --neo4j-uri: the external-server path. */
class CliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String out;
    private String err;

    @BeforeEach
    void loadSample() {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "serve", "load", "scan", "blast-radius", "paths", "can", "query", "report"})
    void help_existsForEveryCommand(String command) {
        assertEquals(0, run(command, "--help"));
        assertTrue(out.contains("Usage: nhigraph " + command), out);
    }

    @Test
    void noCommand_isBadUsageWithTheCommandsListed() {
        assertEquals(2, run());
        assertTrue(err.contains("no command given"), err);
        assertTrue(err.contains("blast-radius"), err);
    }

    @Test
    void unknownOption_isBadUsage() {
        assertEquals(2, run("load", "--no-such-option", SharedGraph.SAMPLE.toString()));
        assertTrue(err.startsWith("nhigraph: Unknown option: '--no-such-option'"), err);
        assertTrue(err.contains(" load --help` for its arguments and options."), err);
        assertFalse(err.contains("Usage:"), err);
    }

    @Test
    void mistypedOption_getsSuggestion() {
        assertEquals(2, run("load", "--data-dri", "x", SharedGraph.SAMPLE.toString()));
        assertTrue(err.contains("--data-dir"), err);
    }

    @Test
    void notJson_isRejectedAndGraphUnchanged() throws IOException {
        Path file = dir.resolve("truncated.json");
        Files.writeString(file, "{\"UserDetailList\": [{\"UserName\": \"x\"");
        Map<String, Long> before = SharedGraph.counts();

        int exit = run("load", file.toString(), "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());

        assertEquals(2, exit);
        assertTrue(err.contains(file.toString()), err);
        assertTrue(err.contains("line 1, column"), err);
        assertEquals(before, SharedGraph.counts());
    }

    @Test
    void otherJsonAlone_isRejectedAndGraphUnchanged() throws IOException {
        Path file = dir.resolve("credential-report.json");
        Files.writeString(file, "{\"Content\": \"dXNlcg==\", \"ReportFormat\": \"text/csv\"}");
        Map<String, Long> before = SharedGraph.counts();

        int exit = run("load", file.toString(), "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());

        assertEquals(2, exit);
        assertTrue(err.contains(file.toString()), err);
        assertTrue(err.contains("get-account-authorization-details"), err);
        assertEquals(before, SharedGraph.counts());
    }

    @Test
    void otherJsonBesideExport_isSkippedByName() throws IOException {
        Path file = dir.resolve("credential-report.json");
        Files.writeString(file, "{\"Content\": \"dXNlcg==\", \"ReportFormat\": \"text/csv\"}");

        int exit = run("load", SharedGraph.SAMPLE.toString(), file.toString(), "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());

        assertEquals(0, exit);
        assertTrue(err.contains("skipped: " + file), err);
        assertTrue(out.contains("44 users"), out);
    }

    @Test
    void skippedPolicy_warnsThatAnswersLeaveItOut() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode export = (ObjectNode) json.readTree(SharedGraph.SAMPLE.toFile());
        ObjectNode role = (ObjectNode) export.get("RoleDetailList").get(0);
        role.putObject("AssumeRolePolicyDocument").put("Version", "2012-10-17").put("Statement", 7);
        Path file = dir.resolve("one-bad-trust-policy.json");
        json.writeValue(file.toFile(), export);

        int exit = run("paths", "--from", role.get("Arn").asText(), file.toString());

        assertEquals(0, exit, err);
        assertTrue(err.contains("skipped: " + file), err);
        assertTrue(err.contains("warning: 1 item of the exports was skipped, so no answer includes what they grant,"
                + " trust or deny."), err);
    }

    @Test
    void otherJsonBesideExport_isReportedOnce() throws IOException {
        Path file = dir.resolve("notes.json");
        Files.writeString(file, "{\"foo\": 1}");

        int exit = run("load", SharedGraph.SAMPLE.toString(), file.toString(), "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());

        // Logback's console appender writes to the current System.err, so err also contains the log lines.
        assertEquals(0, exit, err);
        assertEquals(1, err.split(Pattern.quote(file.toString()), -1).length - 1, "stderr: " + err);
    }

    @Test
    void unfinishedLoad_readsRejectOrWarn() {
        RuntimeException stop = new IllegalStateException("stopped for the test");
        LoadService service = new LoadService(SharedGraph.store());
        try {
            service.load(List.of(SharedGraph.SAMPLE), stage -> {
                if (stage.startsWith("deriving")) {
                    throw stop;
                }
            });
        } catch (IllegalStateException e) {
            assertEquals(stop, e);
        }
        String role = "arn:aws:iam::200611803367:role/privesc-high-priv-service-role";

        int blastRadius = run("blast-radius", role, "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());
        String blastRadiusErr = err;
        int can = run("can", role, "s3:GetObject", "*", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());
        String canErr = err;
        int query = run("query", "RETURN 1 AS one", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());

        assertEquals(1, blastRadius);
        assertTrue(blastRadiusErr.contains("has not finished"), blastRadiusErr);
        assertEquals(1, can);
        assertTrue(canErr.contains("has not finished"), canErr);
        assertEquals(0, query);
        assertTrue(err.startsWith("warning: The load of"), err);
    }

    @Test
    void missingFile_isBadInput() {
        assertEquals(2, run("load", dir.resolve("nope.json").toString(), "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));
        assertTrue(err.contains("does not exist"), err);
    }

    @Test
    void missingFile_createsNoDataDir() {
        Path dataDir = dir.resolve("never-created");

        assertEquals(2, run("load", dir.resolve("nope.json").toString(), "--data-dir", dataDir.toString()));
        assertTrue(err.contains("does not exist"), err);
        assertFalse(java.nio.file.Files.exists(dataDir), "a rejected load must not create " + dataDir);
    }

    @Test
    void load_printsOneLineSummary() {
        assertEquals(0, run("load", "src/test/resources/fixtures/assume-cross-account.json", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));

        assertTrue(out.startsWith("Loaded 1 file: 1 account, 0 users, 2 roles"), out);
    }

    @Test
    void blastRadius_json() throws IOException {
        String role = "arn:aws:iam::200611803367:role/privesc-AssumeRole-starting-role";

        assertEquals(0, run("blast-radius", role, "--json", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));

        JsonNode body = JSON.readTree(out);
        assertEquals(role, body.get("root").asText());
        assertTrue(body.get("summary").get("admin").asBoolean(), "the starting role reaches the admin ending role");
    }

    @Test
    void paths_json_hasTheContractFields() throws IOException {
        String role = "arn:aws:iam::200611803367:role/privesc-AssumeRole-starting-role";

        assertEquals(0, run("paths", "--from", role, "--to", "admin", "--json", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));

        JsonNode body = JSON.readTree(out);
        assertEquals(role, body.get("from").asText());
        assertEquals("admin", body.get("to").asText());
        assertEquals("YES", body.get("reachable").asText());
        JsonNode step = body.get("paths").get(0).get("steps").get(0);
        for (String field : List.of("from", "to", "kind", "conditional", "evidence")) {
            assertTrue(step.has(field), "step lacks " + field + ": " + step);
        }
        assertEquals(8, body.get("bounded").get("maxDepth").asInt());
    }

    @Test
    void paths_text_namesTechniqueAndPolicy() {
        assertEquals(0, run("paths", "--from", "privesc15-PassExistingRoleToNewLambdaThenInvoke-user", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));

        assertTrue(out.contains("reachable: YES"), out);
        assertTrue(out.contains("CAN_ESCALATE lambda-001"), out);
        assertTrue(out.contains("policy/privesc15-PassExistingRoleToNewLambdaThenInvoke statement 0"), out);
        assertTrue(out.contains("technique: "), out);
        assertFalse(out.contains("technique lambda-001: "), "the technique is named twice: " + out);
    }

    @Test
    void paths_withoutFrom_listsWhoReachesTheTarget() {
        assertEquals(0, run("paths", "--to", "privesc-AssumeRole-ending-role", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));

        assertTrue(out.contains("role/privesc-AssumeRole-intermediate-role"), out);
    }

    @Test
    void scan_reportsAnyRepositoryTrustAsFinding() throws IOException {
        Path out = dir.resolve("report");

        assertEquals(0, run("scan", "src/test/resources/fixtures/federated-trust.json", "--out", out.toString()), err);

        JsonNode findings = JSON.readTree(out.resolve("report.json").toFile()).get("findings");
        List<String> roles = new ArrayList<>();
        findings.forEach(finding -> roles.add(finding.get("roleName").asText()));
        assertTrue(roles.contains("github-any-repository"), roles.toString());
        assertFalse(roles.contains("github-main-branch"), roles.toString());
    }

    @Test
    void scan_endsWithSummaryLines() throws IOException {
        Path report = dir.resolve("report");

        assertEquals(0, run("scan", "src/test/resources/fixtures/federated-trust.json", "--out", report.toString()), err);

        List<String> lines = out.lines().toList();
        assertEquals(4, lines.size(), out);
        assertTrue(lines.get(0).startsWith("Loaded 1 file: "), out);
        assertTrue(lines.get(1).matches("\\d+ findings? \\((\\d+ (critical|high)(, )?)+\\) of federated trust; .*"), out);
        assertTrue(lines.get(2).matches("\\d+ of \\d+ principals are or can become an administrator, \\d+ more only if"
                + " conditions hold, and \\d+ cannot\\."), out);
        assertEquals("Wrote " + report.resolve("report.json"), lines.get(3));
    }

    @Test
    void scanJson_printsOneSummaryDocument() throws IOException {
        Path report = dir.resolve("report");

        assertEquals(0, run("scan", "src/test/resources/fixtures/federated-trust.json", "--out", report.toString(), "--json"), err);

        JsonNode summary = JSON.readTree(out);
        JsonNode written = JSON.readTree(report.resolve("report.json").toFile());
        assertEquals(written.get("findings").size(), summary.at("/findingsBySeverity/critical").asInt()
                + summary.at("/findingsBySeverity/high").asInt(), out);
        assertEquals(written.get("principals").size(), summary.get("principals").asInt(), out);
        assertEquals(written.at("/snapshot/reachesAdmin/YES").asInt(), summary.at("/reachesAdmin/YES").asInt(), out);
        assertEquals(1, summary.at("/load/files").size(), out);
        assertEquals(report.resolve("report.json").toString(), summary.at("/files/0").asText(), out);
    }

    @Test
    void paths_maxPathsOutOfRange() {
        assertEquals(2, run("paths", "--from", "x", "--max-paths", "0", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));
        assertTrue(err.contains("--max-paths 0"), err);
    }

    @Test
    void blastRadius_text() {
        assertEquals(0, run("blast-radius", "privesc-AssumeRole-starting-role", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));

        assertTrue(out.contains("Blast radius of arn:aws:iam::200611803367:role/privesc-AssumeRole-starting-role"), out);
        assertTrue(out.contains("ADMIN"), out);
    }

    @Test
    void blastRadius_unknownPrincipalIsBadInput() {
        assertEquals(2, run("blast-radius", "no-such-role", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));
        assertTrue(err.contains("no-such-role"), err);
    }

    @Test
    void maxDepth_outOfRangeIsBadInput() {
        assertEquals(2, run("blast-radius", "x", "--max-depth", "99", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));
        assertTrue(err.contains("0..16"), err);
    }

    @Test
    void can_allowsRoleNamedInTrust() throws IOException {
        String intermediate = "arn:aws:iam::200611803367:role/privesc-AssumeRole-intermediate-role";

        assertEquals(0, run("can", "privesc-AssumeRole-starting-role", "sts:AssumeRole", intermediate, "--json",
                "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));

        JsonNode body = JSON.readTree(out);
        assertEquals("ALLOWED", body.get("decision").asText());
        assertTrue(body.get("denial").isNull());
        assertEquals(intermediate + "#trust", body.get("statements").get(0).get("policy").asText());
    }

    @Test
    void can_conditionalUntilContextGiven() throws IOException {
        String fixture = "src/test/resources/fixtures/assume-same-account.json";
        String role = "arn:aws:iam::111111111111:role/mfa-required";

        assertEquals(0, run("can", "deployer", "sts:AssumeRole", role, fixture, "--json", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));
        JsonNode unknown = JSON.readTree(out);
        assertEquals(0, run("can", "deployer", "sts:AssumeRole", role, "--context", "aws:MultiFactorAuthPresent=true",
                "--json", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));
        JsonNode withMfa = JSON.readTree(out);
        assertEquals(0, run("can", "deployer", "sts:AssumeRole", role, "--context", "aws:MultiFactorAuthPresent=false",
                "--json", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));
        JsonNode withoutMfa = JSON.readTree(out);

        assertEquals("CONDITIONAL", unknown.get("decision").asText());
        assertTrue(unknown.get("reason").asText().contains("conditions"), unknown.get("reason").asText());
        assertEquals("aws:MultiFactorAuthPresent", unknown.get("conditions").get(0).get("key").asText());
        assertEquals("ALLOWED", withMfa.get("decision").asText());
        assertEquals("DENIED", withoutMfa.get("decision").asText());
        assertEquals("implicit", withoutMfa.get("denial").asText());
    }

    @Test
    void can_explicitDenyNamesTheStatement() throws IOException {
        String fixture = "src/test/resources/fixtures/assume-same-account.json";

        assertEquals(0, run("can", "blocked", "sts:AssumeRole", "arn:aws:iam::111111111111:role/names-blocked", fixture,
                "--json", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));

        JsonNode body = JSON.readTree(out);
        assertEquals("DENIED", body.get("decision").asText());
        assertEquals("explicit", body.get("denial").asText());
        assertEquals("arn:aws:iam::111111111111:user/blocked#inline/deny-assume", body.get("statements").get(0).get("policy").asText());
        assertEquals(1, body.get("statements").get(0).get("statement").asInt());
    }

    @Test
    void can_iamActionOnRoleIgnoresTrust() throws IOException {
        // The trust policy decides only sts:AssumeRole; an admin may change any role.
        String role = "arn:aws:iam::200611803367:role/privesc-high-priv-service-role";

        assertEquals(0, run("can", "privesc-AssumeRole-ending-role", "iam:UpdateAssumeRolePolicy", role, "--json",
                "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));

        assertEquals("ALLOWED", JSON.readTree(out).get("decision").asText());
    }

    @Test
    void can_unknownActionIsWarned() {
        assertEquals(0, run("can", "privesc-AssumeRole-ending-role", "sts:AssumeRol", "*", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));

        assertTrue(err.contains("sts:AssumeRol is not in the AWS action catalogue"), err);
    }

    @Test
    void can_actionWithoutServiceIsBadInput() {
        Path dataDir = dir.resolve("never-created");

        assertEquals(2, run("can", "privesc-AssumeRole-ending-role", "GetObject", "*", "--data-dir", dataDir.toString()));

        assertTrue(err.contains("\"GetObject\" is not of the form service:Action"), err);
        assertTrue(err.contains("s3:GetObject"), err);
        assertFalse(Files.exists(dataDir), "a rejected action must not start the database in " + dataDir);
    }

    @Test
    void can_actionWithEmptyNameIsBadInput() {
        assertEquals(2, run("can", "privesc-AssumeRole-ending-role", "s3:", "*", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));

        assertTrue(err.contains("\"s3:\" is not of the form service:Action"), err);
    }

    @Test
    void can_suggestionsAreCapped() {
        assertEquals(2, run("can", "x", "ListTagsForResource", "*", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));

        assertTrue(err.contains("ListTagsForResource"), err);
        assertTrue(err.matches("(?s).* and \\d+ more\\..*"), err);
    }

    @Test
    void can_badContextIsBadInput() {
        assertEquals(2, run("can", "x", "s3:GetObject", "*", "--context", "novalue", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));
        assertTrue(err.contains("KEY=VALUE"), err);
    }

    @Test
    void query_readsRows() throws IOException {
        assertEquals(0, run("query", "MATCH (u:AwsUser) RETURN count(u) AS users", "--json", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));

        assertEquals(44, JSON.readTree(out).get(0).get("users").asInt());
    }

    @Test
    void query_withParameter() throws IOException {
        assertEquals(0, run("query", "MATCH (p:Principal {name: $name}) RETURN p.kind AS kind", "--param", "name=privesc-sre-user",
                "--json", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));

        assertEquals("AwsUser", JSON.readTree(out).get(0).get("kind").asText());
    }

    @Test
    void query_writeIsRejected() {
        Map<String, Long> before = SharedGraph.counts();

        assertEquals(2, run("query", "CREATE (n:Intruder) RETURN n", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));

        assertEquals(before, SharedGraph.counts());
    }

    @ParameterizedTest
    @ValueSource(strings = {"principals-by-kind", "cross-account-trust", "admin-policies", "federated-any-subject",
        "gcp-administrators", "gcp-user-managed-keys", "gcp-public-bindings", "admin-equivalent-identities"})
    void savedQuery_runs(String name) {
        assertEquals(0, run("query", "--saved", name, "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));
    }

    @Test
    void savedQuery_principalByName_findsRows() {
        assertEquals(0, run("query", "--saved", "who-can-reach", "--param", "target=privesc-AssumeRole-ending-role",
                "--json", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));
        assertTrue(out.contains("privesc-AssumeRole-intermediate-role"), out);
    }

    @Test
    void savedQuery_adminPoliciesFindsAdministratorAccess() {
        assertEquals(0, run("query", "--saved", "admin-policies", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));

        assertTrue(out.contains("arn:aws:iam::aws:policy/AdministratorAccess"), out);
    }

    @Test
    void unknownSavedQuery_listsTheSavedOnes() {
        assertEquals(2, run("query", "--saved", "nope", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile()));
        assertTrue(err.contains("cross-account-trust"), err);
    }

    @Test
    void boltPortInUse_namesPortAndOption() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            int exit = run("load", SharedGraph.SAMPLE.toString(), "--data-dir", dir.resolve("db").toString(),
                    "--bolt-port", String.valueOf(port));

            assertEquals(2, exit);
            assertTrue(err.contains(String.valueOf(port)), err);
            assertTrue(err.contains("--bolt-port"), err);
        }
    }

    @Test
    void malformedNeo4jUri_isBadInput() {
        assertEquals(2, run("query", "RETURN 1", "--neo4j-uri", "http://127.0.0.1:1"));
        assertTrue(err.contains("bolt://HOST:PORT"), err);
        assertTrue(!err.contains("\tat "), "no stack trace: " + err);
    }

    @Test
    void missingDataDir_isBadInputForReads() {
        Path typo = dir.resolve("no-such-graph");

        assertEquals(2, run("query", "RETURN 1", "--data-dir", typo.toString()));

        assertTrue(err.contains("No graph in " + typo), err);
        assertTrue(!Files.exists(typo.resolve("data")), "a read must not create a database");
    }

    @ParameterizedTest
    @ValueSource(strings = {"load", "query"})
    void dataDirIsAFile_namesPathAndFix(String command) throws IOException {
        Path file = Files.writeString(dir.resolve("graph.txt"), "x");
        String argument = command.equals("load") ? SharedGraph.SAMPLE.toString() : "RETURN 1";

        assertEquals(2, run(command, argument, "--data-dir", file.toString()));

        assertTrue(err.contains("--data-dir " + file + " is a file, not a folder"), err);
        assertTrue(err.contains("Give the folder of the embedded database"), err);
        assertEquals("x", Files.readString(file));
    }

    @Test
    void dataDirBelowAFile_namesTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("graph.txt"), "x");

        assertEquals(2, run("load", SharedGraph.SAMPLE.toString(), "--data-dir", file.resolve("db").toString()));

        assertTrue(err.contains(file + " is a file, not a folder"), err);
    }

    @Test
    void scanOutIsAFile_failsBeforeLoading() throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "x");

        assertEquals(2, run("scan", SharedGraph.SAMPLE.toString(), "--out", file.toString()));

        assertTrue(err.contains("is an existing file"), err);
    }

    @Test
    void wrongNeo4jPasswordFile_isRejectedNamingOption() throws IOException {
        Path file = Files.writeString(dir.resolve("wrong.neo4j-password"), "not-the-password\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        assertEquals(1, run("query", "RETURN 1", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file",
                file.toString()));

        assertTrue(err.contains("rejected the password in " + file), err);
        assertTrue(err.contains("DATA_DIR.neo4j-password"), err);
        assertFalse(err.contains("not-the-password"), err);
    }

    @Test
    void missingNeo4jPasswordFile_isBadInput() {
        Path file = dir.resolve("absent.neo4j-password");

        assertEquals(2, run("query", "RETURN 1", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file",
                file.toString()));

        assertTrue(err.contains("The Neo4j password file " + file + " does not exist"), err);
    }

    @Test
    void neo4jPasswordFileWithoutUri_isBadInput() throws IOException {
        Path file = Files.writeString(dir.resolve("x.neo4j-password"), "secret-value-0123456789\n");

        assertEquals(2, run("load", SharedGraph.SAMPLE.toString(), "--data-dir", dir.resolve("db").toString(),
                "--neo4j-password-file", file.toString()));

        assertTrue(err.contains("--neo4j-password-file is for --neo4j-uri"), err);
    }

    @Test
    void unreachableNeo4j_isFailureNamingUri() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        String uri = "bolt://127.0.0.1:" + port;

        assertEquals(1, run("query", "RETURN 1", "--neo4j-uri", uri));
        assertTrue(err.contains(uri), err);
    }

    private int run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            return Main.execute(new ArrayList<>(List.of(args)).toArray(String[]::new));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
            out = outBytes.toString(StandardCharsets.UTF_8);
            err = errBytes.toString(StandardCharsets.UTF_8);
        }
    }
}
