package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.escalation.Technique;
import dev.nhigraph.escalation.TechniqueCatalog;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Acceptance on public ground truth: the bundled export of an account with BishopFox's iam-vulnerable lab, loaded
 * into the embedded Neo4j as {@code nhigraph load} loads it, against two files in
 * {@code src/test/resources/corpus/aws/iam-vulnerable/}.
 *
 * <ul>
 *   <li>{@code expected-on-cloudsplaining-snapshot.json} gives, for 98 principals, whether each reaches admin:
 *       allowed every action on every resource of its own account, directly or after the steps of a path. Every
 *       row is checked, and a row whose expected value contradicts the AWS documentation is listed in
 *       {@link #OVERRIDES} with the reason and the page.</li>
 *   <li>{@code paths.json} describes the lab's 31 escalation scenarios and its tool-testing cases. Each scenario's
 *       starting principal must get a step or an administrator mark by the technique that the scenario names,
 *       mapped to our catalogue through the catalogue's {@code sources}, and the false-positive cases nothing.</li>
 * </ul>
 */
class IamVulnerableAcceptanceTest {

    private static final Path CORPUS = Path.of("src/test/resources/corpus/aws/iam-vulnerable");
    private static final String LAB = "arn:aws:iam::200611803367:";
    private static final String TEACHING = "arn:aws:iam::012345678901:";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Matches a pathfinding.cloud id such as iam-009 in the free text of the scenarios' cross references. */
    private static final Pattern PATHFINDING_ID = Pattern.compile("[a-z0-9]+-\\d{3}");

    /** An expected value replaced because the AWS documentation contradicts it. */
    private record RowOverride(String reachesAdmin, String reason, String link) {
    }

    private static final String EXPORT_SHOWS_NO_RESOURCES = "The expected false assumes that no instance, function,"
            + " dev endpoint, notebook or stack runs as an administrator role, because the lab's optional modules"
            + " were not deployed. GetAccountAuthorizationDetails returns IAM users, groups, roles and policies only,"
            + " so this input cannot show that, and the step through such a resource is conditional.";
    private static final String AUTHORIZATION_DETAILS =
            "https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html";
    private static final String EXISTING_INSTANCE = "The row's own certainty says that the answer depends on existing"
            + " EC2 instances, which the input does not list. With iam:PassRole and ec2:AssociateIamInstanceProfile the"
            + " role can give an instance it controls the instance profile of OverprivilegedEC2, which reaches admin.";

    /**
     * Expected values that the test replaces, by principal ARN. Each gives the value the row should have, the
     * reason, and the AWS page behind the reason.
     */
    private static final Map<String, RowOverride> OVERRIDES = Map.ofEntries(
            Map.entry(LAB + "user/fn3-exploitableConditionConstraint-user", new RowOverride("CONDITIONAL",
                    "Long-term access keys carry no aws:TokenIssueTime, so the DateGreaterThan grant fails for them."
                            + " Credentials from sts:GetSessionToken carry it, but cannot call any IAM API operation"
                            + " unless the request includes MFA authentication, and the export does not show whether"
                            + " the user has an MFA device.",
                    "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html")),
            resourceOverride(LAB + "user/privesc-ec2InstanceConnect-user"),
            resourceOverride(LAB + "role/privesc-ec2InstanceConnect-role"),
            resourceOverride(LAB + "user/privesc-CloudFormationUpdateStack-user"),
            resourceOverride(LAB + "role/privesc-CloudFormationUpdateStack-role"),
            resourceOverride(LAB + "user/privesc19-UpdateExistingGlueDevEndpoint-user"),
            resourceOverride(LAB + "role/privesc19-UpdateExistingGlueDevEndpoint-role"),
            resourceOverride(LAB + "user/privesc17-EditExistingLambdaFunctionWithRole-user"),
            resourceOverride(LAB + "role/privesc17-EditExistingLambdaFunctionWithRole-role"),
            resourceOverride(LAB + "user/privesc-sageMakerCreatePresignedNotebookURL-user"),
            resourceOverride(LAB + "role/privesc-sageMakerCreatePresignedNotebookURL-role"),
            resourceOverride(LAB + "user/privesc-ssmSendCommand-user"),
            resourceOverride(LAB + "role/privesc-ssmSendCommand-role"),
            resourceOverride(LAB + "user/privesc-ssmStartSession-user"),
            resourceOverride(LAB + "role/privesc-ssmStartSession-role"),
            Map.entry(TEACHING + "role/MyRole", new RowOverride("CONDITIONAL", EXISTING_INSTANCE,
                    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateIamInstanceProfile.html")),
            Map.entry(TEACHING + "role/MyOtherRole", new RowOverride("CONDITIONAL", EXISTING_INSTANCE,
                    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateIamInstanceProfile.html")));

    private static Map.Entry<String, RowOverride> resourceOverride(String principal) {
        return Map.entry(principal, new RowOverride("CONDITIONAL", EXPORT_SHOWS_NO_RESOURCES, AUTHORIZATION_DETAILS));
    }

    private static TechniqueCatalog catalog;

    @BeforeAll
    static void loadSample() {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        catalog = TechniqueCatalog.loadDefault();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Expected admin reachability

    /** Returns the rows whose expected value is true or false, with the value the test expects. */
    static Stream<Arguments> decidedRows() {
        List<Arguments> rows = new ArrayList<>();
        for (JsonNode row : corpus("expected-on-cloudsplaining-snapshot.json").get("expected")) {
            JsonNode reaches = row.get("reaches_admin");
            if (reaches.isBoolean()) {
                rows.add(Arguments.of(row.get("principal").asText(), reaches.asBoolean() ? "YES" : "NO",
                        row.get("certainty").asText(), row.get("via").asText()));
            }
        }
        return rows.stream();
    }

    /** Returns the rows expected to depend on facts outside the export: "conditional", or null for undecidable. */
    static Stream<Arguments> conditionalRows() {
        List<Arguments> rows = new ArrayList<>();
        for (JsonNode row : corpus("expected-on-cloudsplaining-snapshot.json").get("expected")) {
            if (!row.get("reaches_admin").isBoolean()) {
                rows.add(Arguments.of(row.get("principal").asText(), row.get("via").asText()));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decidedRows")
    void decidedRow_matches(String principal, String expected, String certainty, String via) {
        RowOverride override = OVERRIDES.get(principal);
        if (override != null) {
            assertEquals(override.reachesAdmin(), reachesAdmin(principal), "overridden row (the file expects " + expected
                    + "): " + override.reason() + " See " + override.link());
            return;
        }
        assertEquals(expected, reachesAdmin(principal), "certainty " + certainty + "; expected because: " + via);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditionalRows")
    void conditionalRow_isConditional(String principal, String via) {
        assertEquals("CONDITIONAL", reachesAdmin(principal), via);
    }

    @Test
    void rows_allCheckedOnce() {
        long decided = decidedRows().count();
        long conditional = conditionalRows().count();
        Set<String> principals = new HashSet<>();
        corpus("expected-on-cloudsplaining-snapshot.json").get("expected")
                .forEach(row -> principals.add(row.get("principal").asText()));

        assertEquals(98, decided + conditional);
        assertEquals(98, principals.size(), "a principal is listed twice");
        assertTrue(principals.containsAll(OVERRIDES.keySet()), "an override names a principal the file does not list");
    }

    @Test
    void rows_namePrincipalsInGraph() {
        for (Arguments row : decidedRows().toList()) {
            String principal = (String) row.get()[0];
            assertEquals(1, SharedGraph.count("MATCH (p:Principal {id: $id}) RETURN count(p) AS c", "id", principal), principal);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Scenarios

    /**
     * Returns one case per scenario and variant (its user and its role): the principal, whether paths.json expects
     * it to escalate, the catalogue ids of the scenario's technique, and whether the scenario is conditional.
     */
    static Stream<Arguments> scenarioVariants() {
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode scenario : corpus("paths.json").get("paths")) {
            Set<String> techniques = techniqueIds(scenario.get("cross_refs"));
            boolean conditional = scenario.get("certainty").asText().equals("conditional");
            for (String variant : List.of("user", "role")) {
                String principal = LAB + variant + "/" + nameOf(scenario.get("principals").get(variant).asText());
                String outcome = scenario.get("expected_by_variant").get(variant).asText();
                boolean escalates = !outcome.startsWith("no ");
                cases.add(Arguments.of(scenario.get("id").asText() + " " + variant, principal, escalates, techniques,
                        conditional, outcome));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarioVariants")
    void scenario_findsItsTechnique(String scenario, String principal, boolean escalates, Set<String> techniques,
                                    boolean conditional, String outcome) {
        List<Finding> findings = findings(principal, techniques);

        if (!escalates) {
            assertEquals(List.of(), findings, "paths.json: " + outcome);
            return;
        }
        assertFalse(findings.isEmpty(), "no step or administrator mark by " + techniques + "; paths.json: " + outcome);
        if (conditional) {
            assertTrue(findings.stream().allMatch(Finding::conditional), "conditional scenario, found " + findings);
        } else {
            assertTrue(findings.stream().anyMatch(finding -> !finding.conditional()), "unconditional scenario, found " + findings);
        }
    }

    @Test
    void scenarios_mapToCatalogue() {
        Set<String> known = new HashSet<>();
        catalog.all().forEach(technique -> known.add(technique.id()));
        JsonNode scenarios = corpus("paths.json").get("paths");

        assertEquals(31, scenarios.size());
        for (JsonNode scenario : scenarios) {
            Set<String> techniques = techniqueIds(scenario.get("cross_refs"));
            assertFalse(techniques.isEmpty(), scenario.get("id").asText() + " maps to no catalogue technique");
            assertTrue(known.containsAll(techniques), scenario.get("id").asText() + " maps to unknown ids " + techniques);
        }
    }

    /** Returns one case per principal of each tool-testing case. */
    static Stream<Arguments> toolTestingPrincipals() {
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode testCase : corpus("paths.json").get("tool_testing")) {
            for (JsonNode written : testCase.get("principals")) {
                String name = nameOf(written.asText());
                String principal = LAB + (name.endsWith("-user") ? "user/" : "role/") + name;
                cases.add(Arguments.of(testCase.get("id").asText(), principal, testCase.get("kind").asText(),
                        testCase.get("expected").asText()));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("toolTestingPrincipals")
    void toolTestingCase_matches(String id, String principal, String kind, String expected) {
        long marks = SharedGraph.count("MATCH (p:Principal {id: $id}) WHERE p.adminEquivalent IS NOT NULL RETURN count(p) AS c",
                "id", principal);
        long escalations = SharedGraph.count("MATCH (:Principal {id: $id})-[e:CAN_ESCALATE]->() RETURN count(e) AS c",
                "id", principal);
        long assumptions = SharedGraph.count("MATCH (:Principal {id: $id})-[e:CAN_ASSUME]->() RETURN count(e) AS c",
                "id", principal);

        if (id.startsWith("fp")) {
            assertEquals(0, marks, "administrator mark on a false-positive case: " + expected);
            assertEquals(0, escalations, "CAN_ESCALATE from a false-positive case: " + expected);
            assertEquals(0, assumptions, "CAN_ASSUME from a false-positive case: " + expected);
        } else if (id.startsWith("fn")) {
            assertTrue(marks + escalations > 0, "false-negative case not flagged: " + expected);
            assertNotEquals("NO", reachesAdmin(principal), expected);
        } else {
            // The role that trusts its whole account has no policies, so it gives nothing to a principal that assumes it.
            assertEquals(0, marks, kind + ": " + expected);
            assertEquals(0, escalations, kind + ": " + expected);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    /** A CAN_ESCALATE or CAN_ASSUME edge from a principal, or its administrator mark, by one of some techniques. */
    private record Finding(String kind, String target, String technique, boolean conditional) {
    }

    /**
     * Returns the principal's findings by any of {@code techniques}: CAN_ESCALATE edges and administrator marks
     * naming one of them, and CAN_ASSUME edges when they include sts-001 (sts:AssumeRole, which the load writes
     * as CAN_ASSUME).
     */
    private static List<Finding> findings(String principal, Set<String> techniques) {
        return SharedGraph.store().read(tx -> {
            List<Finding> found = new ArrayList<>();
            tx.run("""
                    MATCH (:Principal {id: $id})-[e:CAN_ESCALATE]->(target)
                    WHERE any(t IN e.techniques WHERE t IN $techniques)
                    RETURN target.id AS target, [t IN e.techniques WHERE t IN $techniques][0] AS technique,
                           e.conditional AS conditional""", Map.of("id", principal, "techniques", List.copyOf(techniques)))
                    .forEachRemaining(r -> found.add(new Finding("CAN_ESCALATE", r.get("target").asString(),
                            r.get("technique").asString(), r.get("conditional").asBoolean())));
            tx.run("""
                    MATCH (p:Principal {id: $id})
                    WHERE p.adminEquivalent IS NOT NULL AND any(t IN p.adminTechniques WHERE t IN $techniques)
                    RETURN [t IN p.adminTechniques WHERE t IN $techniques][0] AS technique, p.adminEquivalent AS mark""",
                    Map.of("id", principal, "techniques", List.copyOf(techniques)))
                    .forEachRemaining(r -> found.add(new Finding("adminEquivalent", principal, r.get("technique").asString(),
                            !r.get("mark").asString().equals("YES"))));
            if (techniques.contains("sts-001")) {
                tx.run("MATCH (:Principal {id: $id})-[e:CAN_ASSUME]->(target) RETURN target.id AS target, e.conditional AS conditional",
                                Map.of("id", principal))
                        .forEachRemaining(r -> found.add(new Finding("CAN_ASSUME", r.get("target").asString(), "sts-001",
                                r.get("conditional").asBoolean())));
            }
            return found;
        });
    }

    /**
     * Returns the catalogue ids of a scenario's technique: the pathfinding.cloud ids named in its cross references,
     * and the entries whose cloudsplaining source is its cloudsplaining method.
     */
    private static Set<String> techniqueIds(JsonNode crossReferences) {
        Set<String> ids = new TreeSet<>();
        Matcher pathfinding = PATHFINDING_ID.matcher(crossReferences.path("pathfinding_cloud").asText(""));
        while (pathfinding.find()) {
            ids.add(pathfinding.group());
        }
        String method = crossReferences.path("cloudsplaining_method").asText("");
        for (Technique technique : catalog().all()) {
            if (!method.isEmpty() && method.equals(technique.sources().get("cloudsplaining"))) {
                ids.add(technique.id());
            }
        }
        return ids;
    }

    /** Returns the catalogue; method sources run before {@link #loadSample}, so they load it themselves. */
    private static TechniqueCatalog catalog() {
        return catalog != null ? catalog : TechniqueCatalog.loadDefault();
    }

    /** Returns a principal name without the remark paths.json adds in brackets, as in "name (decoy)". */
    private static String nameOf(String written) {
        int remark = written.indexOf(" (");
        return remark < 0 ? written : written.substring(0, remark);
    }

    private static JsonNode corpus(String file) {
        try {
            return JSON.readTree(CORPUS.resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + CORPUS.resolve(file), e);
        }
    }

    /**
     * Returns whether the principal reaches admin after the load, as the product decides it for `paths` and the
     * scan report: YES over unconditional CAN_ASSUME and CAN_ESCALATE steps to an administrator, CONDITIONAL when
     * every path has a conditional step or ends at a conditional administrator, else NO.
     */
    private static String reachesAdmin(String principalArn) {
        return SharedGraph.graphService().adminReachability().reach(principalArn).name();
    }
}
