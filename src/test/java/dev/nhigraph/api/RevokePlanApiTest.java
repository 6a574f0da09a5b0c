package dev.nhigraph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.analysis.AdminReachability;
import dev.nhigraph.analysis.AwsProjection;
import dev.nhigraph.analysis.AwsProjection.Step;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.PathAnswers;
import dev.nhigraph.analysis.RevokePlan;
import dev.nhigraph.testsupport.SharedGraph;
import dev.nhigraph.testsupport.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/revoke-plan} over a real socket on 127.0.0.1, against the bundled sample with its access keys, and
 * the plan of every principal of the sample checked by removing its cut from the step graph and searching again.
 */
class RevokePlanApiTest {

    private static final String LEAKED_KEY = "AKIASAMPLEPOLICYVER1";
    private static final String KEY_USER = "arn:aws:iam::200611803367:user/privesc1-CreateNewPolicyVersion-user";
    private static final String STARTING_ROLE = "arn:aws:iam::200611803367:role/privesc-AssumeRole-starting-role";
    private static final String INTERMEDIATE_ROLE = "arn:aws:iam::200611803367:role/privesc-AssumeRole-intermediate-role";
    private static final String ENDING_ROLE = "arn:aws:iam::200611803367:role/privesc-AssumeRole-ending-role";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ApiServer server;

    @BeforeAll
    static void start() {
        SharedGraph.resetAndLoad(Path.of("src/main/resources/samples"));
        server = SharedGraph.startServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void leakedKey_listsOwnAdminRightsAndKey() throws Exception {
        HttpResponse<String> response = get("/api/revoke-plan?from=" + LEAKED_KEY);
        JsonNode body = JSON.readTree(response.body());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(LEAKED_KEY, body.at("/credential/keyId").asText());
        assertEquals(KEY_USER, body.get("from").asText());
        assertEquals("admin", body.get("to").asText());
        assertTrue(body.get("reachesTarget").asBoolean());
        JsonNode first = body.at("/cut/0");
        assertEquals(RevokePlan.OWN_ADMIN_RIGHTS, first.get("kind").asText(), "the user can make itself an administrator");
        assertTrue(first.get("evidence").toString().contains("iam:CreatePolicyVersion"), first.toString());
        JsonNode key = body.at("/keys/0");
        assertEquals(LEAKED_KEY, key.get("keyId").asText());
        assertTrue(key.get("leaked").asBoolean());
        assertEquals("Active", key.get("status").asText());
        assertTrue(body.at("/check/cutVerified").asBoolean());
        assertFalse(body.at("/bounded/truncated").asBoolean());
    }

    @Test
    void roleChain_cutsOneAssumeStepWithTrustEvidence() throws Exception {
        JsonNode body = JSON.readTree(get("/api/revoke-plan?from=" + encode(STARTING_ROLE)).body());

        assertEquals(1, body.get("cut").size(), body.get("cut").toString());
        JsonNode item = body.at("/cut/0");
        assertEquals("CAN_ASSUME", item.get("kind").asText());
        assertEquals(STARTING_ROLE, item.get("from").asText());
        assertTrue(item.get("change").asText().contains("trust policy"), item.get("change").asText());
        assertTrue(item.get("evidence").toString().contains("#trust"), item.get("evidence").toString());
        assertTrue(body.at("/check/cutVerified").asBoolean());
        assertTrue(body.at("/check/wholeGraphChecked").asBoolean());
        assertTrue(body.at("/check/remainingTarget").isMissingNode(), body.get("check").toString());
    }

    @Test
    void principalTarget_cutsPathToIt() throws Exception {
        JsonNode body = JSON.readTree(get("/api/revoke-plan?from=" + encode(STARTING_ROLE) + "&to=" + encode(ENDING_ROLE)).body());

        assertEquals(ENDING_ROLE, body.get("to").asText());
        assertEquals(1, body.get("targetsReached").asInt());
        assertEquals(1, body.get("cut").size(), body.get("cut").toString());
        assertEquals(STARTING_ROLE, body.at("/cut/0/from").asText());
        assertEquals(INTERMEDIATE_ROLE, body.at("/cut/0/to").asText());
    }

    @Test
    void missingFrom_isJsonError400() throws Exception {
        HttpResponse<String> response = get("/api/revoke-plan");
        JsonNode body = JSON.readTree(response.body());

        assertEquals(400, response.statusCode());
        assertTrue(body.get("message").asText().contains("from"), body.toString());
        assertNotNull(body.get("requestId"));
    }

    @Test
    void unknownPrincipal_isJsonError404() throws Exception {
        HttpResponse<String> response = get("/api/revoke-plan?from=AKIANOSUCHKEY0000000");

        assertEquals(404, response.statusCode());
        assertTrue(JSON.readTree(response.body()).get("message").asText().contains("AKIANOSUCHKEY0000000"));
    }

    @Test
    void depthOutOfRange_isJsonError400() throws Exception {
        HttpResponse<String> response = get("/api/revoke-plan?from=" + LEAKED_KEY + "&depth=99");

        assertEquals(400, response.statusCode());
        assertTrue(JSON.readTree(response.body()).get("message").asText().contains("0..16"), response.body());
    }

    @Test
    void sameFromAndTo_isJsonError400() throws Exception {
        HttpResponse<String> response = get("/api/revoke-plan?from=" + encode(STARTING_ROLE) + "&to=" + encode(STARTING_ROLE));

        assertEquals(400, response.statusCode());
        assertTrue(JSON.readTree(response.body()).get("message").asText().contains("same principal"), response.body());
    }

    /**
     * For every principal of the sample that reaches an administrator, removes the plan's cut from a copy of the
     * step graph and searches again: no administrator other than the principal itself may be left reachable.
     */
    @Test
    void everySamplePlan_leavesNoPathAfterCut() {
        GraphService graph = SharedGraph.graphService();
        AdminReachability admins = graph.adminReachability();
        AwsProjection projection = admins.projection();
        int checked = 0;
        for (String principal : admins.principalsReachingAdmin()) {
            RevokePlan.Plan plan = graph.revokePlan(principal, PathAnswers.ADMIN, RevokePlan.MAX_DEPTH_LIMIT, null);
            Set<String> targets = new HashSet<>(admins.admins());
            targets.remove(principal);

            String left = firstTargetWithout(projection, plan.cut(), principal, targets);

            assertNull(left, principal + " still reaches " + left + " after the cut " + plan.cut());
            assertTrue(plan.check().cutVerified(), principal);
            checked++;
        }
        assertTrue(checked > 20, "principals checked: " + checked);
    }

    /** Searches the stored steps without those of the cut, matched by ends, kind and technique. */
    private static String firstTargetWithout(AwsProjection projection, List<RevokePlan.Item> cut, String root, Set<String> targets) {
        Set<String> removed = new HashSet<>();
        cut.forEach(item -> removed.add(item.from() + "|" + item.to() + "|" + item.kind() + "|" + item.technique()));
        Set<String> seen = new HashSet<>(List.of(root));
        Deque<String> queue = new ArrayDeque<>(List.of(root));
        while (!queue.isEmpty()) {
            String current = queue.poll();
            if (!projection.stepGraph().containsVertex(current)) {
                continue;
            }
            for (Step step : projection.stepGraph().outgoingEdgesOf(current)) {
                if (removed.contains(step.source() + "|" + step.target() + "|" + step.kind() + "|" + step.technique())) {
                    continue;
                }
                if (targets.contains(step.target())) {
                    return step.target();
                }
                if (seen.add(step.target())) {
                    queue.add(step.target());
                }
            }
        }
        return null;
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = TestTokens.readRequest(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
