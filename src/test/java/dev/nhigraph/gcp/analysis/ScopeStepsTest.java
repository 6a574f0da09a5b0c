package dev.nhigraph.gcp.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.analysis.AwsProjection;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.gcp.GcpRoleCatalog;
import dev.nhigraph.gcp.analysis.GcpAnalysis.Result;
import dev.nhigraph.gcp.analysis.GcpAnalysis.ScopeStep;
import dev.nhigraph.gcp.analysis.GcpAnalysis.Step;
import dev.nhigraph.gcp.graph.GcpDerivedEdgeWriter;
import dev.nhigraph.gcp.graph.GcpGraphReader;
import dev.nhigraph.gcp.graph.GcpGraphWriter;
import dev.nhigraph.testsupport.SharedGraph;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Checks that scope-wide steps, once expanded, give the same steps as deriving every step per account: on small named
 * organizations, on seeded random ones against the per-account derivation as the reference, and after a round trip
 * through Neo4j and {@link AwsProjection}.
 */
class ScopeStepsTest {

    private static final Instant SNAPSHOT = Instant.parse("2026-06-01T12:00:00Z");
    private static final String ALICE = "user:alice@example.com";
    private static final String SUBFOLDER = GcpNames.folderName("300");

    /** Folder 200 contains project p1 and folder 300, which contains project p2. Each project has two accounts. */
    private static Fixture twoLevels() {
        return new Fixture()
                .resource(SUBFOLDER, GcpNames.FOLDER_TYPE, Fixture.FOLDER, null)
                .project("p1", "1111", Fixture.FOLDER).account("app", "p1").account("batch", "p1")
                .project("p2", "2222", SUBFOLDER).account("app", "p2").account("old", "p2", true);
    }

    private static Result derive(GcpInventory inventory, boolean scopeWide) {
        return GcpAnalysis.derive(inventory, GcpRoleCatalog.loadDefault(), SNAPSHOT, AttachedAccounts.none(), scopeWide);
    }

    private static Set<String> keys(List<Step> steps) {
        Set<String> keys = new TreeSet<>();
        for (Step step : steps) {
            keys.add(step.source() + " -" + step.kind() + "(" + step.technique() + (step.conditional() ? ", conditional" : "")
                    + ")-> " + step.target());
        }
        return keys;
    }

    @Test
    void folderEditorGetsOneScopeStep() {
        Result result = derive(twoLevels().bind(Fixture.FOLDER, "roles/editor", ALICE).build(), true);

        List<ScopeStep> fromAlice = result.scopeSteps().stream().filter(s -> s.source().equals(ALICE)).toList();
        assertEquals(1, fromAlice.size());
        assertEquals(Fixture.FOLDER, fromAlice.get(0).scope());
        assertEquals(Fixture.FOLDER, fromAlice.get(0).evidence().get(0).resources().get(0));
        assertTrue(result.directSteps().stream().noneMatch(s -> s.source().equals(ALICE) && s.target().equals(Fixture.member("app", "p2"))),
                "the enabled account two levels down has no direct step");
        assertTrue(result.directSteps().stream().anyMatch(s -> s.source().equals(ALICE) && s.target().equals(Fixture.member("old", "p2"))),
                "the disabled account keeps its own step");
    }

    @Test
    void expandedStepsMatchPerAccountSteps() {
        GcpInventory inventory = twoLevels().bind(Fixture.FOLDER, "roles/editor", ALICE)
                .bind(SUBFOLDER, "roles/iam.serviceAccountTokenCreator", ALICE)
                .bind(Fixture.projectName("p1"), "roles/iam.serviceAccountUser", "user:bob@example.com")
                .bindIf(Fixture.FOLDER, "roles/owner", "request.time < timestamp('2030-01-01T00:00:00Z')",
                        "user:carol@example.com")
                .build();

        assertEquals(keys(derive(inventory, false).steps()), keys(derive(inventory, true).steps()));
    }

    @Test
    void nearerScopeKeepsBetterTechnique() {
        Result result = derive(twoLevels().bind(Fixture.FOLDER, "roles/editor", ALICE)
                .bind(SUBFOLDER, "roles/iam.serviceAccountTokenCreator", ALICE).build(), true);

        Step step = result.steps().stream()
                .filter(s -> s.source().equals(ALICE) && s.target().equals(Fixture.member("app", "p2"))).findFirst().orElseThrow();
        assertEquals("CAN_IMPERSONATE", step.kind());
        assertEquals(SUBFOLDER, step.evidence().get(0).resources().get(0));
    }

    @Test
    void denyRuleBelowScopeFallsBackToAccounts() {
        GcpInventory inventory = twoLevels().bind(Fixture.FOLDER, "roles/editor", ALICE)
                .deny(Fixture.projectName("p2"), List.of("principal://goog/subject/alice@example.com"), List.of(),
                        List.of("iam.googleapis.com/serviceAccountKeys.create"), null)
                .build();

        Result result = derive(inventory, true);

        assertTrue(result.scopeSteps().stream().noneMatch(s -> s.scope().equals(Fixture.FOLDER)));
        assertEquals(keys(derive(inventory, false).steps()), keys(result.steps()));
    }

    @Test
    void randomOrganizationsMatchPerAccountSteps() {
        for (long seed = 1; seed <= 40; seed++) {
            GcpInventory inventory = randomOrganization(new Random(seed));

            Set<String> reference = keys(derive(inventory, false).steps());
            Set<String> expanded = keys(derive(inventory, true).steps());

            assertEquals(reference, expanded, "seed " + seed);
        }
    }

    @Test
    void projectionExpandsScopeStep() {
        GcpInventory inventory = twoLevels().bind(Fixture.FOLDER, "roles/editor", ALICE).build();
        SharedGraph.reset();
        SharedGraph.store().write(tx -> {
            new GcpGraphWriter(inventory, "snapshot-1").writeAll(tx);
            return null;
        });
        GcpInventory stored = GcpGraphReader.read(SharedGraph.store());
        Result result = derive(stored, true);
        GcpDerivedEdgeWriter.write(SharedGraph.store(), stored, result);

        AwsProjection projection = AwsProjection.read(SharedGraph.store());

        assertEquals(1, SharedGraph.count("MATCH (:Principal {id: $a})-[e {scopeWide: true}]->(:GcpFolder) RETURN count(e) AS c",
                "a", ALICE));
        AwsProjection.Step step = projection.stepGraph().getEdge(ALICE, Fixture.member("app", "p2"));
        assertNotNull(step, "the folder's step reaches the account two levels down");
        assertEquals(Fixture.FOLDER, step.evidence().get(0).resources().get(0));
        assertFalse(step.conditional());
        assertEquals(keys(derive(stored, false).steps()), projectedKeys(projection));
    }

    @Test
    void projectionMatchesRandomOrganizations() {
        for (long seed = 1; seed <= 3; seed++) {
            GcpInventory inventory = randomOrganization(new Random(seed));
            SharedGraph.reset();
            SharedGraph.store().write(tx -> {
                new GcpGraphWriter(inventory, "snapshot-1").writeAll(tx);
                return null;
            });
            GcpInventory stored = GcpGraphReader.read(SharedGraph.store());
            GcpDerivedEdgeWriter.write(SharedGraph.store(), stored, derive(stored, true));

            AwsProjection projection = AwsProjection.read(SharedGraph.store());

            assertEquals(keys(derive(stored, false).steps()), projectedKeys(projection), "seed " + seed);
        }
    }

    private static Set<String> projectedKeys(AwsProjection projection) {
        List<Step> steps = new ArrayList<>();
        for (AwsProjection.Step step : projection.stepGraph().edgeSet()) {
            if (step.technique() != null && step.technique().startsWith("gcp-")) {
                steps.add(new Step(step.source(), step.target(), step.kind(), step.technique(), step.conditional(), List.of()));
            }
        }
        return keys(steps);
    }

    /**
     * Returns an organization with a nested folder and four projects of three accounts, one of them disabled. Random
     * bindings on containers and accounts give credential, account-policy and workload techniques to users, groups,
     * accounts and convenience members, some with conditions, and a third of the organizations get a deny rule.
     */
    private static GcpInventory randomOrganization(Random random) {
        Fixture fixture = new Fixture().resource(SUBFOLDER, GcpNames.FOLDER_TYPE, Fixture.FOLDER, null);
        List<String> containers = new ArrayList<>(List.of(Fixture.ORG, Fixture.FOLDER, SUBFOLDER));
        List<String> accounts = new ArrayList<>();
        List<String> members = new ArrayList<>(List.of(ALICE, "user:bob@example.com", "group:ops@example.com",
                "domain:example.com"));
        Map<String, String> parents = new HashMap<>();
        for (int p = 0; p < 4; p++) {
            String id = "p" + p;
            String parent = List.of(Fixture.ORG, Fixture.FOLDER, SUBFOLDER).get(random.nextInt(3));
            fixture.project(id, String.valueOf(7000 + p), parent);
            parents.put(id, parent);
            containers.add(Fixture.projectName(id));
            for (int a = 0; a < 3; a++) {
                fixture.account("sa" + a, id, a == 2);
                accounts.add(Fixture.accountName("sa" + a, id));
                members.add(Fixture.member("sa" + a, id));
            }
            members.add("projectEditor:" + id);
        }

        List<String> roles = List.of("roles/editor", "roles/owner", "roles/iam.serviceAccountTokenCreator",
                "roles/iam.serviceAccountUser", "roles/iam.serviceAccountKeyAdmin", "roles/iam.serviceAccountAdmin",
                "roles/run.admin", "roles/cloudfunctions.developer", "roles/viewer");
        List<String> conditions = List.of("request.time < timestamp('2030-01-01T00:00:00Z')",
                "request.time < timestamp('2020-01-01T00:00:00Z')",
                "resource.name.startsWith('projects/p1/serviceAccounts/')");
        int bindings = 6 + random.nextInt(10);
        for (int i = 0; i < bindings; i++) {
            boolean onAccount = random.nextInt(4) == 0;
            String resource = onAccount ? accounts.get(random.nextInt(accounts.size()))
                    : containers.get(random.nextInt(containers.size()));
            String role = roles.get(random.nextInt(roles.size()));
            String member = members.get(random.nextInt(members.size()));
            if (random.nextInt(5) == 0) {
                fixture.bindIf(resource, role, conditions.get(random.nextInt(conditions.size())), member);
            } else {
                fixture.bind(resource, role, member);
            }
        }

        if (random.nextInt(3) == 0) {
            fixture.deny(containers.get(random.nextInt(containers.size())), List.of("principalSet://goog/public:all"),
                    List.of(), List.of("iam.googleapis.com/serviceAccounts.getAccessToken"), null);
        }
        return fixture.build();
    }
}
