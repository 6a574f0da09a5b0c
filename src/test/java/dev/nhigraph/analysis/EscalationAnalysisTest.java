package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.analysis.EscalationAnalysis.AdminFinding;
import dev.nhigraph.analysis.EscalationAnalysis.EscalationEdge;
import dev.nhigraph.escalation.TechniqueCatalog;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.testsupport.SharedGraph;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Escalation steps on the real iam-vulnerable export: each lab user's technique is found with the right target
 * and certainty, and the lab's false-positive users get nothing.
 */
class EscalationAnalysisTest {

    private static final String LAB = "arn:aws:iam::200611803367:";
    private static final String SERVICE_ROLE = LAB + "role/privesc-high-priv-service-role";

    private static EscalationAnalysis.Result result;
    private static Map<String, AdminFinding> admins;

    @BeforeAll
    static void derive() {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        AwsProjection projection = AwsProjection.read(SharedGraph.store());
        List<AwsProjection.AssumeEdge> assume = AssumeRoleAnalysis.derive(projection);
        result = EscalationAnalysis.derive(projection, assume, TechniqueCatalog.loadDefault(), ActionCatalog.loadDefault());
        admins = result.admins().stream().collect(Collectors.toMap(AdminFinding::principal, Function.identity()));
    }

    @Test
    void createPolicyVersion_makesAdmin() {
        AdminFinding finding = admins.get(LAB + "user/privesc1-CreateNewPolicyVersion-user");
        assertNotNull(finding);
        assertEquals(List.of("iam-001"), finding.techniques());
        assertFalse(finding.conditional());
    }

    @Test
    void putUserPolicy_makesAdmin() {
        AdminFinding finding = admins.get(LAB + "user/privesc10-PutUserPolicy-user");
        assertNotNull(finding);
        assertEquals(List.of("iam-007"), finding.techniques());
    }

    @Test
    void setDefaultPolicyVersion_isConditionalAdmin() {
        AdminFinding finding = admins.get(LAB + "user/privesc2-SetExistingDefaultPolicyVersion-user");
        assertNotNull(finding);
        assertTrue(finding.conditional(), "the export holds only the default version");
    }

    @Test
    void setDefaultPolicyVersion_singleVersion_givesNothing() {
        // The export lists one version of the lab's policy, so there is no other version to make the default.
        Set<String> singleVersion = EscalationAnalysis.readSingleVersionPolicies(SharedGraph.store());
        assertTrue(singleVersion.contains(LAB + "policy/privesc2-SetExistingDefaultPolicyVersion"));

        AwsProjection projection = AwsProjection.read(SharedGraph.store());
        EscalationAnalysis.Result known = EscalationAnalysis.derive(projection, AssumeRoleAnalysis.derive(projection),
                TechniqueCatalog.loadDefault(), ActionCatalog.loadDefault(), singleVersion);

        String caller = LAB + "user/privesc2-SetExistingDefaultPolicyVersion-user";
        assertTrue(known.admins().stream().noneMatch(admin -> admin.principal().equals(caller)));
        assertTrue(known.edges().stream().noneMatch(edge -> edge.source().equals(caller)));
    }

    @Test
    void updateLoginProfile_isConditional() {
        EscalationEdge edge = edge(LAB + "user/privesc6-UpdateLoginProfile-user", LAB + "user/privesc-sre-user");
        assertNotNull(edge);
        assertEquals(List.of("iam-006"), edge.techniques());
        assertTrue(edge.conditional(), "the export does not show which users have a console password");
    }

    @Test
    void ownPolicies_markAdmin() {
        AdminFinding finding = admins.get(SERVICE_ROLE);
        assertNotNull(finding);
        assertEquals(List.of(EscalationAnalysis.OWN_POLICIES), finding.techniques());
    }

    @Test
    void createAccessKey_reachesOtherUsers() {
        EscalationEdge edge = edge(LAB + "user/privesc4-CreateAccessKey-user", LAB + "user/privesc-sre-user");
        assertNotNull(edge);
        assertEquals(List.of("iam-002"), edge.techniques());
        assertTrue(edge.evidence().stream().anyMatch(e -> e.note() != null && e.note().contains("access keys")),
                "the evidence says that access key counts are unknown");
    }

    @Test
    void passRoleToNewLambda_reachesServiceRole() {
        EscalationEdge edge = edge(LAB + "user/privesc15-PassExistingRoleToNewLambdaThenInvoke-user", SERVICE_ROLE);
        assertNotNull(edge);
        assertEquals(List.of("lambda-001"), edge.techniques());
        assertFalse(edge.conditional());
        assertTrue(edge.evidence().stream().anyMatch(e -> "Allow".equals(e.effect())), "the evidence has the granting statements");
    }

    @Test
    void existingFunction_isConditional() {
        EscalationEdge edge = edge(LAB + "user/privesc17-EditExistingLambdaFunctionWithRole-user", SERVICE_ROLE);
        assertNotNull(edge);
        assertTrue(edge.conditional(), "the export cannot show the existing function");
    }

    @Test
    void addUserToGroup_reachesGroup() {
        EscalationEdge edge = edge(LAB + "user/privesc13-AddUserToGroup-user", LAB + "group/privesc-sre-group");
        assertNotNull(edge);
        assertEquals(List.of("iam-013"), edge.techniques());
    }

    @Test
    void falsePositiveUsers_getNothing() {
        for (String user : List.of("fp1-allow-and-deny-user", "fp2-allow-and-deny-multiple-policies-user", "fp3-deny-iam-user",
                "fp4-nonExploitableResourceConstraint-user")) {
            String id = LAB + "user/" + user;
            assertNull(admins.get(id), user);
            assertTrue(result.edges().stream().noneMatch(e -> e.source().equals(id)), user);
        }
    }

    @Test
    void administrators_getNoEdges() {
        String admin = "arn:aws:iam::012345678901:user/userwithlotsofpermissions";
        assertEquals(List.of(EscalationAnalysis.OWN_POLICIES), admins.get(admin).techniques());
        assertTrue(result.edges().stream().noneMatch(e -> e.source().equals(admin)));
    }

    @Test
    void exampleArn_fillsTemplate() {
        assertEquals("arn:aws:lambda:us-east-1:111122223333:function:nhigraph-example",
                EscalationAnalysis.exampleArn("arn:aws:lambda:*:{account}:function:*", "111122223333"));
        assertEquals("arn:aws:iam::111122223333:role/nhigraph-example",
                EscalationAnalysis.exampleArn("arn:aws:iam::{account}:role/*", "111122223333"));
        assertEquals("*", EscalationAnalysis.exampleArn("*", "111122223333"));
    }

    @Test
    void write_storesEdgesAndMarks() {
        // Written twice: the second write must replace the first, not add to it.
        EscalationAnalysis.write(SharedGraph.store(), result);
        EscalationAnalysis.write(SharedGraph.store(), result);
        assertEquals(result.relationships(), SharedGraph.count("MATCH ()-[e:CAN_ESCALATE]->() RETURN count(e) AS c"));
        assertEquals(result.admins().size(), SharedGraph.count("MATCH (p:Principal) WHERE p.adminEquivalent IS NOT NULL RETURN count(p) AS c"));
        assertEquals(1, SharedGraph.count("""
                MATCH (:Principal {id: $from})-[e:CAN_ESCALATE {technique: 'lambda-001'}]->(:Principal {id: $to})
                RETURN count(e) AS c""", "from", LAB + "user/privesc15-PassExistingRoleToNewLambdaThenInvoke-user", "to", SERVICE_ROLE));
    }

    @Test
    void compact_keepsStatementReference() {
        EscalationEdge edge = edge(LAB + "user/privesc15-PassExistingRoleToNewLambdaThenInvoke-user", SERVICE_ROLE);
        List<dev.nhigraph.policy.Evidence> compact = EscalationAnalysis.compact(edge.evidence());
        assertEquals(edge.evidence().size(), compact.size());
        for (int i = 0; i < compact.size(); i++) {
            assertEquals(edge.evidence().get(i).policy(), compact.get(i).policy());
            assertEquals(edge.evidence().get(i).statement(), compact.get(i).statement());
            assertEquals(edge.evidence().get(i).condition(), compact.get(i).condition());
            assertNull(compact.get(i).actions());
        }
    }

    private static EscalationEdge edge(String source, String target) {
        return result.edges().stream().filter(e -> e.source().equals(source) && e.target().equals(target)).findFirst().orElse(null);
    }
}
