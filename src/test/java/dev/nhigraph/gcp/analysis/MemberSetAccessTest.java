package dev.nhigraph.gcp.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.analysis.AwsProjection;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpRoleCatalog;
import dev.nhigraph.gcp.analysis.GcpAnalysis.Access;
import dev.nhigraph.gcp.analysis.GcpAnalysis.Result;
import dev.nhigraph.gcp.graph.GcpDerivedEdgeWriter;
import dev.nhigraph.gcp.graph.GcpGraphReader;
import dev.nhigraph.gcp.graph.GcpGraphWriter;
import dev.nhigraph.testsupport.SharedGraph;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Checks that access through a convenience member such as {@code projectEditor:P} is stored once for the member and
 * gives each holder the same access as an entry per holder would: on a named project, on seeded random ones against
 * the per-holder derivation, and through Neo4j and {@link AwsProjection}.
 */
class MemberSetAccessTest {

    private static final Instant SNAPSHOT = Instant.parse("2026-06-01T12:00:00Z");
    private static final String BUCKET = "//storage.googleapis.com/reports";
    private static final String ALICE = "user:alice@example.com";
    private static final String BOB = "user:bob@example.com";
    private static final String CAROL = "user:carol@example.com";

    /** Alice edits project p1 and Bob the folder above it. Carol edits p1 and is named on the bucket too. */
    private static GcpInventory editors() {
        return new Fixture().project("p1", "1111", Fixture.FOLDER)
                .resource(BUCKET, "storage.googleapis.com/Bucket", Fixture.projectName("p1"), "p1")
                .bind(Fixture.projectName("p1"), "roles/editor", ALICE, CAROL)
                .bind(Fixture.FOLDER, "roles/editor", BOB)
                .bind(BUCKET, "roles/storage.legacyBucketOwner", "projectEditor:p1")
                .bind(BUCKET, "roles/storage.objectViewer", CAROL)
                .build();
    }

    private static Result derive(GcpInventory inventory, boolean compact) {
        return GcpAnalysis.derive(inventory, GcpRoleCatalog.loadDefault(), SNAPSHOT, AttachedAccounts.none(), compact);
    }

    /** Returns each holder's access as the projection gives it: its own entries, then its members' on other resources. */
    private static Set<String> perHolder(Result result) {
        Set<String> keys = new TreeSet<>();
        Set<String> own = new HashSet<>();
        for (Access access : result.access()) {
            if (!result.memberSets().containsKey(access.principal())) {
                keys.add(key(access.principal(), access));
                own.add(access.principal() + " " + access.resource());
            }
        }
        for (Access access : result.access()) {
            for (String holder : result.memberSets().getOrDefault(access.principal(), Map.of()).keySet()) {
                if (!own.contains(holder + " " + access.resource())) {
                    keys.add(key(holder, access));
                }
            }
        }
        return keys;
    }

    private static String key(String principal, Access access) {
        return principal + " " + access.resource() + " " + access.accessLevels() + " " + access.permissionCount()
                + (access.conditional() ? " conditional" : "");
    }

    @Test
    void memberGetsOneEntryForHolders() {
        Result result = derive(editors(), true);

        List<String> principals = result.access().stream().map(Access::principal).sorted().toList();
        assertEquals(List.of("projectEditor:p1", CAROL), principals);
        assertEquals(Set.of(ALICE, BOB, CAROL), result.memberSets().get("projectEditor:p1").keySet());
        Access carol = result.access().stream().filter(a -> a.principal().equals(CAROL)).findFirst().orElseThrow();
        assertTrue(carol.evidence().stream().anyMatch(e -> e.principals().contains("projectEditor:p1")),
                "Carol's own entry includes the grant through the member");
    }

    @Test
    void namedProjectMatchesPerHolderAccess() {
        assertEquals(perHolder(derive(editors(), false)), perHolder(derive(editors(), true)));
    }

    @Test
    void randomProjectsMatchPerHolderAccess() {
        for (long seed = 1; seed <= 40; seed++) {
            GcpInventory inventory = randomProjects(new Random(seed));

            assertEquals(perHolder(derive(inventory, false)), perHolder(derive(inventory, true)), "seed " + seed);
        }
    }

    @Test
    void projectionGivesHoldersMemberAccess() {
        SharedGraph.reset();
        SharedGraph.store().write(tx -> {
            new GcpGraphWriter(editors(), "snapshot-1").writeAll(tx);
            return null;
        });
        GcpInventory stored = GcpGraphReader.read(SharedGraph.store());
        GcpDerivedEdgeWriter.write(SharedGraph.store(), stored, derive(stored, true));

        AwsProjection projection = AwsProjection.read(SharedGraph.store());

        List<AwsProjection.ResourceAccess> alice = projection.resourceAccess(ALICE);
        assertEquals(1, alice.size());
        assertEquals(BUCKET, alice.get(0).resource());
        assertEquals(ALICE, alice.get(0).principal());
        assertEquals(1, projection.resourceAccess(CAROL).size(), "Carol's own entry replaces the member's");
        assertTrue(projection.resourceAccess("projectEditor:p1").isEmpty());
        Set<String> projected = new TreeSet<>();
        for (String principal : List.of(ALICE, BOB, CAROL)) {
            for (AwsProjection.ResourceAccess access : projection.resourceAccess(principal)) {
                projected.add(principal + " " + access.resource() + " " + access.accessLevels() + " " + access.actionCount()
                        + (access.conditional() ? " conditional" : ""));
            }
        }
        assertEquals(perHolder(derive(stored, false)), projected);
    }

    /**
     * Returns three projects under the folder, each with two buckets whose bindings name convenience members of
     * random projects, users and groups, with basic roles granted on projects, the folder and the organization, some
     * with conditions, and sometimes a deny rule.
     */
    private static GcpInventory randomProjects(Random random) {
        Fixture fixture = new Fixture();
        List<String> projects = List.of("p0", "p1", "p2");
        List<String> users = List.of(ALICE, BOB, CAROL, "group:ops@example.com", "domain:example.com");
        List<String> buckets = new ArrayList<>();
        for (int p = 0; p < projects.size(); p++) {
            fixture.project(projects.get(p), String.valueOf(8000 + p), Fixture.FOLDER);
            for (int b = 0; b < 2; b++) {
                String bucket = "//storage.googleapis.com/b" + p + b;
                fixture.resource(bucket, "storage.googleapis.com/Bucket", Fixture.projectName(projects.get(p)), projects.get(p));
                buckets.add(bucket);
            }
        }

        List<String> basicRoles = List.of("roles/owner", "roles/editor", "roles/viewer");
        List<String> scopes = List.of(Fixture.ORG, Fixture.FOLDER, Fixture.projectName("p0"), Fixture.projectName("p1"),
                Fixture.projectName("p2"));
        for (int i = 0; i < 6; i++) {
            fixture.bind(scopes.get(random.nextInt(scopes.size())), basicRoles.get(random.nextInt(3)),
                    users.get(random.nextInt(users.size())));
        }

        List<String> bucketRoles = List.of("roles/storage.legacyBucketOwner", "roles/storage.legacyBucketReader",
                "roles/storage.objectViewer", "roles/storage.admin");
        List<String> prefixes = List.of("projectOwner:", "projectEditor:", "projectViewer:");
        for (int i = 0; i < 10; i++) {
            String member = random.nextInt(3) == 0 ? users.get(random.nextInt(users.size()))
                    : prefixes.get(random.nextInt(3)) + projects.get(random.nextInt(projects.size()));
            String bucket = buckets.get(random.nextInt(buckets.size()));
            String role = bucketRoles.get(random.nextInt(bucketRoles.size()));
            if (random.nextInt(5) == 0) {
                fixture.bindIf(bucket, role, "request.time < timestamp('2030-01-01T00:00:00Z') && resource.name.endsWith('0')", member);
            } else {
                fixture.bind(bucket, role, member);
            }
        }

        if (random.nextInt(3) == 0) {
            fixture.deny(Fixture.projectName(projects.get(random.nextInt(3))), List.of("principalSet://goog/public:all"),
                    List.of(), List.of("storage.googleapis.com/objects.get"), null);
        }
        return fixture.build();
    }
}
