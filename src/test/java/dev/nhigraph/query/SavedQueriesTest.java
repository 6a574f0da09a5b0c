package dev.nhigraph.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.BadInputException;
import dev.nhigraph.analysis.PathAnswers;
import dev.nhigraph.analysis.PathSearch;
import dev.nhigraph.testsupport.AnalystSample;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every saved query of {@code cypher/queries} against the analyst sample in the embedded Neo4j, through the
 * same {@link ReadOnlyCypher} that the command line and the API use, and checks what each one finds.
 */
class SavedQueriesTest {

    private static final String LAB = "@iam-vulnerable-lab.iam.gserviceaccount.com";
    private static final String SECRET_READER = "serviceAccount:lateral3-secret-access" + LAB;
    private static final String GITHUB_ANY = "arn:aws:iam::333333333333:role/github-any-repository";
    private static final String HIGH_PRIV_ROLE = "arn:aws:iam::200611803367:role/privesc-high-priv-service-role";
    private static final String AS_OF = "2026-12-01T00:00:00Z";

    @TempDir
    static Path work;

    private static SavedQueries saved;
    private static ReadOnlyCypher cypher;

    @BeforeAll
    static void load() throws IOException {
        AnalystSample.resetAndLoad(work);
        saved = SavedQueries.read(Path.of(SavedQueries.FOLDER));
        cypher = new ReadOnlyCypher(SharedGraph.store());
    }

    /** What each saved query must find in the sample; a saved query without an entry fails {@link #everyQueryIsChecked}. */
    private static final Map<String, Consumer<CypherAnswer>> CHECKS = Map.ofEntries(
            Map.entry("admin-equivalent-identities", answer -> {
                assertTrue(column(answer, "principal").contains("arn:aws:iam::012345678901:user/obama"));
                assertTrue(column(answer, "principal").contains("serviceAccount:privesc-high-priv-sa" + LAB));
                assertEquals(Set.of("aws", "gcp"), new TreeSet<>(column(answer, "cloud")));
            }),
            Map.entry("admin-policies", answer ->
                    assertTrue(answer.rows().stream().anyMatch(row -> row.get("principal").equals(HIGH_PRIV_ROLE)
                            && ((List<?>) row.get("policies")).contains("arn:aws:iam::200611803367:policy/privesc-high-priv-service-policy")))),
            Map.entry("admin-reachable-from-outside", answer -> {
                assertTrue(answer.rows().stream().anyMatch(row -> row.get("start").equals("token.actions.githubusercontent.com:sub=repo:*")
                        && row.get("administrator").equals(GITHUB_ANY)), "the GitHub subject repo:* reaches its admin role");
                assertFalse(answer.graph().relationships().isEmpty(), "the paths carry relationships to draw");
            }),
            Map.entry("cross-account-trust", answer ->
                    assertEquals(List.of("arn:aws:iam::200611803367:role/OrganizationAccountAccessRole",
                            "arn:aws:iam::200611803367:role/stacksets-exec-b5520cb2730c2f54b523d6375a319abb"), column(answer, "role"))),
            Map.entry("escalation-techniques", answer -> {
                assertEquals("iam-012", answer.rows().get(0).get("technique"), "the most frequent technique comes first");
                assertTrue(column(answer, "cloud").contains("gcp"));
            }),
            Map.entry("escalation-to-admin", answer -> {
                assertTrue(answer.rows().stream().anyMatch(row -> row.get("principal").equals("arn:aws:iam::200611803367:role/privesc-codeBuildCreateProjectPassRole-role")
                        && row.get("technique").equals("codebuild-001") && row.get("administrator").equals(HIGH_PRIV_ROLE)));
                assertFalse(column(answer, "principal").contains(HIGH_PRIV_ROLE), "an administrator is not its own source");
            }),
            Map.entry("federated-any-subject", answer ->
                    assertEquals(List.of(GITHUB_ANY, "arn:aws:iam::333333333333:role/eks-any-service-account",
                            "arn:aws:iam::333333333333:role/github-without-sub"), column(answer, "role"))),
            Map.entry("gcp-administrators", answer -> {
                assertEquals(6, answer.rowCount());
                assertTrue(column(answer, "principal").contains("serviceAccount:privesc09-update-role" + LAB));
            }),
            Map.entry("gcp-conditional-bindings", answer ->
                    assertEquals(List.of("business-hours", "expired-access"), column(answer, "title"))),
            Map.entry("gcp-custom-roles-with-iam-permissions", answer ->
                    assertTrue(answer.rows().stream().anyMatch(row -> row.get("role").equals("projects/iam-vulnerable-lab/roles/privesc_02_createSAKey")
                            && row.get("permissions").equals(List.of("iam.serviceAccountKeys.create"))))),
            Map.entry("gcp-impersonation-chains", answer -> {
                assertTrue(answer.rowCount() >= 1);
                assertTrue(column(answer, "steps").stream().allMatch(steps -> ((Long) steps) >= 2));
                assertFalse(answer.graph().nodes().isEmpty());
            }),
            Map.entry("gcp-public-bindings", answer ->
                    assertEquals(List.of("//storage.googleapis.com/iam-vulnerable-lab-public-site"), column(answer, "resource"))),
            Map.entry("gcp-scope-wide-steps", answer ->
                    assertTrue(answer.rows().stream().anyMatch(row -> row.get("principal").equals("serviceAccount:privesc04-get-access-token" + LAB)
                            && row.get("technique").equals("gcp-001")))),
            Map.entry("gcp-service-account-iam-grants", answer ->
                    assertTrue(answer.rows().stream().anyMatch(row -> row.get("serviceAccount").equals(SECRET_READER)
                            && row.get("role").equals("roles/iam.serviceAccountTokenCreator") && row.get("member").equals("user:attacker@example.com")))),
            Map.entry("gcp-user-managed-keys", answer ->
                    assertEquals(List.of("5d2e0c41b7a94f6e8c3d2b1a09f8e7d6c5b4a392", "8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b"),
                            column(answer, "keyId"), "enabled user-managed keys only, oldest first")),
            Map.entry("github-assumable-roles", answer -> {
                assertEquals(GITHUB_ANY, answer.rows().get(0).get("role"));
                assertEquals(true, answer.rows().get(0).get("anyRepository"));
                assertTrue(column(answer, "pattern").contains("repo:acme/*"));
            }),
            Map.entry("group-members-of-admin-groups", answer ->
                    assertEquals(List.of("arn:aws:iam::012345678901:group/admin"), column(answer, "group"))),
            Map.entry("instance-profile-roles", answer ->
                    assertEquals("YES", answer.rows().get(0).get("adminEquivalent"), "administrator profiles come first")),
            Map.entry("old-service-account-keys", answer -> {
                assertEquals(List.of("5d2e0c41b7a94f6e8c3d2b1a09f8e7d6c5b4a392"), column(answer, "keyId"),
                        "the 2023 key only: the 2026 key is 11 days old, the 2022 key is disabled");
                assertEquals(1420L, answer.rows().get(0).get("ageDays"));
            }),
            Map.entry("principals-by-kind", answer ->
                    assertEquals(45L, answer.rows().stream().filter(row -> row.get("kind").equals("AwsUser"))
                            .mapToLong(row -> (Long) row.get("principals")).sum(), "the load reports 45 users")),
            Map.entry("principals-reading-secrets", answer ->
                    assertEquals(List.of(SECRET_READER, "serviceAccount:lateral4-secret-setiam" + LAB), column(answer, "principal"))),
            Map.entry("public-resource-policies", answer ->
                    assertEquals(List.of("arn:aws:s3:::team-logs", "arn:aws:sns:eu-west-1:222222222222:alerts"), column(answer, "resource"))),
            Map.entry("resources-reachable", answer ->
                    assertEquals(List.of("//secretmanager.googleapis.com/projects/iam-vulnerable-lab/secrets/privesc-target-secret"),
                            column(answer, "resource"))),
            Map.entry("roles-trusting-whole-accounts", answer -> {
                assertEquals("arn:aws:iam::200611803367:role/OrganizationAccountAccessRole", answer.rows().get(0).get("role"));
                assertEquals(true, answer.rows().get(0).get("crossAccount"));
            }),
            Map.entry("scp-attachments", answer ->
                    assertTrue(answer.rows().stream().anyMatch(row -> row.get("policy").equals("deny-leave-organization")
                            && ((List<?>) row.get("attachedTo")).contains("Workloads")))),
            Map.entry("service-trusted-roles", answer ->
                    assertTrue(answer.rows().stream().anyMatch(row -> row.get("role").equals(HIGH_PRIV_ROLE)
                            && ((List<?>) row.get("services")).contains("lambda.amazonaws.com")))),
            Map.entry("snapshots", answer -> {
                assertEquals(1, answer.rowCount());
                assertEquals(73L, answer.rows().get(0).get("gcpServiceAccounts"));
            }),
            Map.entry("unused-roles", answer -> {
                assertTrue(column(answer, "role").contains("arn:aws:iam::012345678901:role/MyRole"), "a never used role is listed");
                assertTrue(column(answer, "role").contains("arn:aws:iam::200611803367:role/AWS-QuickSetup-EnableCRecording-1clff_ap-northeast-1"),
                        "a role last used in 2022 is listed as of 2026");
            }),
            Map.entry("who-can-reach-admin", answer -> {
                assertEquals(0L, answer.rows().get(0).get("steps"), "administrators come first, at 0 steps");
                assertTrue(column(answer, "principal").contains(HIGH_PRIV_ROLE), "an administrator is listed");
                assertTrue(column(answer, "principal").contains("token.actions.githubusercontent.com:sub=repo:*"),
                        "a federated subject that can assume an administrator role is listed");
            }),
            Map.entry("who-can-reach", answer ->
                    assertEquals(List.of("arn:aws:iam::333333333333:oidc-provider/token.actions.githubusercontent.com",
                            "token.actions.githubusercontent.com:sub=repo:*"), column(answer, "principal"))));

    /** Parameters for the queries that need them; the dates make the age checks independent of today's date. */
    private static final Map<String, Map<String, Object>> PARAMETERS = Map.of(
            "who-can-reach", Map.of("target", GITHUB_ANY),
            "resources-reachable", Map.of("principal", SECRET_READER),
            "old-service-account-keys", Map.of("asOf", AS_OF),
            "unused-roles", Map.of("asOf", AS_OF));

    @TestFactory
    Stream<DynamicTest> savedQuery_findsExpectedRows() {
        return saved.all().stream().map(query -> DynamicTest.dynamicTest(query.name(), () -> {
            Consumer<CypherAnswer> check = CHECKS.get(query.name());
            assertNotNull(check, "saved query " + query.name() + " has no check in SavedQueriesTest.CHECKS");

            CypherAnswer answer = run(query.name(), PARAMETERS.getOrDefault(query.name(), Map.of()));

            assertFalse(answer.truncated(), query.name() + " returned more than " + answer.maxRows() + " rows");
            check.accept(answer);
        }));
    }

    /**
     * The saved query who-can-reach-admin lists what `paths --to admin` lists, except for the two differences that its
     * header names: groups that make their members administrators, and scope-wide GCP steps.
     */
    @Test
    void whoCanReachAdmin_differsOnlyAsDocumented() {
        Set<String> listed = new TreeSet<>();
        column(run("who-can-reach-admin", Map.of()), "principal").forEach(id -> listed.add((String) id));
        PathAnswers.Reaching reaching = SharedGraph.graphService().pathAnswers()
                .reaching(PathAnswers.ADMIN, PathSearch.DEFAULT_MAX_DEPTH, PathAnswers.MAX_SOURCES_LIMIT);
        Map<String, PathAnswers.Source> answered = new TreeMap<>();
        reaching.sources().forEach(source -> answered.put(source.principal(), source));
        List<String> scopeWideSources = SharedGraph.store().read(tx -> tx.run("""
                MATCH (source:Principal)-[e:CAN_ESCALATE|CAN_IMPERSONATE]->()
                WHERE e.scopeWide
                RETURN DISTINCT source.id AS id""").list(row -> row.get("id").asString()));

        Set<String> onlyListed = new TreeSet<>(listed);
        onlyListed.removeAll(answered.keySet());
        assertEquals(Set.of(), onlyListed, "principals that only the saved query lists");
        Set<String> unexplained = new TreeSet<>();
        for (String id : answered.keySet()) {
            PathSearch.Path witness = answered.get(id).witness();
            boolean group = "AwsGroup".equals(answered.get(id).kind()) || witness.to().contains(":group/");
            boolean scopeWide = witness.steps().stream().anyMatch(step -> scopeWideSources.contains(step.from()));
            if (!listed.contains(id) && !group && !scopeWide) {
                unexplained.add(id);
            }
        }
        assertEquals(Set.of(), unexplained, "principals that only paths --to admin lists, for no documented reason");
        assertEquals(3, answered.keySet().stream().filter(id -> !listed.contains(id) && id.startsWith("arn:")).count(),
                "AWS principals missing from the saved query: the two administrator groups and privesc13-AddUserToGroup-user");
    }

    @Test
    void everyQueryIsChecked() {
        assertTrue(saved.names().size() >= 25, "only " + saved.names().size() + " saved queries");
        assertEquals(new TreeSet<>(CHECKS.keySet()), new TreeSet<>(saved.names()));
    }

    @Test
    void headers_describeEveryQuery() {
        for (SavedQuery query : saved.all()) {
            assertFalse(query.description().isBlank(), query.name());
            assertFalse(query.limitations().isBlank(), query.name());
        }
        SavedQuery keys = saved.find("old-service-account-keys");
        assertEquals(List.of("days", "asOf"), keys.parameters().stream().map(SavedQuery.Parameter::name).toList());
        assertEquals(90L, keys.parameter("days").defaultValue());
        assertEquals("integer", keys.parameter("days").type());
    }

    @Test
    void bundledQueries_matchRepositoryFolder() {
        assertEquals(saved.names(), SavedQueries.bundled().names());
    }

    @Test
    void keyAge_parameterChangesRows() {
        CypherAnswer answer = run("old-service-account-keys", Map.of("asOf", AS_OF, "days", "5"));

        assertEquals(List.of("5d2e0c41b7a94f6e8c3d2b1a09f8e7d6c5b4a392", "8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b"), column(answer, "keyId"));
    }

    @Test
    void parameters_badValueNamesParameter() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> SavedQueries.parameters(saved.find("old-service-account-keys"), Map.of("days", "ninety")));

        assertTrue(e.getMessage().contains("days=\"ninety\""), e.getMessage());
    }

    @Test
    void parameters_unknownNameListsDeclaredOnes() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> SavedQueries.parameters(saved.find("old-service-account-keys"), Map.of("age", "5")));

        assertTrue(e.getMessage().contains("days, asOf"), e.getMessage());
    }

    @Test
    void parameters_missingRequiredNamesIt() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> SavedQueries.parameters(saved.find("who-can-reach"), Map.of()));

        assertTrue(e.getMessage().contains("needs parameter target"), e.getMessage());
    }

    @Test
    void unknownName_listsSavedQueries() {
        BadInputException e = assertThrows(BadInputException.class, () -> saved.find("nope"));

        assertTrue(e.getMessage().contains("admin-equivalent-identities"), e.getMessage());
    }

    @Test
    void header_nameMustMatchFile() {
        BadInputException e = assertThrows(BadInputException.class, () -> SavedQuery.parse("other.cypher",
                "// name: one\n// description: d\n// parameters: none\n// limitations: l\nRETURN 1;\n"));

        assertTrue(e.getMessage().contains("other"), e.getMessage());
    }

    @Test
    void header_missingLimitationsIsRejected() {
        BadInputException e = assertThrows(BadInputException.class, () -> SavedQuery.parse("one.cypher",
                "// name: one\n// description: d\n// parameters: none\nRETURN 1;\n"));

        assertTrue(e.getMessage().contains("limitations"), e.getMessage());
    }

    private static CypherAnswer run(String name, Map<String, ?> given) {
        SavedQuery query = saved.find(name);
        return cypher.run(query.cypher(), SavedQueries.parameters(query, given), 1_000, 30);
    }

    private static List<Object> column(CypherAnswer answer, String column) {
        return answer.rows().stream().map(row -> row.get(column)).toList();
    }

}
