package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Loads the real iam-vulnerable export into the embedded Neo4j and checks the graph against the file. */
class SampleLoadTest {

    private static JsonNode file;
    private static LoadResult result;

    @BeforeAll
    static void loadSample() throws IOException {
        file = new ObjectMapper().readTree(SharedGraph.SAMPLE.toFile());
        result = SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
    }

    @Test
    void users_matchTheFile() {
        assertEquals(file.get("UserDetailList").size(), SharedGraph.count("MATCH (n:AwsUser) RETURN count(n) AS c"));
    }

    @Test
    void roles_matchTheFile() {
        assertEquals(file.get("RoleDetailList").size(), SharedGraph.count("MATCH (n:AwsRole) WHERE NOT n.external RETURN count(n) AS c"));
    }

    @Test
    void groups_matchTheFile() {
        assertEquals(file.get("GroupDetailList").size(), SharedGraph.count("MATCH (n:AwsGroup) RETURN count(n) AS c"));
    }

    @Test
    void policies_matchTheFile() {
        int inline = 0;
        for (String list : List.of("UserDetailList", "GroupDetailList", "RoleDetailList")) {
            for (JsonNode entity : file.get(list)) {
                for (String key : List.of("UserPolicyList", "GroupPolicyList", "RolePolicyList")) {
                    inline += entity.path(key).size();
                }
            }
        }
        assertEquals(file.get("Policies").size(), SharedGraph.count("MATCH (n:AwsPolicy) WHERE n.kind <> 'inline' RETURN count(n) AS c"));
        assertEquals(inline, SharedGraph.count("MATCH (n:AwsPolicy {kind: 'inline'}) RETURN count(n) AS c"));
        assertEquals(inline, result.inlinePolicies());
    }

    @Test
    void attachments_matchTheFile() {
        int attached = 0;
        for (String list : List.of("UserDetailList", "GroupDetailList", "RoleDetailList")) {
            for (JsonNode entity : file.get(list)) {
                attached += entity.path("AttachedManagedPolicies").size();
                for (String key : List.of("UserPolicyList", "GroupPolicyList", "RolePolicyList")) {
                    attached += entity.path(key).size();
                }
            }
        }
        assertEquals(attached, SharedGraph.count("MATCH (:Principal)-[r:HAS_POLICY]->(:AwsPolicy) RETURN count(r) AS c"));
    }

    @Test
    void everyPrincipal_isInItsAccount() {
        assertEquals(0, SharedGraph.count("""
                MATCH (p:Principal) WHERE (p:AwsUser OR p:AwsRole OR p:AwsGroup) AND NOT coalesce(p.external, false)
                  AND NOT (p)-[:IN]->(:AwsAccount {id: p.account}) RETURN count(p) AS c"""));
        assertEquals(2, SharedGraph.count("MATCH (a:AwsAccount {external: false}) RETURN count(a) AS c"));
    }

    @Test
    void snapshot_recordsSourceAndCounts() {
        Map<String, Object> snapshot = SharedGraph.graphService().latestSnapshot();

        assertEquals(result.snapshotId(), snapshot.get("id"));
        assertEquals((long) file.get("UserDetailList").size(), snapshot.get("users"));
        assertEquals((long) file.get("RoleDetailList").size(), snapshot.get("roles"));
        assertTrue(snapshot.get("loadedAt").toString().startsWith("20"), snapshot.toString());
    }

    @Test
    void ssoSessionTrust_mapsToThePathedRole() {
        // Trust policies of the lab name a session of the SSO administrator role. The session ARN drops the
        // role's path, so a naive mapping would invent a role that does not exist.
        String ssoRole = "arn:aws:iam::200611803367:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_dc6414f7f2ab04fc";

        long trusting = SharedGraph.count("MATCH (:AwsRole)-[:TRUSTS]->(p:AwsRole {id: $id}) RETURN count(p) AS c", "id", ssoRole);
        long invented = SharedGraph.count("MATCH (p:AwsRole) WHERE p.id ENDS WITH ':role/AWSReservedSSO_AdministratorAccess_dc6414f7f2ab04fc' RETURN count(p) AS c");

        assertTrue(trusting > 10, "roles trusting the SSO role: " + trusting);
        assertEquals(0, invented);
        assertTrue(SharedGraph.count("MATCH (:AwsRole {id: $id})-[:CAN_ASSUME]->(r:AwsRole) RETURN count(r) AS c", "id", ssoRole) > 10);
    }

    @Test
    void loadingTwice_leavesTheSameGraph() {
        Map<String, Long> before = SharedGraph.counts();

        LoadResult again = new LoadService(SharedGraph.store()).load(List.of(SharedGraph.SAMPLE), stage -> { });

        assertEquals(before, SharedGraph.counts());
        assertEquals(result.snapshotId(), again.snapshotId());
        assertEquals(result.canAssume(), again.canAssume());
        assertEquals(2L, SharedGraph.graphService().latestSnapshot().get("loads"));
    }
}
