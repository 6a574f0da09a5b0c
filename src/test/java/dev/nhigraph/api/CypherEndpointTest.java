package dev.nhigraph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.audit.Audit;
import dev.nhigraph.query.SavedQueries;
import dev.nhigraph.testsupport.SharedGraph;
import dev.nhigraph.testsupport.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neo4j.driver.AccessMode;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.exceptions.ClientException;

/**
 * POST /api/cypher and the saved query routes over a real socket on 127.0.0.1, against the demo sample in the
 * embedded Neo4j. Every query of {@code hostile-queries.tsv} must be rejected or bounded, and the graph must be the
 * same afterwards, down to every property value and the schema.
 */
class CypherEndpointTest {

    private static final Path HOSTILE = Path.of("src/test/resources/cypher/hostile-queries.tsv");
    private static final Pattern ESCAPE = Pattern.compile("\\\\u([0-9A-Fa-f]{4})");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The bounds the hostile queries run with, smaller than the defaults to keep the test short. */
    private static final int HOSTILE_MAX_ROWS = 50;
    private static final int HOSTILE_TIMEOUT_SECONDS = 2;

    private static ApiServer server;
    private static String before;
    // How each hostile query ended (rejected, capped at the row limit, or stopped by the timeout), for the figures
    // that docs/security.md quotes.
    private static final Map<String, Integer> OUTCOMES = new java.util.TreeMap<>();

    @BeforeAll
    static void start() {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        server = SharedGraph.startServer();
        before = fingerprint();
    }

    @AfterAll
    static void stop() {
        if (!OUTCOMES.isEmpty()) {
            System.out.println("Hostile corpus outcomes: " + OUTCOMES);
        }
        server.close();
    }

    /** One entry of the corpus: the expectation, why the query is hostile, and the query with escapes decoded. */
    record Hostile(String expectation, String why, String query) {
        @Override
        public String toString() {
            return why;
        }
    }

    static Stream<Hostile> hostileQueries() throws IOException {
        List<Hostile> entries = new ArrayList<>();
        for (String line : Files.readAllLines(HOSTILE, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", 3);
            entries.add(new Hostile(fields[0], fields[1], decode(fields[2])));
        }
        return entries.stream();
    }

    @Test
    void auditLog_namesCallerQueryAndOutcome() throws Exception {
        HttpResponse<String> answered = cypher("MATCH (p:AwsUser) RETURN count(p) AS users", 10, 5);
        HttpResponse<String> rejected = cypher("CREATE (n:AuditProbe) RETURN n", 10, 5);

        String answeredLine = cypherAuditLine(answered);
        assertTrue(answeredLine.contains("who=read:" + Audit.tokenId(TestTokens.READ)), answeredLine);
        assertTrue(answeredLine.contains("MATCH (p:AwsUser) RETURN count(p) AS users"), answeredLine);
        assertTrue(answeredLine.contains("outcome=\"ok:1 rows\""), answeredLine);
        String rejectedLine = cypherAuditLine(rejected);
        assertTrue(rejectedLine.contains("outcome=rejected:"), rejectedLine);
        assertFalse(Files.readString(Path.of(Audit.file())).contains(TestTokens.READ), "the audit file contains the token");
    }

    /** Returns the audit line that the Cypher route wrote for {@code response}'s request. */
    private static String cypherAuditLine(HttpResponse<String> response) throws IOException {
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        return Files.readAllLines(Path.of(Audit.file())).stream()
                .filter(line -> line.contains("action=cypher ") && line.contains(requestId))
                .findFirst().orElseThrow(() -> new AssertionError("no Cypher audit line for request " + requestId));
    }

    @Test
    void corpus_hasFortyOrMoreEntries() throws IOException {
        assertTrue(hostileQueries().count() >= 40, "the hostile corpus has fewer than 40 queries");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileQueries")
    void hostileQuery_rejectedOrBounded(Hostile hostile) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = cypher(hostile.query(), HOSTILE_MAX_ROWS, HOSTILE_TIMEOUT_SECONDS);
        long millis = (System.nanoTime() - started) / 1_000_000;
        JsonNode body = JSON.readTree(response.body());

        if (hostile.expectation().equals("rejected")) {
            assertEquals(400, response.statusCode(), hostile.why() + ": " + response.body());
            assertFalse(body.get("message").asText().isBlank(), "a rejection says why");
            assertFalse(body.get("message").asText().contains("limit of " + HOSTILE_TIMEOUT_SECONDS + " s"),
                    hostile.why() + " was stopped by the timeout instead of being rejected: " + response.body());
            OUTCOMES.merge("rejected", 1, Integer::sum);
        } else {
            boolean timedOut = response.statusCode() == 400
                    && body.get("message").asText().contains("limit of " + HOSTILE_TIMEOUT_SECONDS + " s");
            boolean capped = response.statusCode() == 200 && body.get("rowCount").asInt() <= HOSTILE_MAX_ROWS
                    && body.get("limits").get("maxRows").asInt() == HOSTILE_MAX_ROWS;
            assertTrue(timedOut || capped, hostile.why() + ": " + response.statusCode() + " " + response.body());
            OUTCOMES.merge(timedOut ? "bounded by the timeout" : "bounded by the row cap", 1, Integer::sum);
        }
        assertTrue(millis < 30_000, hostile.why() + " took " + millis + " ms");
        assertEquals(before, fingerprint(), hostile.why() + " changed the graph");
    }

    @Test
    void fourWayProduct_stopsAtTimeout() throws Exception {
        // The WHERE clause makes Neo4j visit every combination; Neo4j computes a bare count(*) from its counts store.
        HttpResponse<String> response = cypher("MATCH (a), (b), (c), (d) WHERE a.id + b.id + c.id + d.id = '' RETURN count(*) AS n", 10, 1);

        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().contains("limit of 1 s"), response.body());
    }

    @Test
    void twoWayProduct_isTruncatedAtRowCap() throws Exception {
        HttpResponse<String> response = cypher("MATCH (a), (b) RETURN a.id AS a, b.id AS b", 25, 10);
        JsonNode body = JSON.readTree(response.body());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(25, body.get("rowCount").asInt());
        assertEquals(25, body.get("rows").size());
        assertTrue(body.get("truncated").asBoolean());
        assertEquals(25, body.get("limits").get("maxRows").asInt());
        assertEquals(10, body.get("limits").get("timeoutSeconds").asInt());
    }

    @Test
    void readQuery_returnsRowsAndDefaultLimits() throws Exception {
        HttpResponse<String> response = post("/api/cypher", Map.of("query",
                "MATCH (u:AwsUser) WHERE u.name STARTS WITH $prefix RETURN u.name AS name ORDER BY name LIMIT 3",
                "params", Map.of("prefix", "privesc1")));
        JsonNode body = JSON.readTree(response.body());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("name", body.get("columns").get(0).asText());
        assertEquals(3, body.get("rowCount").asInt());
        assertTrue(body.get("rows").get(0).get("name").asText().startsWith("privesc1"));
        assertFalse(body.get("truncated").asBoolean());
        assertEquals(CypherRoutes.MAX_ROWS_LIMIT, body.get("limits").get("maxRows").asInt());
        assertEquals(CypherRoutes.TIMEOUT_SECONDS_LIMIT, body.get("limits").get("timeoutSeconds").asInt());
    }

    @Test
    void pathQuery_returnsGraphToDraw() throws Exception {
        HttpResponse<String> response = post("/api/cypher", Map.of("query",
                "MATCH p = (:AwsRole {name: 'privesc-AssumeRole-starting-role'})-[:CAN_ASSUME*1..2]->(:AwsRole) RETURN p"));
        JsonNode body = JSON.readTree(response.body());

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(body.get("graph").get("nodes").size() >= 2, response.body());
        JsonNode relationship = body.get("graph").get("relationships").get(0);
        assertEquals("CAN_ASSUME", relationship.get("type").asText());
        assertTrue(body.get("rows").get(0).get("p").has("relationships"));
    }

    @Test
    void keywordsInStringsAndComments_areAccepted() throws Exception {
        HttpResponse<String> response = post("/api/cypher", Map.of("query",
                "// CREATE (n) in a comment\nRETURN 'CALL dbms.listConfig() and LOAD CSV' AS text, 'USE system' AS other"));

        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void schemaProcedure_isAllowed() throws Exception {
        HttpResponse<String> response = post("/api/cypher", Map.of("query", "CALL db.labels() YIELD label RETURN label ORDER BY label"));

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("AwsRole"), response.body());
    }

    @Test
    void unlistedProcedure_rejectionListsAllowedOnesAsSpelt() throws Exception {
        HttpResponse<String> response = post("/api/cypher", Map.of("query", "CALL db.createLabel('Intruder')"));

        assertEquals(400, response.statusCode(), response.body());
        // The names must be usable as printed, in Neo4j's own spelling.
        assertTrue(response.body().contains("db.relationshipTypes"), response.body());
        assertTrue(response.body().contains("db.schema.nodeTypeProperties"), response.body());
    }

    @Test
    void syntaxError_isNamedWithNeo4jText() throws Exception {
        HttpResponse<String> response = post("/api/cypher", Map.of("query", "MATCH (n RETURN n"));

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("SyntaxError"), response.body());
        // The position counts in the analyst's text, not in the EXPLAIN that plans it first.
        assertTrue(response.body().contains("line 1, column 10 (offset: 9)"), response.body());
        assertFalse(response.body().contains("EXPLAIN"), response.body());
    }

    @Test
    void syntaxErrorOnSecondLine_caretUnderColumn() throws Exception {
        HttpResponse<String> response = post("/api/cypher", Map.of("query", "MATCH (n)\nRETURN n LIMT 5"));

        assertEquals(400, response.statusCode());
        String message = JSON.readTree(response.body()).get("message").asText();
        assertTrue(message.contains("line 2, column 10 (offset: 19)"), message);
        // The caret points at column 10 of the quoted line, one place further right for the opening quote.
        assertTrue(message.contains("\n" + " ".repeat(10) + "^"), message);
    }

    @Test
    void missingQuery_is400WithExample() throws Exception {
        HttpResponse<String> response = post("/api/cypher", Map.of("params", Map.of()));

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("\\\"query\\\""), response.body());
    }

    @Test
    void invalidJson_is400() throws Exception {
        HttpResponse<String> response = postRaw("/api/cypher", "{query:");

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("not valid JSON"), response.body());
    }

    @Test
    void maxRowsOverLimit_is400NamingTheRange() throws Exception {
        HttpResponse<String> response = cypher("RETURN 1", 5_000, 5);

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("1.." + CypherRoutes.MAX_ROWS_LIMIT), response.body());
    }

    @Test
    void readAccessMode_rejectsWriteWithoutTheGuard() {
        // The third layer on its own: a READ session rejects a write even when no check ran before it.
        try (Session session = SharedGraph.store().session(SessionConfig.builder().withDefaultAccessMode(AccessMode.READ).build())) {
            assertThrows(ClientException.class, () -> session.executeRead(tx -> tx.run("CREATE (n:Intruder)").consume()));
        }
        assertEquals(before, fingerprint());
    }

    @Test
    void savedQueries_areListed() throws Exception {
        JsonNode body = JSON.readTree(get("/api/queries").body());

        assertEquals(SavedQueries.bundled().names().size(), body.size());
        assertTrue(body.size() >= 25);
        JsonNode keys = find(body, "old-service-account-keys");
        assertEquals("days", keys.get("parameters").get(0).get("name").asText());
        assertEquals(90, keys.get("parameters").get(0).get("defaultValue").asInt());
        assertFalse(keys.get("limitations").asText().isBlank());
    }

    @Test
    void savedQuery_runsWithParameters() throws Exception {
        HttpResponse<String> response = post("/api/queries/who-can-reach", Map.of("params",
                Map.of("target", "arn:aws:iam::200611803367:role/privesc-AssumeRole-ending-role")));
        JsonNode body = JSON.readTree(response.body());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("who-can-reach", body.get("query").asText());
        assertTrue(response.body().contains("arn:aws:iam::200611803367:role/privesc-AssumeRole-intermediate-role"), response.body());
    }

    @Test
    void savedQuery_principalByName_resolvesToId() throws Exception {
        HttpResponse<String> response = post("/api/queries/who-can-reach", Map.of("params",
                Map.of("target", "privesc-AssumeRole-ending-role")));

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("arn:aws:iam::200611803367:role/privesc-AssumeRole-intermediate-role"), response.body());
    }

    @Test
    void savedQuery_unknownPrincipal_is400WithSimilarNames() throws Exception {
        HttpResponse<String> response = post("/api/queries/who-can-reach", Map.of("params",
                Map.of("target", "privesc-AssumeRole-ending")));

        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().contains("No principal privesc-AssumeRole-ending"), response.body());
        assertTrue(response.body().contains("privesc-AssumeRole-ending-role"), response.body());
    }

    @Test
    void savedQuery_missingParameterIs400() throws Exception {
        HttpResponse<String> response = postRaw("/api/queries/who-can-reach", "");

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("needs parameter target"), response.body());
    }

    @Test
    void unknownSavedQuery_is404ListingNames() throws Exception {
        HttpResponse<String> response = postRaw("/api/queries/nope", "{}");

        assertEquals(404, response.statusCode());
        assertTrue(response.body().contains("admin-equivalent-identities"), response.body());
    }

    /**
     * Returns a digest of the whole graph: every node's labels and properties, every relationship's type, ends and
     * properties, and the names of the indexes and constraints.
     */
    private static String fingerprint() {
        List<String> lines = new ArrayList<>(SharedGraph.store().read(tx -> tx.run("""
                MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS properties""")
                .list(r -> r.get("id").asString() + r.get("labels").asList() + r.get("properties").asMap())));
        lines.addAll(SharedGraph.store().read(tx -> tx.run("""
                MATCH (a)-[r]->(b) RETURN elementId(r) + type(r) + elementId(a) + elementId(b) AS id, properties(r) AS properties""")
                .list(r -> r.get("id").asString() + r.get("properties").asMap())));
        try (Session session = SharedGraph.store().session(SessionConfig.defaultConfig())) {
            lines.addAll(session.run("SHOW INDEXES YIELD name RETURN name").list(r -> "index " + r.get("name").asString()));
            lines.addAll(session.run("SHOW CONSTRAINTS YIELD name RETURN name").list(r -> "constraint " + r.get("name").asString()));
        }
        lines.sort(null);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            lines.forEach(line -> digest.update((line + "\n").getBytes(StandardCharsets.UTF_8)));
            return lines.size() + " items, sha-256 " + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String decode(String text) {
        Matcher matcher = ESCAPE.matcher(text.replace("\\n", "\n"));
        StringBuilder decoded = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(decoded, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(matcher.group(1), 16))));
        }
        matcher.appendTail(decoded);
        return decoded.toString();
    }

    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode entry : list) {
            if (entry.get("name").asText().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError("no saved query " + name + " in " + list);
    }

    private static HttpResponse<String> cypher(String query, int maxRows, int timeoutSeconds) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("query", query);
        body.put("maxRows", maxRows);
        body.put("timeoutSeconds", timeoutSeconds);
        return postRaw("/api/cypher", JSON.writeValueAsString(body));
    }

    private static HttpResponse<String> post(String path, Map<String, ?> body) throws IOException, InterruptedException {
        return postRaw(path, JSON.writeValueAsString(body));
    }

    private static HttpResponse<String> postRaw(String path, String body) throws IOException, InterruptedException {
        HttpRequest request = TestTokens.readRequest(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = TestTokens.readRequest(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
