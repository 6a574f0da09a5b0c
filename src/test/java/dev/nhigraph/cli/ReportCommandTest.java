package dev.nhigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nhigraph report} on the iam-vulnerable export loaded into the shared embedded Neo4j, with one accepted risk,
 * and once in one shot on a bundle file.
 */
class ReportCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "arn:aws:iam::200611803367:";
    private static final String PERMISSIVE_TRUST = ACCOUNT + "role/privesc-permissive-role-trust";
    /** Can escalate to an administrator without a condition, so it holds every AWS toxic combination. */
    private static final String ESCALATOR = ACCOUNT + "user/privesc4-CreateAccessKey-user";
    /** Holds three toxic combinations and reaches no administrator. */
    private static final String NOT_ADMINISTRATOR = "arn:aws:iam::012345678901:user/biden";
    private static final List<String> NOT_ADMINISTRATOR_COMBINATIONS = List.of("aws-pass-role-and-start-compute",
            "aws-read-objects-and-open-bucket", "aws-snapshot-and-share");
    private static final String UNUSED_SRE_ROLE_ACCEPTED = """
            exceptions:
              - rule: aws-role-unused
                principal: arn:aws:iam::200611803367:role/privesc-sre-role
                owner: sre-team
                reason: Kept for the yearly failover test.
                expires: 2027-01-31
            """;

    @TempDir
    static Path dir;
    private static CommandRun run;
    private static JsonNode report;

    @BeforeAll
    static void report() throws IOException {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        Path exceptions = dir.resolve("exceptions.yaml");
        Files.writeString(exceptions, UNUSED_SRE_ROLE_ACCEPTED + """
                  - rule: aws-identity-without-owner-tag
                    principal: arn:aws:iam::200611803367:role/privesc-sre-role
                    owner: sre-team
                    reason: Tagging is planned.
                    expires: 2026-11-30
                """);
        run = CommandRun.of("report", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile(), "--out", dir.resolve("out").toString(),
                "--as-of", "2026-12-01", "--exceptions", exceptions.toString());
        report = JSON.readTree(dir.resolve("out/report.json").toFile());
    }

    private static List<JsonNode> findings(String rule) {
        List<JsonNode> found = new ArrayList<>();
        report.get("findings").forEach(finding -> {
            if (finding.get("rule").asText().equals(rule)) {
                found.add(finding);
            }
        });
        return found;
    }

    private static JsonNode rule(String id) {
        for (JsonNode rule : report.get("rules")) {
            if (rule.get("id").asText().equals(id)) {
                return rule;
            }
        }
        return null;
    }

    private static JsonNode finding(String rule, String principal) {
        return findings(rule).stream().filter(f -> f.get("principal").asText().equals(principal)).findFirst().orElse(null);
    }

    @Test
    void report_exitsZeroAndSummarises() {
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("open findings"), run.out());
        assertTrue(run.out().contains("report.html"), run.out());
    }

    @Test
    void report_namesEscalationPrincipals() {
        for (String principal : List.of("user/privesc4-CreateAccessKey-user", "role/privesc-AssumeRole-starting-role",
                "user/privesc15-PassExistingRoleToNewLambdaThenInvoke-user")) {
            JsonNode finding = finding("escalation-to-admin", ACCOUNT + principal);
            assertNotNull(finding, principal);
            assertFalse(finding.get("parts").get(0).get("path").isEmpty(), principal);
            assertEquals("A.8.2", finding.get("controls").get("iso2022").get(0).asText(), principal);
            assertEquals("A.9.2.3", finding.get("controls").get("iso2013").get(0).asText(), principal);
        }
    }

    @Test
    void report_listsAdministratorCombinationsOnce() {
        JsonNode escalation = finding("escalation-to-admin", ESCALATOR);
        List<String> listed = new ArrayList<>();
        escalation.path("toxicCombinations").forEach(rule -> listed.add(rule.asText()));

        assertEquals(17, listed.size(), escalation.toString());
        assertTrue(listed.contains("aws-write-code-and-deploy"), listed.toString());
        report.get("findings").forEach(finding -> assertFalse(finding.get("principal").asText().equals(ESCALATOR)
                && finding.get("kind").asText().equals("toxic-combination"), "listed on its own: " + finding.get("rule")));
        JsonNode deploy = rule("aws-write-code-and-deploy");
        assertEquals(deploy.get("open").asInt() - deploy.get("foldedIntoAdministrators").asInt(),
                findings("aws-write-code-and-deploy").size(), deploy.toString());
    }

    @Test
    void report_keepsCombinationsOfNonAdministrators() {
        for (String rule : NOT_ADMINISTRATOR_COMBINATIONS) {
            JsonNode finding = finding(rule, NOT_ADMINISTRATOR);
            assertNotNull(finding, rule);
            assertFalse(finding.get("parts").isEmpty(), rule);
            assertTrue(finding.hasNonNull("cause"), rule);
        }
        assertEquals(null, finding("escalation-to-admin", NOT_ADMINISTRATOR));
    }

    @Test
    void report_groupsFindingsByCause() {
        JsonNode summary = report.get("summary");
        Map<String, JsonNode> causes = new HashMap<>();
        report.get("causes").forEach(cause -> causes.put(cause.get("id").asText(), cause));
        List<JsonNode> withoutOwner = findings("aws-identity-without-owner-tag");
        JsonNode ownerCause = causes.get(withoutOwner.get(0).get("cause").asText());

        assertEquals(report.get("findings").size(), summary.get("listed").asInt());
        assertEquals(causes.size(), summary.get("causes").asInt());
        assertTrue(summary.get("causes").asInt() < summary.get("listed").asInt() / 2, summary.toString());
        assertEquals(summary.get("listed").asInt() + summary.get("foldedIntoAdministrators").asInt(), summary.get("open").asInt());
        assertEquals(75, summary.get("administrators").asInt(), summary.toString());
        assertEquals("no tag named owner", ownerCause.get("description").asText());
        assertEquals(withoutOwner.size(), ownerCause.get("count").asInt());
        assertEquals(withoutOwner.size(), ownerCause.get("principals").size());
        int perCause = 0;
        for (JsonNode cause : causes.values()) {
            perCause += cause.get("count").asInt();
        }
        assertEquals(summary.get("listed").asInt(), perCause, "every listed finding counts in exactly one cause");
    }

    @Test
    void report_administratorFindingShowsEvidence() {
        JsonNode admin = finding("admin-equivalent-non-human-identity", ACCOUNT + "user/privesc1-CreateNewPolicyVersion-user");
        JsonNode part = admin.get("parts").get(0);

        assertEquals("be an administrator", part.get("name").asText());
        assertTrue(part.get("path").isEmpty(), part.toString());
        assertFalse(part.get("evidence").isEmpty(), part.toString());
    }

    @Test
    void report_namesPermissiveRoleTrust() {
        JsonNode finding = finding("aws-trust-account-root", PERMISSIVE_TRUST);

        assertNotNull(finding, findings("aws-trust-account-root").toString());
        assertEquals("200611803367", finding.get("resource").asText());
        assertTrue(finding.get("controls").get("iso2022").toString().contains("A.5.15"));
    }

    @Test
    void report_namesAdminEquivalentIdentities() {
        for (String principal : List.of("role/privesc-high-priv-service-role", "user/privesc1-CreateNewPolicyVersion-user")) {
            JsonNode finding = finding("admin-equivalent-non-human-identity", ACCOUNT + principal);
            assertNotNull(finding, principal);
            assertTrue(finding.get("controls").get("iso2022").toString().contains("A.8.2"), principal);
        }
    }

    @Test
    void report_listsAcceptedRisksApart() {
        JsonNode accepted = report.get("acceptedRisks");

        assertEquals(1, accepted.size(), accepted.toString());
        assertEquals("aws-role-unused", accepted.get(0).get("rule").asText());
        assertEquals("sre-team", accepted.get(0).get("acceptedRisk").get("owner").asText());
        assertEquals(null, finding("aws-role-unused", ACCOUNT + "role/privesc-sre-role"));
    }

    @Test
    void report_expiredExceptionFiresAgain() {
        assertNotNull(finding("aws-identity-without-owner-tag", ACCOUNT + "role/privesc-sre-role"));
        assertEquals("expired", report.get("exceptions").get(1).get("status").asText());
    }

    @Test
    void report_statesItsDateAndLimits() {
        assertEquals("--as-of", report.get("asOf").get("source").asText());
        assertEquals(500, report.get("limits").get("maxFindingsPerRule").asInt());
        assertTrue(report.get("coverageGaps").toString().contains("credential report"));
    }

    @Test
    void csv_hasOneRowPerFinding() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("out/findings.csv"));
        // Every open finding per rule and principal, those that an administrator finding lists included.
        int findings = report.get("summary").get("open").asInt() + report.get("acceptedRisks").size();

        assertTrue(lines.get(0).startsWith("status,severity,rule,title,"), lines.get(0));
        assertTrue(lines.get(0).endsWith(",cause,folded_into"), lines.get(0));
        assertEquals(findings + 1, lines.stream().filter(line -> line.startsWith("open,") || line.startsWith("accepted,")
                || line.startsWith("status,")).count());
        String escalationCause = finding("escalation-to-admin", ESCALATOR).get("cause").asText();
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("open,high,aws-write-code-and-deploy,")
                && line.contains("," + ESCALATOR + ",") && line.endsWith("," + escalationCause + ",escalation-to-admin")),
                "no row for the combination that the escalation finding lists");
    }

    @Test
    void html_selfContainedAndGroupedBySeverity() throws IOException {
        String html = Files.readString(dir.resolve("out/report.html"));

        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(html.contains("<link"), "no linked style sheets");
        assertFalse(html.contains("src="), "no external images or frames");
        assertFalse(html.contains("url("), "no external assets in the style");
        assertTrue(html.contains("id=\"severity-critical\""));
        assertTrue(html.contains("ISO/IEC 27001:2022 Annex A control"));
        assertTrue(html.contains("privesc-permissive-role-trust"));
        assertTrue(html.contains("id=\"accepted-risks\""));
    }

    @Test
    void report_noGraph_leavesNoEmptyFolder() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("no-graph"));
        Path out = dir.resolve("no-graph-report");

        CommandRun failed = CommandRun.of("report", "--data-dir", empty.toString(), "--out", out.toString());

        assertEquals(2, failed.exitCode(), failed.out());
        assertTrue(failed.err().contains("No graph in"), failed.err());
        assertFalse(Files.exists(out), "the failed report left " + out);
    }

    @Test
    void html_firstScreenStatesSizeOfProblem() throws IOException {
        String html = Files.readString(dir.resolve("out/report.html"));
        JsonNode summary = report.get("summary");
        int glance = html.indexOf("id=\"at-a-glance\"");

        assertTrue(glance > 0, "no summary at the top");
        assertTrue(glance < html.indexOf("id=\"changes\""), "the summary is not first");
        String firstScreen = html.substring(glance, html.indexOf("</section>", glance));
        assertTrue(firstScreen.contains(summary.get("open").asInt() + " open finding(s) from " + summary.get("causes").asInt()
                + " distinct cause(s)"), firstScreen);
        assertTrue(firstScreen.contains(summary.get("administrators").asInt()
                + " role(s), IAM user(s) and service account(s) are administrators or can become one"), firstScreen);
        assertTrue(html.contains("id=\"cause-"), "no entry that groups principals of one cause");
    }

    @Test
    void html_namesControlTitles() throws IOException {
        String html = Files.readString(dir.resolve("out/report.html"));

        assertTrue(html.contains("<td>A.5.3</td><td>Segregation of duties</td>"), "no title in the 2022 control table");
        assertTrue(html.contains("<td>A.9.2.3</td><td>Management of privileged access rights</td>"),
                "no title in the 2013 control table");
        assertTrue(html.contains("A.5.15 Access control"), "no title in a finding's controls");
    }

    @Test
    void html_drawsEscalationPaths() throws IOException {
        String html = Files.readString(dir.resolve("out/report.html"));

        assertTrue(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" class=\"path\""), "no path drawing");
        assertFalse(html.contains("<image"), "no images in the drawings");
    }

    @Test
    void secondReport_comparesWithFirstAndKeepsHistory() throws IOException {
        Path out = dir.resolve("history-out");
        Path exceptions = dir.resolve("one-exception.yaml");
        Files.writeString(exceptions, UNUSED_SRE_ROLE_ACCEPTED);
        String[] common = {"report", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile(), "--out", out.toString(), "--as-of", "2026-12-01",
                "--keep", "2"};

        CommandRun first = CommandRun.of(concat(common, "--exceptions", exceptions.toString()));
        JsonNode firstReport = JSON.readTree(out.resolve("report.json").toFile());
        // Without the exception, the accepted finding is open again: the one new finding.
        CommandRun second = CommandRun.of(common);
        JsonNode secondReport = JSON.readTree(out.resolve("report.json").toFile());
        CommandRun third = CommandRun.of(common);

        assertEquals(0, first.exitCode(), first.err());
        assertEquals(0, second.exitCode(), second.err());
        assertEquals(0, third.exitCode(), third.err());
        assertFalse(firstReport.get("comparison").has("previousGeneratedAt"), firstReport.get("comparison").toString());
        JsonNode comparison = secondReport.get("comparison");
        assertEquals(firstReport.get("generatedAt").asText(), comparison.get("previousGeneratedAt").asText());
        assertEquals(1, comparison.get("newCount").asInt(), comparison.toString());
        assertEquals("arn:aws:iam::200611803367:role/privesc-sre-role",
                comparison.get("newFindings").get(0).get("principal").asText());
        assertEquals(0, comparison.get("resolvedCount").asInt(), comparison.toString());
        assertEquals(firstReport.get("summary").get("open").asInt(), comparison.get("unchangedCount").asInt());
        assertTrue(second.out().contains("1 new, 0 resolved"), second.out());
        assertEquals(2, secondReport.get("trend").size());

        // --keep 2: the latest report and one earlier one.
        try (var archived = Files.list(out.resolve("history"))) {
            assertEquals(1, archived.count());
        }
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("id=\"changes\""), "no comparison section");
        assertTrue(html.indexOf("id=\"changes\"") < html.indexOf("id=\"by-severity\""), "the comparison is not at the top");
        assertTrue(html.contains("id=\"trend\""), "no trend chart");
        assertTrue(html.contains("id=\"trend-table\""), "no trend table");
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void report_olderReport_comparesWithoutChange() throws IOException {
        Path out = dir.resolve("before-grouping");
        Files.createDirectories(out);
        Files.copy(Path.of("src/test/resources/fixtures/report-before-grouping/report.json"), out.resolve("report.json"));

        CommandRun run = CommandRun.of("report", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file",
                SharedGraph.passwordFile(), "--out", out.toString(), "--as-of", "2026-12-01");

        assertEquals(0, run.exitCode(), run.err());
        JsonNode written = JSON.readTree(out.resolve("report.json").toFile());
        JsonNode comparison = written.get("comparison");
        String counts = comparison.get("newCount") + " new " + comparison.path("newFindings") + ", "
                + comparison.get("resolvedCount") + " resolved " + comparison.path("resolvedFindings");
        assertEquals(0, comparison.get("newCount").asInt(), counts);
        assertEquals(0, comparison.get("resolvedCount").asInt(), counts);
        assertEquals(written.get("summary").get("open").asInt(), comparison.get("unchangedCount").asInt());
        assertTrue(written.get("summary").get("foldedIntoAdministrators").asInt() > 0, "nothing was folded");
    }

    @Test
    void report_escalationEndingAtAnotherAdministrator_isUnchanged() throws IOException {
        Path out = dir.resolve("other-witness");
        Files.createDirectories(out);
        ObjectNode older = (ObjectNode) JSON.readTree(Path.of("src/test/resources/fixtures/report-before-grouping/report.json").toFile());
        ObjectNode escalation = null;
        ObjectNode trust = null;
        for (JsonNode finding : older.get("findings")) {
            String rule = finding.get("rule").asText();
            if (escalation == null && rule.equals("escalation-to-admin") && finding.hasNonNull("resource")) {
                escalation = (ObjectNode) finding;
            } else if (trust == null && rule.equals("aws-trust-account-root")) {
                trust = (ObjectNode) finding;
            }
        }
        // The escalation finding's resource is where its witness path ends; a trust finding's resource is the trust.
        escalation.put("resource", ACCOUNT + "role/another-administrator");
        trust.put("resource", ACCOUNT + "role/another-trusting-role");
        JSON.writeValue(out.resolve("report.json").toFile(), older);

        CommandRun run = CommandRun.of("report", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file",
                SharedGraph.passwordFile(), "--out", out.toString(), "--as-of", "2026-12-01");

        assertEquals(0, run.exitCode(), run.err());
        JsonNode comparison = JSON.readTree(out.resolve("report.json").toFile()).get("comparison");
        assertEquals(1, comparison.get("newCount").asInt(), comparison.toString());
        assertEquals(1, comparison.get("resolvedCount").asInt(), comparison.toString());
        assertEquals("aws-trust-account-root", comparison.get("resolvedFindings").get(0).get("rule").asText());
    }

    @Test
    void exceptions_acceptSameFindingsAsBefore() throws IOException {
        Path out = dir.resolve("exceptions-grouped");
        Path exceptions = dir.resolve("folded-exceptions.yaml");
        Files.writeString(exceptions, """
                exceptions:
                  - rule: aws-write-code-and-deploy
                    principal: arn:aws:iam::200611803367:user/privesc4-CreateAccessKey-user
                    owner: build-team
                    reason: The user deploys the build account's functions.
                    expires: 2027-01-31
                  - rule: escalation-to-admin
                    principal: arn:aws:iam::200611803367:role/privesc-AssumeRole-starting-role
                    owner: platform-team
                    reason: The starting role is a break-glass role.
                    expires: 2027-01-31
                """);

        CommandRun run = CommandRun.of("report", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file",
                SharedGraph.passwordFile(), "--out", out.toString(), "--as-of", "2026-12-01", "--exceptions", exceptions.toString());

        assertEquals(0, run.exitCode(), run.err());
        JsonNode written = JSON.readTree(out.resolve("report.json").toFile());
        List<String> accepted = new ArrayList<>();
        written.get("acceptedRisks").forEach(f -> accepted.add(f.get("rule").asText() + " " + f.get("principal").asText()));
        assertEquals(List.of("escalation-to-admin " + ACCOUNT + "role/privesc-AssumeRole-starting-role",
                "aws-write-code-and-deploy " + ESCALATOR), accepted);
        written.get("exceptions").forEach(status -> assertEquals(1, status.get("findings").asInt(), status.toString()));
        written.get("exceptions").forEach(status -> assertEquals("applied", status.get("status").asText(), status.toString()));
        assertEquals(2, written.get("summary").get("accepted").asInt());

        // The accepted combination is not listed again in the escalation finding, whose other combinations stay.
        JsonNode escalation = null;
        int startingRoleCombinations = 0;
        for (JsonNode finding : written.get("findings")) {
            String principal = finding.get("principal").asText();
            if (principal.equals(ESCALATOR) && finding.get("rule").asText().equals("escalation-to-admin")) {
                escalation = finding;
            }
            if (principal.equals(ACCOUNT + "role/privesc-AssumeRole-starting-role")
                    && finding.get("kind").asText().equals("toxic-combination")) {
                startingRoleCombinations++;
            }
        }
        assertNotNull(escalation);
        assertFalse(escalation.get("toxicCombinations").toString().contains("aws-write-code-and-deploy"),
                escalation.get("toxicCombinations").toString());
        assertEquals(16, escalation.get("toxicCombinations").size());
        // Accepting the escalation accepts only it, as before: the role's combinations stay open, one per rule.
        assertEquals(17, startingRoleCombinations);
    }

    @Test
    void oneShot_loadsBundleAndReports() throws IOException {
        Path out = dir.resolve("one-shot");

        CommandRun oneShot = CommandRun.of("report", "src/test/resources/fixtures/federated-trust.json", "--out", out.toString());

        assertEquals(0, oneShot.exitCode(), oneShot.err());
        JsonNode findings = JSON.readTree(out.resolve("report.json").toFile()).get("findings");
        List<String> anySubject = new ArrayList<>();
        findings.forEach(f -> {
            if (f.get("rule").asText().equals("aws-oidc-trust-any-subject")) {
                anySubject.add(f.get("principal").asText());
            }
        });
        assertTrue(anySubject.contains("arn:aws:iam::333333333333:role/github-any-repository"), anySubject.toString());
        assertFalse(anySubject.contains("arn:aws:iam::333333333333:role/github-main-branch"), anySubject.toString());
    }

    @Test
    void badExceptionsFile_rejectedBeforeWriting() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "exceptions:\n  - rule: aws-role-unused\n    principal: x\n    owner: o\n    reason: r\n    expires: soon\n");
        Path out = dir.resolve("not-written");

        CommandRun rejected = CommandRun.of("report", "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile(), "--out", out.toString(),
                "--exceptions", bad.toString());

        assertEquals(2, rejected.exitCode());
        assertTrue(rejected.err().contains("entry 1, expires \"soon\" is not a date"), rejected.err());
        assertFalse(Files.exists(out.resolve("report.json")));
    }
}
