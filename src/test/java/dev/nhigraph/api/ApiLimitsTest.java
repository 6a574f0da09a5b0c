package dev.nhigraph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.db.GraphStore;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.testsupport.SharedGraph;
import dev.nhigraph.testsupport.TestTokens;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * Request limits and the one JSON error body, over a real socket on 127.0.0.1: every rejection is JSON with status,
 * message and request id, names the limit, and shows no stack trace, class name or database message.
 */
class ApiLimitsTest {

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
    void queryString_overLimit_is400NamingIt() throws Exception {
        HttpResponse<String> response = send(read("/api/principals?q=" + "a".repeat(ServerLimits.DEFAULT_MAX_QUERY_CHARS)));

        JsonNode body = assertErrorBody(response, 400);
        assertTrue(body.get("message").asText().contains("limit of " + ServerLimits.DEFAULT_MAX_QUERY_CHARS), response.body());
    }

    @Test
    void queryString_overJettyLimit_isJsonError() throws Exception {
        HttpResponse<String> response = send(read("/api/principals?q=" + "a".repeat(40_000)));

        assertTrue(response.statusCode() == 414 || response.statusCode() == 431, response.statusCode() + " " + response.body());
        assertErrorBody(response, response.statusCode());
        assertFalse(response.body().toLowerCase().contains("<html"), response.body());
    }

    @Test
    void body_overLimit_is413NamingIt() throws Exception {
        // Only the headers are sent: the server rejects the request by its Content-Length. A client that streamed the
        // whole body could see the connection closed while it still wrote, and never read the response.
        String[] response = raw("POST /api/admin/read-token HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + TestTokens.ADMIN + "\r\nContent-Type: text/plain\r\nContent-Length: " + (ServerLimits.DEFAULT_MAX_BODY_BYTES + 1)
                + "\r\nConnection: close\r\n\r\n");

        assertTrue(response[0].contains(" 413 "), response[0]);
        JsonNode error = JSON.readTree(response[1]);
        assertEquals(413, error.get("status").asInt(), response[1]);
        assertTrue(error.get("message").asText().contains("limit of " + ServerLimits.DEFAULT_MAX_BODY_BYTES + " bytes"), response[1]);
    }

    @CsvSource(delimiter = '|', value = {
            "/api/principals?q=a&limit=201           | limit=201 is outside the allowed range 1..200",
            "/api/principals?q=a&limit=0             | limit=0 is outside the allowed range 1..200",
            "/api/blast-radius?id=x&depth=17         | depth=17 is outside the allowed range 0..16",
            "/api/paths?to=admin&depth=17            | depth=17 is outside the allowed range 0..16",
            "/api/paths?to=admin&limit=1001          | limit=1001 is outside the allowed range 1..1000",
            "/api/paths?from=x&to=admin&paths=101    | paths=101 is outside the allowed range 1..100",
            "/api/paths?from=x&to=admin&depth=-1     | depth=-1 is outside the allowed range 0..16",
            "/api/principals?q=a&limit=99999999999   | limit=\"99999999999\" is not a whole number",
    })
    @ParameterizedTest
    void bounds_overLimit_are400NamingThem(String path, String expected) throws Exception {
        HttpResponse<String> response = send(read(path));

        JsonNode body = assertErrorBody(response, 400);
        assertTrue(body.get("message").asText().contains(expected), response.body());
    }

    @Test
    void wrongMethod_is405() throws Exception {
        HttpResponse<String> response = send(read("/api/principals?q=a").POST(HttpRequest.BodyPublishers.noBody()));

        JsonNode body = assertErrorBody(response, 405);
        assertTrue(body.get("message").asText().contains("POST"), response.body());
    }

    @Test
    void missingFile_is404Json() throws Exception {
        HttpResponse<String> response = send(read("/no-such-file.js"));

        JsonNode body = assertErrorBody(response, 404);
        assertTrue(body.get("message").asText().contains("/no-such-file.js"), response.body());
    }

    @Test
    void malformedHeader_is400Json() throws Exception {
        // Jetty rejects a header line without a colon before Javalin receives the request.
        String[] response = raw("GET /api/health HTTP/1.0\r\nHost: 127.0.0.1\r\nThis header has no colon\r\n\r\n");

        assertTrue(response[0].startsWith("HTTP/1.1 400"), response[0]);
        JsonNode body = JSON.readTree(response[1]);
        assertEquals(400, body.get("status").asInt(), response[1]);
        assertFalse(body.get("requestId").isNull(), response[1]);
        for (String leak : new String[] {"Exception", "<html", "java.", ".java:", "jetty"}) {
            assertFalse(response[1].contains(leak), "the error body gives away \"" + leak + "\": " + response[1]);
        }
    }

    @Test
    void rateLimit_is429WithRetryAfter() throws Exception {
        // One request refills every 10 s, so a slow machine cannot refill the bucket between the 4 requests.
        try (ApiServer limited = SharedGraph.startServer(new ServerLimits(ServerLimits.DEFAULT_MAX_BODY_BYTES,
                ServerLimits.DEFAULT_MAX_QUERY_CHARS, 6, 3))) {
            URI health = URI.create("http://127.0.0.1:" + limited.port() + "/api/health");
            for (int i = 0; i < 3; i++) {
                assertEquals(200, send(TestTokens.readRequest(health)).statusCode(), "request " + (i + 1) + " of the burst of 3");
            }
            HttpResponse<String> response = send(TestTokens.readRequest(health));

            JsonNode body = assertErrorBody(response, 429);
            assertTrue(body.get("message").asText().contains("6 requests a minute"), response.body());
            long retryAfter = Long.parseLong(response.headers().firstValue("Retry-After").orElse("0"));
            assertTrue(retryAfter >= 1, "Retry-After: " + retryAfter);
            assertTrue(retryAfter <= 10, "Retry-After: " + retryAfter);
        }
    }

    @Test
    void internalError_isFixedSentenceAndLogged() throws Exception {
        GraphStore closed = GraphStore.connect(SharedGraph.boltUri(), SharedGraph.authToken());
        closed.close();
        ServerSettings settings = new ServerSettings(TestTokens.apiTokens(), null, ServerLimits.defaults(), null);
        Logger errors = (Logger) LoggerFactory.getLogger(ErrorResponses.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        errors.addAppender(logged);
        try (ApiServer broken = new ApiServer(new GraphService(closed, ActionCatalog.loadDefault()), settings).start("127.0.0.1", 0)) {
            HttpResponse<String> response = send(TestTokens.readRequest(
                    URI.create("http://127.0.0.1:" + broken.port() + "/api/principals?q=privesc")));

            JsonNode body = assertErrorBody(response, 500);
            String requestId = body.get("requestId").asText();
            assertTrue(logged.list.stream().anyMatch(event -> event.getFormattedMessage().contains(requestId)
                    && event.getThrowableProxy() != null), "no log line with the cause under " + requestId);
        } finally {
            errors.detachAppender(logged);
        }
    }

    /** Sends {@code request} as it is over a socket, because java.net.http cannot send malformed HTTP; returns the status line and the body. */
    private static String[] raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headersEnd = response.indexOf("\r\n\r\n");
            return new String[] {response.substring(0, response.indexOf("\r\n")), response.substring(headersEnd + 4)};
        }
    }

    /** Checks the one error body and that it gives away nothing of the server's insides; returns it. */
    private static JsonNode assertErrorBody(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                "Content-Type: " + response.headers().firstValue("Content-Type"));
        JsonNode body = JSON.readTree(response.body());
        assertEquals(status, body.get("status").asInt(), response.body());
        assertFalse(body.get("message").asText().isBlank(), response.body());
        assertNotNull(body.get("requestId"), response.body());
        assertFalse(body.get("requestId").isNull(), response.body());
        for (String leak : new String[] {"Exception", "\tat ", ".java:", "org.neo4j", "org.eclipse", "io.javalin", "java.",
                "Neo.ClientError", "Neo.DatabaseError", "URLDecoder"}) {
            assertFalse(response.body().contains(leak), "the error body gives away \"" + leak + "\": " + response.body());
        }
        return body;
    }

    private static HttpRequest.Builder read(String path) {
        return TestTokens.readRequest(URI.create("http://127.0.0.1:" + server.port() + path));
    }

    private static HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + TestTokens.ADMIN);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
