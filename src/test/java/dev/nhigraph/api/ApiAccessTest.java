package dev.nhigraph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.audit.Audit;
import dev.nhigraph.testsupport.SharedGraph;
import dev.nhigraph.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bearer tokens, roles, security headers and the audit log, over a real socket on 127.0.0.1. */
class ApiAccessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ROTATE = "/api/admin/read-token";

    private static ApiServer server;
    // The audit file outlives test runs, so the checks read only what this class appended after this offset.
    private static long auditStart;

    @BeforeAll
    static void start() throws Exception {
        auditStart = Files.exists(auditFile()) ? Files.size(auditFile()) : 0;
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        server = SharedGraph.startServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/principals?q=privesc", "/api/blast-radius?id=privesc-high-priv-service-role",
            "/api/can?principal=x&action=s3:GetObject&resource=*", "/api/paths?to=admin", "/api/revoke-plan?from=x", "/api/nothing"})
    void readRoute_withoutToken_is401(String path) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)));
        JsonNode body = JSON.readTree(response.body());

        assertEquals(401, response.statusCode(), response.body());
        assertEquals(401, body.get("status").asInt());
        assertTrue(body.get("message").asText().contains("Authorization: Bearer TOKEN"), response.body());
        // This server has no token file, so the message must not send the caller looking for one.
        assertFalse(body.get("message").asText().contains("token file"), response.body());
        assertTrue(body.get("message").asText().contains("NHIGRAPH_API_TOKEN"), response.body());
        assertNotNull(body.get("requestId").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer not-the-token-0123456789", "Bearer " + TestTokens.READ + "x", "Bearer ",
            "Basic dXNlcjpwYXNz", TestTokens.READ})
    void readRoute_withInvalidAuthorization_is401(String header) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/principals?q=privesc")).header("Authorization", header));

        assertEquals(401, response.statusCode(), response.body());
        assertFalse(response.body().contains("privesc-"), "a rejected request got data: " + response.body());
    }

    @Test
    void readRoute_acceptsBearerInAnyCase() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/principals?q=privesc&limit=1"))
                .header("Authorization", "bearer " + TestTokens.READ));

        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void readRoute_acceptsAdminToken() throws Exception {
        HttpResponse<String> response = send(admin("/api/principals?q=privesc&limit=1"));

        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void health_withoutToken_tellsOnlyStatus() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/health")));
        JsonNode body = JSON.readTree(response.body());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("ok", body.get("status").asText());
        assertEquals(1, body.size(), "health without a token shows more than its status: " + body);
    }

    @Test
    void health_withToken_namesNeo4jAndSnapshot() throws Exception {
        JsonNode body = JSON.readTree(send(read("/api/health")).body());

        assertEquals(SharedGraph.boltUri(), body.get("neo4j").asText());
        assertNotNull(body.get("snapshot"));
    }

    @Test
    void health_withInvalidToken_is401() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/health")).header("Authorization", "Bearer wrong-token-0123456789"));

        assertEquals(401, response.statusCode(), response.body());
    }

    @Test
    void adminRoute_withReadToken_is403() throws Exception {
        HttpResponse<String> response = send(read(ROTATE).POST(HttpRequest.BodyPublishers.noBody()));
        JsonNode body = JSON.readTree(response.body());

        assertEquals(403, response.statusCode(), response.body());
        assertTrue(body.get("message").asText().contains("needs the admin token"), response.body());
    }

    @Test
    void adminRoute_withoutToken_is401() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(ROTATE)).POST(HttpRequest.BodyPublishers.noBody()));

        assertEquals(401, response.statusCode(), response.body());
    }

    @Test
    void adminRoute_rotatesReadToken() throws Exception {
        try (ApiServer own = SharedGraph.startServer()) {
            HttpResponse<String> rotated = HTTP.send(HttpRequest.newBuilder(uri(own, ROTATE)).header("Authorization", "Bearer " + TestTokens.ADMIN)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            String newToken = JSON.readTree(rotated.body()).get("token").asText();
            HttpResponse<String> withOld = HTTP.send(HttpRequest.newBuilder(uri(own, "/api/principals?q=x"))
                    .header("Authorization", "Bearer " + TestTokens.READ).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> withNew = HTTP.send(HttpRequest.newBuilder(uri(own, "/api/principals?q=x"))
                    .header("Authorization", "Bearer " + newToken).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(200, rotated.statusCode(), rotated.body());
            assertEquals(Audit.tokenId(newToken), JSON.readTree(rotated.body()).get("tokenId").asText());
            assertEquals(401, withOld.statusCode(), withOld.body());
            assertEquals(200, withNew.statusCode(), withNew.body());
            assertAuditLacks(newToken);
        }
    }

    @Test
    void audit_recordsCallerRouteAndOutcome() throws Exception {
        HttpResponse<String> allowed = send(read("/api/principals?q=privesc&limit=1"));
        HttpResponse<String> denied = send(HttpRequest.newBuilder(uri("/api/blast-radius?id=x")).header("Authorization", "Bearer wrong-token-0123456789"));
        HttpResponse<String> forbidden = send(read(ROTATE).POST(HttpRequest.BodyPublishers.noBody()));

        assertEquals(200, allowed.statusCode(), allowed.body());
        String allowedLine = auditLine(allowed.headers().firstValue("X-Request-Id").orElseThrow());
        assertTrue(allowedLine.contains("who=read:" + Audit.tokenId(TestTokens.READ)), allowedLine);
        assertTrue(allowedLine.contains("client=127.0.0.1"), allowedLine);
        assertTrue(allowedLine.contains("what=\"GET /api/principals\""), allowedLine);
        assertTrue(allowedLine.contains("outcome=ok:200"), allowedLine);
        String deniedLine = auditLine(requestIdOf(denied));
        assertTrue(deniedLine.contains("who=invalid"), deniedLine);
        assertTrue(deniedLine.contains("outcome=denied:401"), deniedLine);
        String forbiddenLine = auditLine(requestIdOf(forbidden));
        assertTrue(forbiddenLine.contains("outcome=denied:403"), forbiddenLine);
        assertAuditLacks(TestTokens.READ);
        assertAuditLacks(TestTokens.ADMIN);
        assertAuditLacks("wrong-token-0123456789");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/app.js", "/api/principals?q=privesc", "/api/nothing-here"})
    void securityHeaders_onPageAndApi(String path) throws Exception {
        HttpResponse<String> response = send(read(path));

        String csp = response.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'none'"), path + " CSP: " + csp);
        assertTrue(csp.contains("script-src 'self'"), path + " CSP: " + csp);
        assertFalse(csp.contains("unsafe-inline"), path + " CSP: " + csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), path + " CSP: " + csp);
        assertEquals("DENY", response.headers().firstValue("X-Frame-Options").orElse(null), path);
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null), path);
        assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElse(null), path);
    }

    @Test
    void api_isNotCached() throws Exception {
        HttpResponse<String> answer = send(read("/api/principals?q=privesc"));
        HttpResponse<String> rejected = send(HttpRequest.newBuilder(uri("/api/principals?q=privesc")));

        assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(null));
        assertEquals("no-store", rejected.headers().firstValue("Cache-Control").orElse(null));
    }

    @Test
    void page_hasNoInlineScriptOrStyle() throws Exception {
        String page = send(read("/")).body();

        assertFalse(page.matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*"), "the page has an inline script, which the CSP blocks");
        assertFalse(page.contains("<style"), "the page has an inline style element, which the CSP blocks");
        assertFalse(page.matches("(?s).*\\sstyle=.*"), "the page has a style attribute, which the CSP blocks");
        assertFalse(page.matches("(?s).*\\son[a-z]+=.*"), "the page has an inline event handler, which the CSP blocks");
    }

    private static String requestIdOf(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("requestId").asText();
    }

    /** Returns the audit line of the request with {@code requestId}. */
    private static String auditLine(String requestId) throws Exception {
        List<String> lines = auditSinceStart().lines().toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (line.contains("requestId=" + requestId)) {
                return line;
            }
        }
        throw new AssertionError("no audit line for request " + requestId + " in " + auditFile());
    }

    private static void assertAuditLacks(String secret) throws Exception {
        String audit = auditSinceStart();
        assertFalse(audit.isEmpty(), "this test class wrote nothing to the audit file " + auditFile());
        assertFalse(audit.contains(secret), "the audit file " + auditFile() + " contains a token");
    }

    private static String auditSinceStart() throws Exception {
        byte[] all = Files.readAllBytes(auditFile());
        return new String(all, (int) auditStart, all.length - (int) auditStart, StandardCharsets.UTF_8);
    }

    private static Path auditFile() {
        return Path.of(Audit.file());
    }

    private static HttpRequest.Builder read(String path) {
        return TestTokens.readRequest(uri(path));
    }

    private static HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TestTokens.ADMIN);
    }

    private static URI uri(String path) {
        return uri(server, path);
    }

    private static URI uri(ApiServer target, String path) {
        return URI.create("http://127.0.0.1:" + target.port() + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
