package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.analysis.PathSearch.Paths;
import dev.nhigraph.policy.AccessSummarizer;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.testsupport.SharedGraph;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Admin reachability on the named fixture admin-reachability.json, account 333333333333:
 *
 * <pre>
 * user/start    -> role/hop-1 -> role/admin-a          role/hop-1 <-> role/hop-3 -> role/admin-b
 * user/start    -> role/hop-2 -> role/admin-a, role/admin-b
 * user/start    -> role/capped-admin (AdministratorAccess under an s3-only boundary: not an administrator)
 * user/mfa-user -> role/admin-b only with MFA (conditional); -> role/hop-4 -> role/hop-5 -> role/admin-a
 * user/mfa-only -> role/admin-b only with MFA
 * role/admin-a  -> role/admin-b;  user/group-admin gets AdministratorAccess from group/admins;  user/isolated has nothing
 * </pre>
 */
class AdminReachabilityTest {

    private static final String ACCOUNT = "arn:aws:iam::333333333333:";
    private static final String START = ACCOUNT + "user/start";
    private static final String MFA_USER = ACCOUNT + "user/mfa-user";
    private static final String MFA_ONLY = ACCOUNT + "user/mfa-only";
    private static final String GROUP_ADMIN = ACCOUNT + "user/group-admin";
    private static final String ISOLATED = ACCOUNT + "user/isolated";
    private static final String ADMINS_GROUP = ACCOUNT + "group/admins";
    private static final String ADMIN_A = ACCOUNT + "role/admin-a";
    private static final String ADMIN_B = ACCOUNT + "role/admin-b";
    private static final String CAPPED = ACCOUNT + "role/capped-admin";
    private static final String HOP_1 = ACCOUNT + "role/hop-1";
    private static final String HOP_2 = ACCOUNT + "role/hop-2";
    private static final String HOP_3 = ACCOUNT + "role/hop-3";
    private static final String HOP_4 = ACCOUNT + "role/hop-4";
    private static final String HOP_5 = ACCOUNT + "role/hop-5";

    private static AdminReachability reachability;

    @BeforeAll
    static void load() {
        SharedGraph.resetAndLoad(Path.of("src/test/resources/fixtures/admin-reachability.json"));
        AwsProjection projection = SharedGraph.graphService().projection();
        reachability = AdminReachability.compute(projection, new AccessSummarizer(ActionCatalog.loadDefault()),
                new AwsAuthorization(projection));
    }

    @Test
    void admins_includeGroupMemberAndExcludeBoundedRole() {
        // The group counts too: a principal allowed iam:AddUserToGroup on it gains administrator access.
        assertEquals(Set.of(ADMIN_A, ADMIN_B, GROUP_ADMIN, ADMINS_GROUP), reachability.admins());
    }

    @Test
    void witness_ofStart_isShortestUnconditional() {
        PathSearch.Path witness = reachability.witness(START);

        assertEquals(2, witness.length());
        assertFalse(witness.conditional());
        assertEquals(START, witness.principals().get(0));
        // Of the three shortest paths, the witness is the first by the principal each step goes to, so that reports
        // of the same graph name the same administrator.
        assertEquals(List.of(START, HOP_1, ADMIN_A), witness.principals());
    }

    @Test
    void witness_hopsCarryTrustEvidence() {
        PathSearch.Path witness = reachability.witness(START);

        assertEquals(witness.length(), witness.steps().size());
        for (PathSearch.Hop hop : witness.steps()) {
            assertTrue(hop.evidence().stream().anyMatch(e -> "trust".equals(e.policyKind())), hop.toString());
        }
    }

    @Test
    void witness_prefersUnconditionalOverShorter() {
        PathSearch.Path witness = reachability.witness(MFA_USER);

        assertEquals(1, reachability.distanceToAdmin(MFA_USER));
        assertEquals(List.of(MFA_USER, HOP_4, HOP_5, ADMIN_A), witness.principals());
        assertFalse(witness.conditional());
    }

    @Test
    void witness_conditionalWhenNoOtherPath() {
        PathSearch.Path witness = reachability.witness(MFA_ONLY);

        assertEquals(List.of(MFA_ONLY, ADMIN_B), witness.principals());
        assertTrue(witness.conditional());
        assertTrue(witness.steps().get(0).conditional());
        // The evidence names the condition that could not be decided, not only that there is one.
        assertTrue(witness.steps().get(0).evidence().stream()
                .anyMatch(e -> e.note() != null && e.note().contains("aws:MultiFactorAuthPresent")),
                witness.steps().get(0).evidence().toString());
    }

    @Test
    void witness_ofAdmin_isItself() {
        PathSearch.Path witness = reachability.witness(GROUP_ADMIN);

        assertEquals(0, witness.length());
        assertEquals(List.of(GROUP_ADMIN), witness.principals());
        assertEquals(GROUP_ADMIN, witness.to());
    }

    @Test
    void isolatedAndCapped_reachNoAdmin() {
        assertFalse(reachability.reachesAdmin(ISOLATED));
        assertNull(reachability.witness(ISOLATED));
        assertEquals(-1, reachability.distanceToAdmin(ISOLATED));
        assertFalse(reachability.reachesAdmin(CAPPED));
    }

    @Test
    void principalsReachingAdmin_listsEveryOne() {
        List<String> reaching = reachability.principalsReachingAdmin();

        assertEquals(Set.of(START, MFA_USER, MFA_ONLY, GROUP_ADMIN, ADMINS_GROUP, ADMIN_A, ADMIN_B, HOP_1, HOP_2, HOP_3, HOP_4, HOP_5),
                Set.copyOf(reaching));
    }

    @Test
    void pathsToAdmin_fromStart_inOrderOfLength() {
        Paths paths = reachability.pathsToAdmin(START, AdminReachability.DEFAULT_MAX_DEPTH, AdminReachability.DEFAULT_MAX_PATHS);

        assertEquals(List.of(
                List.of(START, HOP_1, ADMIN_A),
                List.of(START, HOP_2, ADMIN_A),
                List.of(START, HOP_2, ADMIN_B),
                List.of(START, HOP_1, HOP_3, ADMIN_B)), paths.paths().stream().map(PathSearch.Path::principals).toList());
        assertFalse(paths.bounds().truncated());
    }

    @Test
    void pathsToAdmin_stopAtFirstAdmin() {
        Paths paths = reachability.pathsToAdmin(START, AdminReachability.DEFAULT_MAX_DEPTH, AdminReachability.DEFAULT_MAX_PATHS);

        // admin-a can assume admin-b, but a path through one administrator to another adds nothing.
        assertTrue(paths.paths().stream().noneMatch(p -> p.principals().subList(0, p.length()).contains(ADMIN_A)));
    }

    @Test
    void pathsToAdmin_countBoundTruncates() {
        Paths paths = reachability.pathsToAdmin(START, AdminReachability.DEFAULT_MAX_DEPTH, 2);

        assertEquals(2, paths.paths().size());
        assertTrue(paths.bounds().truncated());
        assertTrue(paths.bounds().reason().contains("max paths 2"), paths.bounds().reason());
    }

    @Test
    void pathsToAdmin_depthBelowShortestTruncates() {
        Paths paths = reachability.pathsToAdmin(START, 1, AdminReachability.DEFAULT_MAX_PATHS);

        assertEquals(List.of(), paths.paths());
        assertTrue(paths.bounds().truncated());
        assertTrue(paths.bounds().reason().contains("2 steps away"), paths.bounds().reason());
    }

    @Test
    void pathsToAdmin_depthBoundLeavesLongerOut() {
        Paths paths = reachability.pathsToAdmin(START, 2, AdminReachability.DEFAULT_MAX_PATHS);

        assertEquals(3, paths.paths().size());
        assertFalse(paths.bounds().truncated());
    }

    @Test
    void pathsToAdmin_ofAdmin_isOwnPath() {
        Paths paths = reachability.pathsToAdmin(ADMIN_B, AdminReachability.DEFAULT_MAX_DEPTH, AdminReachability.DEFAULT_MAX_PATHS);

        assertEquals(List.of(List.of(ADMIN_B)), paths.paths().stream().map(PathSearch.Path::principals).toList());
    }

    @Test
    void pathsToAdmin_ofIsolated_isEmpty() {
        Paths paths = reachability.pathsToAdmin(ISOLATED, AdminReachability.DEFAULT_MAX_DEPTH, AdminReachability.DEFAULT_MAX_PATHS);

        assertEquals(List.of(), paths.paths());
        assertFalse(paths.bounds().truncated());
    }

    @Test
    void pathsToAdmin_markConditionalPaths() {
        Paths paths = reachability.pathsToAdmin(MFA_USER, AdminReachability.DEFAULT_MAX_DEPTH, AdminReachability.DEFAULT_MAX_PATHS);

        assertEquals(List.of(List.of(MFA_USER, ADMIN_B), List.of(MFA_USER, HOP_4, HOP_5, ADMIN_A)),
                paths.paths().stream().map(PathSearch.Path::principals).toList());
        assertTrue(paths.paths().get(0).conditional());
        assertFalse(paths.paths().get(1).conditional());
    }

    @Test
    void pathsToAdmin_rejectsBadBounds() {
        assertThrows(IllegalArgumentException.class,
                () -> reachability.pathsToAdmin(START, AdminReachability.MAX_DEPTH_LIMIT + 1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> reachability.pathsToAdmin(START, 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> reachability.pathsToAdmin(START, 1, AdminReachability.MAX_PATHS_LIMIT + 1));
    }

    @Test
    void pathsToAdmin_unknownPrincipalIsNotFound() {
        assertThrows(NoSuchElementException.class,
                () -> reachability.pathsToAdmin(ACCOUNT + "role/does-not-exist", 2, 1));
    }
}
