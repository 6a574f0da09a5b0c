package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.analysis.AwsProjection.Step;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Escalation steps to many targets at once are stored as one CAN_ESCALATE edge to an EscalationTargetSet, and
 * expanded again into one step per member for path search.
 *
 * <p>The account has 25 roles that Lambda can assume, one of them admin, and a user and a Lambda role allowed
 * lambda:UpdateFunctionCode on every function: lambda-003 reaches every role that an existing function may run as.
 */
class EscalationTargetSetTest {

    private static final String ACCOUNT = "arn:aws:iam::444444444444:";
    private static final String UPDATER = ACCOUNT + "user/function-updater";
    private static final String LAMBDA_UPDATER = ACCOUNT + "role/lambda-0";
    private static final String ADMIN_ROLE = ACCOUNT + "role/lambda-24";
    private static final int LAMBDA_ROLES = 25;
    private static final String SET = "escalation-targets:lambda-003:444444444444";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void load() throws IOException {
        Path file = dir.resolve("lambda-roles.json");
        JSON.writeValue(file.toFile(), account());
        SharedGraph.resetAndLoad(file);
    }

    @Test
    void manyTargets_storedAsOneSet() {
        assertEquals(1, SharedGraph.count("MATCH (s:EscalationTargetSet {id: $id}) RETURN count(s) AS c", "id", SET));
        assertEquals(LAMBDA_ROLES, SharedGraph.count(
                "MATCH (:EscalationTargetSet {id: $id})-[:INCLUDES]->(r:AwsRole) RETURN count(r) AS c", "id", SET));
        assertEquals(1, SharedGraph.count("""
                MATCH (:AwsUser {id: $user})-[e:CAN_ESCALATE {technique: 'lambda-003'}]->(:EscalationTargetSet {id: $id})
                WHERE e.conditional RETURN count(e) AS c""", "user", UPDATER, "id", SET));
        assertEquals(0, SharedGraph.count(
                "MATCH (:AwsUser {id: $user})-[e:CAN_ESCALATE]->(:AwsRole) RETURN count(e) AS c", "user", UPDATER));
    }

    @Test
    void loadingAgain_replacesTheSet() {
        new LoadService(SharedGraph.store()).load(List.of(dir.resolve("lambda-roles.json")), stage -> { });

        assertEquals(1, SharedGraph.count("MATCH (s:EscalationTargetSet) RETURN count(s) AS c"));
        assertEquals(LAMBDA_ROLES, SharedGraph.count("MATCH (:EscalationTargetSet)-[i:INCLUDES]->() RETURN count(i) AS c"));
    }

    @Test
    void projection_expandsTheSetIntoSteps() {
        AwsProjection projection = SharedGraph.graphService().projection();

        List<Step> fromUser = new ArrayList<>(projection.stepGraph().outgoingEdgesOf(UPDATER));
        assertEquals(LAMBDA_ROLES, fromUser.size());
        assertTrue(fromUser.stream().allMatch(step -> "lambda-003".equals(step.technique())));
        assertTrue(fromUser.stream().allMatch(Step::conditional));
        assertFalse(fromUser.get(0).evidence().isEmpty());
        // A member of the set that can use the technique gets steps to the others, not to itself.
        List<Step> fromMember = new ArrayList<>(projection.stepGraph().outgoingEdgesOf(LAMBDA_UPDATER));
        assertEquals(LAMBDA_ROLES - 1, fromMember.size());
        assertTrue(fromMember.stream().noneMatch(step -> step.target().equals(LAMBDA_UPDATER)));
    }

    @Test
    void paths_throughTheSet_reachAdminConditionally() {
        PathAnswers.Answer answer = SharedGraph.graphService().pathAnswers().paths(UPDATER, PathAnswers.ADMIN, 4, 10);

        assertEquals("CONDITIONAL", answer.reachable());
        PathSearch.Hop step = answer.paths().get(0).steps().get(0);
        assertEquals(ADMIN_ROLE, step.to());
        assertEquals("lambda-003", step.technique());
        assertTrue(step.evidence().stream().anyMatch(e -> String.valueOf(e.policy()).endsWith("policy/update-functions")),
                step.evidence().toString());
    }

    private static Map<String, Object> account() {
        List<Object> roles = new ArrayList<>();
        for (int i = 0; i < LAMBDA_ROLES; i++) {
            String name = "lambda-" + i;
            List<Object> attached = new ArrayList<>();
            if (i == 0) {
                attached.add(Map.of("PolicyName", "update-functions", "PolicyArn", ACCOUNT + "policy/update-functions"));
            }
            if (i == LAMBDA_ROLES - 1) {
                attached.add(Map.of("PolicyName", "AdministratorAccess", "PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"));
            }
            roles.add(Map.of("Path", "/", "RoleName", name, "RoleId", "AROALAMBDAROLE" + String.format("%06d", i),
                    "Arn", ACCOUNT + "role/" + name, "CreateDate", "2024-01-01T00:00:00Z",
                    "AssumeRolePolicyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                            "Effect", "Allow", "Principal", Map.of("Service", "lambda.amazonaws.com"), "Action", "sts:AssumeRole"))),
                    "InstanceProfileList", List.of(), "RolePolicyList", List.of(), "AttachedManagedPolicies", attached,
                    "Tags", List.of()));
        }
        Map<String, Object> user = Map.of("Path", "/", "UserName", "function-updater", "UserId", "AIDAFUNCTIONUPDATER1",
                "Arn", UPDATER, "CreateDate", "2024-01-01T00:00:00Z", "GroupList", List.of(), "Tags", List.of(),
                "AttachedManagedPolicies", List.of(Map.of("PolicyName", "update-functions", "PolicyArn", ACCOUNT + "policy/update-functions")),
                "UserPolicyList", List.of());
        List<Object> policies = List.of(
                managedPolicy("update-functions", ACCOUNT + "policy/update-functions", "lambda:UpdateFunctionCode"),
                managedPolicy("AdministratorAccess", "arn:aws:iam::aws:policy/AdministratorAccess", "*"));
        return Map.of("UserDetailList", List.of(user), "GroupDetailList", List.of(), "RoleDetailList", roles, "Policies", policies);
    }

    private static Map<String, Object> managedPolicy(String name, String arn, String action) {
        Map<String, Object> document = Map.of("Version", "2012-10-17",
                "Statement", List.of(Map.of("Effect", "Allow", "Action", action, "Resource", "*")));
        return Map.of("PolicyName", name, "PolicyId", "ANPA" + Integer.toHexString(arn.hashCode()).toUpperCase(), "Arn", arn,
                "Path", "/", "DefaultVersionId", "v1", "AttachmentCount", 1, "IsAttachable", true,
                "PolicyVersionList", List.of(Map.of("Document", document, "VersionId", "v1", "IsDefaultVersion", true,
                        "CreateDate", "2024-01-01T00:00:00Z")));
    }
}
