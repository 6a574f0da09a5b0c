package dev.nhigraph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.testsupport.SharedGraph;
import dev.nhigraph.testsupport.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API over a real socket on 127.0.0.1 and a random port, against the sample in the embedded Neo4j. */
class ApiServerTest {

    private static final String ROLE = "arn:aws:iam::200611803367:role/privesc-high-priv-service-role";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ApiServer server;

    @BeforeAll
    static void start() {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        server = SharedGraph.startServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void health_reportsNeo4jAndSnapshot() throws Exception {
        HttpResponse<String> response = get("/api/health");
        JsonNode body = JSON.readTree(response.body());

        assertEquals(200, response.statusCode());
        assertEquals("ok", body.get("status").asText());
        assertEquals(SharedGraph.boltUri(), body.get("neo4j").asText());
        assertEquals(44, body.get("snapshot").get("users").asInt());
    }

    @Test
    void principals_searchByNameFragment() throws Exception {
        HttpResponse<String> response = get("/api/principals?q=high-priv-service&limit=5");
        JsonNode body = JSON.readTree(response.body());

        assertEquals(200, response.statusCode());
        assertTrue(body.isArray());
        JsonNode first = body.get(0);
        assertEquals(ROLE, first.get("id").asText());
        assertEquals("AwsRole", first.get("kind").asText());
        assertEquals("privesc-high-priv-service-role", first.get("name").asText());
        assertEquals("200611803367", first.get("account").asText());
    }

    @Test
    void principals_limitIsApplied() throws Exception {
        JsonNode body = JSON.readTree(get("/api/principals?q=privesc&limit=3").body());

        assertEquals(3, body.size());
    }

    @Test
    void blastRadius_returnsGraphWithEvidence() throws Exception {
        HttpResponse<String> response = get("/api/blast-radius?id=" + URLEncoder.encode(ROLE, StandardCharsets.UTF_8) + "&depth=3");
        JsonNode body = JSON.readTree(response.body());

        assertEquals(200, response.statusCode());
        assertEquals(ROLE, body.get("root").asText());
        assertEquals(3, body.get("bounds").get("maxDepth").asInt());
        assertTrue(body.get("nodes").size() > 1);
        JsonNode root = body.get("nodes").get(0);
        assertEquals(ROLE, root.get("id").asText());
        assertEquals("AwsRole", root.get("kind").asText());
        assertNotNull(root.get("label"));
        JsonNode edge = body.get("edges").get(0);
        assertNotNull(edge.get("source"));
        assertNotNull(edge.get("target"));
        assertNotNull(edge.get("type"));
        assertTrue(edge.get("evidence").size() > 0, edge.toString());
        assertNotNull(edge.get("evidence").get(0).get("policy"));
    }

    @Test
    void blastRadius_acceptsName() throws Exception {
        HttpResponse<String> response = get("/api/blast-radius?id=privesc-high-priv-service-role");

        assertEquals(200, response.statusCode());
        assertEquals(ROLE, JSON.readTree(response.body()).get("root").asText());
    }

    @Test
    void blastRadius_unknownIdIs404Envelope() throws Exception {
        HttpResponse<String> response = get("/api/blast-radius?id=arn:aws:iam::1:role/none");
        JsonNode body = JSON.readTree(response.body());

        assertEquals(404, response.statusCode());
        assertEquals(404, body.get("status").asInt());
        assertTrue(body.get("message").asText().contains("arn:aws:iam::1:role/none"));
        assertNotNull(body.get("requestId"));
    }

    @Test
    void blastRadius_badDepthIs400NamingTheBound() throws Exception {
        HttpResponse<String> response = get("/api/blast-radius?id=x&depth=99");
        JsonNode body = JSON.readTree(response.body());

        assertEquals(400, response.statusCode());
        assertTrue(body.get("message").asText().contains("0..16"), body.toString());
    }

    @Test
    void blastRadius_missingIdIs400() throws Exception {
        assertEquals(400, get("/api/blast-radius").statusCode());
    }

    @Test
    void paths_returnsStepsWithEvidence() throws Exception {
        String user = "arn:aws:iam::200611803367:user/privesc15-PassExistingRoleToNewLambdaThenInvoke-user";
        HttpResponse<String> response = get("/api/paths?from=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&to=admin&depth=4");
        JsonNode body = JSON.readTree(response.body());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("YES", body.get("reachable").asText());
        JsonNode step = body.get("paths").get(0).get("steps").get(0);
        assertEquals("lambda-001", step.get("technique").asText());
        assertTrue(step.get("evidence").size() > 0);
        assertEquals(4, body.get("bounded").get("maxDepth").asInt());
    }

    @Test
    void paths_withoutFrom_listsSources() throws Exception {
        HttpResponse<String> response = get("/api/paths?to=admin&limit=5");
        JsonNode body = JSON.readTree(response.body());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(5, body.get("sources").size());
        assertTrue(body.get("bounded").get("truncated").asBoolean());
    }

    @Test
    void paths_overBoundIs400NamingTheBound() throws Exception {
        HttpResponse<String> response = get("/api/paths?from=x&paths=1000");

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("paths=1000"), response.body());
    }

    @Test
    void can_returnsDecisionWithStatements() throws Exception {
        String target = "arn:aws:iam::200611803367:role/privesc-AssumeRole-ending-role";
        HttpResponse<String> response = get("/api/can?principal=privesc-AssumeRole-intermediate-role&action=sts:AssumeRole&resource="
                + URLEncoder.encode(target, StandardCharsets.UTF_8));
        JsonNode body = JSON.readTree(response.body());

        assertEquals(200, response.statusCode());
        assertEquals("ALLOWED", body.get("decision").asText());
        assertTrue(body.get("statements").size() > 0, body.toString());
        assertTrue(body.get("conditions").isArray());
    }

    @Test
    void can_deniedWithoutGrant() throws Exception {
        HttpResponse<String> response = get("/api/can?principal=privesc-AssumeRole-starting-role&action=s3:GetObject&resource=arn:aws:s3:::b/k");
        JsonNode body = JSON.readTree(response.body());

        assertEquals("DENIED", body.get("decision").asText());
        assertEquals("implicit", body.get("denial").asText());
    }

    @Test
    void can_actionWithoutServiceIs400() throws Exception {
        HttpResponse<String> response = get("/api/can?principal=x&action=GetObject&resource=*");

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("service:Action"), response.body());
    }

    @Test
    void can_missingActionIs400() throws Exception {
        assertEquals(400, get("/api/can?principal=x&resource=*").statusCode());
    }

    @Test
    void unknownApiPath_is404Envelope() throws Exception {
        HttpResponse<String> response = get("/api/nothing");

        assertEquals(404, response.statusCode());
        assertTrue(JSON.readTree(response.body()).get("message").asText().contains("/api/nothing"));
    }

    @Test
    void page_andCytoscape_areServed() throws Exception {
        HttpResponse<String> page = get("/");
        HttpResponse<String> cytoscape = get("/webjars/cytoscape/3.33.1/dist/cytoscape.min.js");

        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("cytoscape"), "the page does not load Cytoscape.js");
        assertEquals(200, cytoscape.statusCode());
        assertTrue(cytoscape.body().length() > 100_000);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = TestTokens.readRequest(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
