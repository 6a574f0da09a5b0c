package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.policy.eval.EvaluationResult;
import dev.nhigraph.testsupport.SharedGraph;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A whole offline bundle (IAM, an organization with SCPs, a bucket policy) loaded into the embedded Neo4j and
 * decided through the graph: management account 900000000000, member account 100000000001, an SCP at the root
 * that denies s3:DeleteBucket, and bucket shared-data whose policy lets role reader read reports/*.
 */
class BundleAnalysisTest {

    private static final String MEMBER = "arn:aws:iam::100000000001:";
    private static final String BUCKET = "arn:aws:s3:::shared-data";

    private static GraphService graph;
    private static LoadResult load;

    @BeforeAll
    static void loadBundle() {
        load = SharedGraph.resetAndLoad(Path.of("src/test/resources/fixtures/org-bundle"));
        graph = SharedGraph.graphService();
    }

    @Test
    void bundle_loadsEveryKind() {
        assertTrue(load.organization());
        assertEquals(1, load.resourcePolicies());
        assertEquals(2, load.users());
        assertEquals(List.of(), load.skipped());
    }

    @Test
    void bucketOfOtherAccount_deniesWithoutBucketPolicy() {
        EvaluationResult result = graph.can("arn:aws:iam::900000000000:user/boss", "s3:GetObject", BUCKET + "/reports/q1.csv", Map.of());

        assertEquals(EvaluationResult.Decision.DENIED, result.decision());
        assertTrue(result.reason().contains("cross-account"), result.reason());
    }

    @Test
    void scpDeny_deniesMemberAdmin() {
        EvaluationResult result = graph.can(MEMBER + "user/dev", "s3:DeleteBucket", BUCKET, Map.of());

        assertEquals(EvaluationResult.Decision.DENIED, result.decision());
        assertEquals("explicit", result.denial());
        assertTrue(result.statements().get(0).policy().endsWith("/p-nodelete"), result.statements().toString());
    }

    @Test
    void scp_doesNotApplyToManagementAccount() {
        // A bucket of no loaded account counts as the caller's own, so only the SCP could deny.
        EvaluationResult result = graph.can("arn:aws:iam::900000000000:user/boss", "s3:DeleteBucket", "arn:aws:s3:::management-logs", Map.of());

        assertEquals(EvaluationResult.Decision.ALLOWED, result.decision());
    }

    @Test
    void scp_doesNotApplyToServiceLinkedRole() {
        String role = MEMBER + "role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport";

        EvaluationResult result = graph.can(role, "s3:DeleteBucket", BUCKET, Map.of());

        assertEquals(EvaluationResult.Decision.ALLOWED, result.decision());
    }

    @Test
    void bucketPolicy_grantsRoleWithoutIdentityPolicy() {
        EvaluationResult reports = graph.can(MEMBER + "role/reader", "s3:GetObject", BUCKET + "/reports/q1.csv", Map.of());
        EvaluationResult elsewhere = graph.can(MEMBER + "role/reader", "s3:GetObject", BUCKET + "/private/salaries.csv", Map.of());

        assertEquals(EvaluationResult.Decision.ALLOWED, reports.decision());
        assertEquals(BUCKET + "#resource-policy", reports.statements().get(0).policy());
        assertEquals(EvaluationResult.Decision.DENIED, elsewhere.decision());
        assertEquals("implicit", elsewhere.denial());
    }

    @Test
    void bucketPolicy_givesCanAccessEdge() {
        long edges = SharedGraph.count("""
                MATCH (:AwsRole {id: $role})-[e:CAN_ACCESS]->(:AwsResource {id: $bucket})
                WHERE 'Read' IN e.accessLevels AND e.actionCount >= 1 RETURN count(e) AS c""",
                "role", MEMBER + "role/reader", "bucket", BUCKET);

        assertEquals(1, edges);
    }

    @Test
    void blastRadius_includesTheBucket() {
        BlastRadius.Result result = graph.blastRadius(MEMBER + "role/reader", 2);

        assertTrue(result.nodes().stream().anyMatch(n -> n.id().equals(BUCKET) && n.kind().equals("AwsResource")));
        assertTrue(result.edges().stream().anyMatch(e -> e.target().equals(BUCKET) && e.type().equals("CAN_ACCESS")));
    }

    @Test
    void paths_toBucket_endWithTheAccessStep() {
        PathAnswers.Answer answer = graph.pathAnswers().paths(MEMBER + "role/reader", BUCKET, 4, 10);

        assertEquals("YES", answer.reachable());
        assertEquals(1, answer.distance());
        PathSearch.Hop last = answer.paths().get(0).steps().get(answer.paths().get(0).steps().size() - 1);
        assertEquals("CAN_ACCESS", last.kind());
        assertEquals(BUCKET, last.to());
        assertTrue(last.evidence().stream().anyMatch(e -> (BUCKET + "#resource-policy").equals(e.policy())), last.evidence().toString());
    }

    @Test
    void paths_whoReachesBucket_includesReader() {
        PathAnswers.Reaching reaching = graph.pathAnswers().reaching(BUCKET, 4, 100);

        PathAnswers.Source reader = reaching.sources().stream().filter(s -> s.principal().equals(MEMBER + "role/reader"))
                .findFirst().orElse(null);
        assertNotNull(reader, reaching.sources().toString());
        assertEquals(1, reader.distance());
    }

    @Test
    void blastRadius_appliesScpToAdmin() {
        BlastRadius.Result result = graph.blastRadius(MEMBER + "user/dev", 0);

        assertTrue(!result.summary().admin(), "an SCP Deny on s3:DeleteBucket leaves dev short of every action");
    }
}
