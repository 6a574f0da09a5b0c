package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.analysis.PathAnswers.Answer;
import dev.nhigraph.analysis.PathAnswers.Reaching;
import dev.nhigraph.analysis.PathSearch.Hop;
import dev.nhigraph.testsupport.SharedGraph;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Paths over CAN_ASSUME and CAN_ESCALATE on the iam-vulnerable sample: to administrators, to a chosen principal,
 * and the reverse question, with the evidence and bounds of each answer.
 */
class PathAnswersTest {

    private static final String ACCOUNT = "arn:aws:iam::200611803367:";
    private static final String STARTING_ROLE = ACCOUNT + "role/privesc-AssumeRole-starting-role";
    private static final String INTERMEDIATE_ROLE = ACCOUNT + "role/privesc-AssumeRole-intermediate-role";
    private static final String ENDING_ROLE = ACCOUNT + "role/privesc-AssumeRole-ending-role";
    private static final String LAMBDA_USER = ACCOUNT + "user/privesc15-PassExistingRoleToNewLambdaThenInvoke-user";
    private static final String EDIT_LAMBDA_USER = ACCOUNT + "user/privesc17-EditExistingLambdaFunctionWithRole-user";
    private static final String HIGH_PRIV_ROLE = ACCOUNT + "role/privesc-high-priv-service-role";
    private static final String POLICY_VERSION_USER = ACCOUNT + "user/privesc1-CreateNewPolicyVersion-user";

    private static PathAnswers answers;

    @BeforeAll
    static void load() {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        answers = SharedGraph.graphService().pathAnswers();
    }

    @Test
    void assumeRoleChain_reachesAdminInTwoSteps() {
        Answer answer = answers.paths(STARTING_ROLE, PathAnswers.ADMIN, PathSearch.DEFAULT_MAX_DEPTH, PathSearch.DEFAULT_MAX_PATHS);

        assertEquals("YES", answer.reachable());
        assertEquals(2, answer.distance());
        assertEquals(List.of(STARTING_ROLE, INTERMEDIATE_ROLE, ENDING_ROLE), answer.paths().get(0).principals());
        for (Hop hop : answer.paths().get(0).steps()) {
            assertEquals("CAN_ASSUME", hop.kind());
            assertTrue(hop.evidence().stream().anyMatch(e -> "trust".equals(e.policyKind())), hop.toString());
        }
        assertNull(answer.conditions(), "an unconditional answer lists no conditions");
        assertFalse(answer.bounded().truncated());
    }

    @Test
    void passRoleToLambda_oneEscalationStep() {
        Answer answer = answers.paths(LAMBDA_USER, PathAnswers.ADMIN, PathSearch.DEFAULT_MAX_DEPTH, PathSearch.DEFAULT_MAX_PATHS);

        assertEquals("YES", answer.reachable());
        Hop step = answer.paths().get(0).steps().get(0);
        assertEquals("CAN_ESCALATE", step.kind());
        assertEquals("lambda-001", step.technique());
        assertEquals(HIGH_PRIV_ROLE, step.to());
        assertTrue(step.evidence().stream().anyMatch(e -> e.policy() != null
                && e.policy().endsWith("policy/privesc15-PassExistingRoleToNewLambdaThenInvoke")), step.evidence().toString());
    }

    @Test
    void selfEscalation_isAdminInZeroSteps() {
        Answer answer = answers.paths(POLICY_VERSION_USER, PathAnswers.ADMIN, PathSearch.DEFAULT_MAX_DEPTH, PathSearch.DEFAULT_MAX_PATHS);

        assertEquals("YES", answer.reachable());
        assertEquals(0, answer.distance());
        assertEquals(0, answer.paths().get(0).length());
    }

    @Test
    void awsAdministratorAtTheEnd_namesTheStatementsThatMakeIt() {
        Answer answer = answers.paths(LAMBDA_USER, PathAnswers.ADMIN, PathSearch.DEFAULT_MAX_DEPTH, PathSearch.DEFAULT_MAX_PATHS);

        PathAnswers.Administrator end = answer.administrators().stream()
                .filter(admin -> admin.principal().equals(HIGH_PRIV_ROLE)).findFirst().orElseThrow();
        assertEquals(List.of("account 200611803367"), end.scopes());
        assertEquals(List.of(EscalationAnalysis.OWN_POLICIES), end.techniques());
        assertTrue(end.evidence().stream().anyMatch(e -> e.policy() != null && "Allow".equals(e.effect())
                && e.actions().contains("*")), end.evidence().toString());
    }

    @Test
    void selfEscalatingAdministrator_namesItsTechniqueAndStatements() {
        Answer answer = answers.paths(POLICY_VERSION_USER, PathAnswers.ADMIN, PathSearch.DEFAULT_MAX_DEPTH, PathSearch.DEFAULT_MAX_PATHS);

        PathAnswers.Administrator end = answer.administrators().get(0);
        assertEquals(POLICY_VERSION_USER, end.principal());
        assertFalse(end.techniques().isEmpty());
        assertFalse(end.techniques().contains(EscalationAnalysis.OWN_POLICIES), end.techniques().toString());
        assertTrue(end.evidence().stream().anyMatch(e -> e.policy() != null
                && e.policy().endsWith("policy/privesc1-CreateNewPolicyVersion")), end.evidence().toString());
    }

    @Test
    void existingFunctionNeeded_isConditionalAndSaysWhy() {
        Answer answer = answers.paths(EDIT_LAMBDA_USER, PathAnswers.ADMIN, PathSearch.DEFAULT_MAX_DEPTH, PathSearch.DEFAULT_MAX_PATHS);

        assertEquals("CONDITIONAL", answer.reachable());
        assertTrue(answer.paths().stream().allMatch(PathSearch.Path::conditional));
        assertTrue(answer.conditions().stream().anyMatch(c -> String.valueOf(c.note()).contains("existing lambda-function")),
                answer.conditions().toString());
        assertTrue(answer.conditions().stream().noneMatch(c -> String.valueOf(c.note()).startsWith("technique ")),
                answer.conditions().toString());
    }

    @Test
    void toChosenPrincipal_followsTheChain() {
        Answer answer = answers.paths(STARTING_ROLE, ENDING_ROLE, PathSearch.DEFAULT_MAX_DEPTH, PathSearch.DEFAULT_MAX_PATHS);

        assertEquals("YES", answer.reachable());
        assertEquals(ENDING_ROLE, answer.to());
        assertEquals(List.of(STARTING_ROLE, INTERMEDIATE_ROLE, ENDING_ROLE), answer.paths().get(0).principals());
    }

    @Test
    void adminToPrincipalOfItsAccount_oneStep() {
        String obama = "arn:aws:iam::012345678901:user/obama";
        String myRole = "arn:aws:iam::012345678901:role/MyRole";

        Answer answer = answers.paths(obama, myRole, PathSearch.DEFAULT_MAX_DEPTH, PathSearch.DEFAULT_MAX_PATHS);

        assertEquals("YES", answer.reachable());
        assertEquals(1, answer.distance());
        Hop step = answer.paths().get(0).steps().get(0);
        assertEquals(PathAnswers.ADMINISTERS, step.kind());
        assertTrue(step.evidence().stream().anyMatch(e -> String.valueOf(e.note()).contains("iam:UpdateAssumeRolePolicy")),
                step.evidence().toString());
    }

    @Test
    void adminOfOtherAccount_doesNotAdministerIt() {
        String obama = "arn:aws:iam::012345678901:user/obama";

        Answer answer = answers.paths(obama, STARTING_ROLE, PathSearch.DEFAULT_MAX_DEPTH, PathSearch.DEFAULT_MAX_PATHS);

        assertEquals("NO", answer.reachable());
    }

    @Test
    void depthBelowDistance_statedInBounds() {
        Answer answer = answers.paths(STARTING_ROLE, ENDING_ROLE, 1, PathSearch.DEFAULT_MAX_PATHS);

        assertEquals("YES", answer.reachable(), "reachability is decided without the depth bound");
        assertEquals(List.of(), answer.paths());
        assertTrue(answer.bounded().truncated());
        assertTrue(answer.bounded().reason().contains("beyond max depth 1"), answer.bounded().reason());
    }

    @Test
    void noPath_isNo() {
        // The start user of the AssumeRole scenario is trusted by no role: the starting role trusts an SSO session.
        String startUser = ACCOUNT + "user/privesc-AssumeRole-start-user";

        Answer answer = answers.paths(startUser, STARTING_ROLE, PathSearch.DEFAULT_MAX_DEPTH, PathSearch.DEFAULT_MAX_PATHS);

        assertEquals("NO", answer.reachable());
        assertEquals(List.of(), answer.paths());
        assertNull(answer.distance());
    }

    @Test
    void reverse_listsWhoReachesTheRoleNearestFirst() {
        Reaching reaching = answers.reaching(ENDING_ROLE, PathSearch.DEFAULT_MAX_DEPTH, PathAnswers.DEFAULT_SOURCES);

        List<String> principals = reaching.sources().stream().map(PathAnswers.Source::principal).toList();
        assertTrue(principals.contains(INTERMEDIATE_ROLE), principals.toString());
        assertTrue(principals.indexOf(STARTING_ROLE) > principals.indexOf(INTERMEDIATE_ROLE), principals.toString());
        assertFalse(principals.contains(ENDING_ROLE), "the target is not its own source");
        PathAnswers.Source starting = reaching.sources().get(principals.indexOf(STARTING_ROLE));
        assertEquals(2, starting.witness().length());
    }

    @Test
    void reverse_admin_limitCutsAndSaysSo() {
        Reaching reaching = answers.reaching(PathAnswers.ADMIN, PathSearch.DEFAULT_MAX_DEPTH, 3);

        assertEquals(3, reaching.sources().size());
        assertTrue(reaching.total() > 3);
        assertTrue(reaching.bounded().truncated());
        assertEquals(0, reaching.sources().get(0).distance(), "administrators themselves come first");
    }

    @Test
    void unknownTarget_isNamed() {
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> answers.paths(STARTING_ROLE,
                "arn:aws:s3:::no-such-bucket", PathSearch.DEFAULT_MAX_DEPTH, PathSearch.DEFAULT_MAX_PATHS));

        assertTrue(e.getMessage().contains("arn:aws:s3:::no-such-bucket"), e.getMessage());
    }

    @Test
    void boundsOutOfRange_rejected() {
        IllegalArgumentException depth = assertThrows(IllegalArgumentException.class,
                () -> answers.paths(STARTING_ROLE, PathAnswers.ADMIN, PathSearch.MAX_DEPTH_LIMIT + 1, 1));
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> answers.paths(STARTING_ROLE, PathAnswers.ADMIN, 2, PathSearch.MAX_PATHS_LIMIT + 1));

        assertTrue(depth.getMessage().contains("0.." + PathSearch.MAX_DEPTH_LIMIT), depth.getMessage());
        assertTrue(count.getMessage().contains("1.." + PathSearch.MAX_PATHS_LIMIT), count.getMessage());
    }
}
