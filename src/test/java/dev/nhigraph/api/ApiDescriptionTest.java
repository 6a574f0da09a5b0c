package dev.nhigraph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.testsupport.SharedGraph;
import dev.nhigraph.testsupport.TestTokens;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /api/openapi.json against the routes that Javalin really registers. */
class ApiDescriptionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ApiServer server;

    @BeforeAll
    static void start() {
        server = SharedGraph.startServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void document_listsEveryRegisteredRoute() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(TestTokens.readRequest(
                URI.create("http://127.0.0.1:" + server.port() + "/api/openapi.json")).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode document = JSON.readTree(response.body());

        Set<String> described = new TreeSet<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> described.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        Set<String> registered = new TreeSet<>();
        for (ParsedEndpoint parsed : server.javalin().unsafe.internalRouter.allHttpHandlers()) {
            Endpoint endpoint = parsed.endpoint;
            if (endpoint.method.isHttpMethod() && endpoint.path.startsWith("/api/")) {
                registered.add(endpoint.method.name() + " " + endpoint.path);
            }
        }

        assertEquals(200, response.statusCode());
        assertTrue(document.get("openapi").asText().startsWith("3."), "not an OpenAPI 3 document");
        assertTrue(registered.contains("POST /api/cypher"), registered.toString());
        assertEquals(registered, described);
    }

    @Test
    void everyRouteButHealth_needsToken() throws Exception {
        Set<String> open = new TreeSet<>();
        for (ParsedEndpoint parsed : server.javalin().unsafe.internalRouter.allHttpHandlers()) {
            Endpoint endpoint = parsed.endpoint;
            if (!endpoint.method.isHttpMethod() || !endpoint.path.startsWith("/api/")) {
                continue;
            }
            String path = endpoint.path.replace("{name}", "principals-by-kind");
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .method(endpoint.method.name(), HttpRequest.BodyPublishers.ofString("{}")).build();
            int status = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
            if (status != 401) {
                open.add(endpoint.method.name() + " " + endpoint.path + " " + status);
            }
        }

        // Health responds without a token, with the status alone.
        assertEquals(Set.of("GET " + ApiServer.HEALTH + " 200"), open);
    }
}
