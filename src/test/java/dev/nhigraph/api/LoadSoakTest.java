package dev.nhigraph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.policy.PolicyDocuments;
import dev.nhigraph.testsupport.SharedGraph;
import dev.nhigraph.testsupport.TestTokens;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent clients on 127.0.0.1 request blast radius, paths and access decisions while a load writes into the
 * same database. Every response must be a 200 and equal either the response before the load or the one after it:
 * an error, or a response from a graph that is neither, fails the test.
 *
 * <p>The load gives one sample user an inline policy that allows everything, so that user's answers change, and
 * another principal's stay the same. Clients are bounded: {@value #CLIENTS} threads, each until the load has
 * finished and {@value #AFTER_LOAD_MILLIS} ms more, and never longer than {@value #MAX_SOAK_SECONDS} s.
 */
class LoadSoakTest {

    private static final int CLIENTS = 8;
    private static final long AFTER_LOAD_MILLIS = 2_000;
    private static final long MAX_SOAK_SECONDS = 120;
    private static final String CHANGED_USER = "arn:aws:iam::200611803367:user/fp4-nonExploitableResourceConstraint-user";
    private static final String UNCHANGED_ROLE = "arn:aws:iam::200611803367:role/privesc-high-priv-service-role";

    @TempDir
    Path work;

    @Test
    void readsDuringLoad_seeOneSnapshotOrTheOther() throws Exception {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        Path grant = writeGrantAll(work.resolve("grant-all.json"));
        List<String> paths = List.of(
                "/api/blast-radius?id=" + encode(CHANGED_USER),
                "/api/paths?from=" + encode(CHANGED_USER) + "&to=admin",
                "/api/can?principal=" + encode(CHANGED_USER) + "&action=iam:CreateUser&resource=*",
                "/api/blast-radius?id=" + encode(UNCHANGED_ROLE),
                "/api/paths?to=admin&limit=20");

        // Eight clients on one address would meet the per-client rate limit, which this test is not about.
        try (ApiServer server = SharedGraph.startServer(ServerLimits.defaults().withRequestsPerMinute(1_000_000))) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String base = "http://127.0.0.1:" + server.port();
            List<String> before = new ArrayList<>();
            for (String path : paths) {
                before.add(fetch(client, base + path));
            }

            AtomicBoolean loading = new AtomicBoolean(true);
            AtomicInteger servedDuringLoad = new AtomicInteger();
            AtomicInteger served = new AtomicInteger();
            Map<String, Integer> failures = new ConcurrentHashMap<>();
            List<Map<String, Integer>> seen = new ArrayList<>();
            paths.forEach(path -> seen.add(new ConcurrentHashMap<>()));
            // 0 until the load has ended, then the time it ended.
            AtomicLong loadEnded = new AtomicLong();
            long deadline = System.currentTimeMillis() + MAX_SOAK_SECONDS * 1_000;

            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> running = new ArrayList<>();
            for (int thread = 0; thread < CLIENTS; thread++) {
                int offset = thread;
                running.add(clients.submit(() -> {
                    for (int request = offset; ; request++) {
                        long now = System.currentTimeMillis();
                        long ended = loadEnded.get();
                        if (now > deadline || ended != 0 && now > ended + AFTER_LOAD_MILLIS) {
                            return null;
                        }
                        boolean duringLoad = loading.get();
                        int index = request % paths.size();
                        HttpResponse<String> response = client.send(TestTokens.readRequest(URI.create(base + paths.get(index)))
                                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
                        served.incrementAndGet();
                        if (duringLoad && loading.get()) {
                            servedDuringLoad.incrementAndGet();
                        }
                        if (response.statusCode() != 200) {
                            failures.merge(paths.get(index) + " -> " + response.statusCode() + " " + response.body(), 1,
                                    Integer::sum);
                        } else {
                            seen.get(index).merge(normalise(response.body()), 1, Integer::sum);
                        }
                    }
                }));
            }

            long loadStarted = System.nanoTime();
            new LoadService(SharedGraph.store()).load(List.of(grant), stage -> { });
            long loadMillis = (System.nanoTime() - loadStarted) / 1_000_000;
            loading.set(false);
            loadEnded.set(System.currentTimeMillis());
            for (Future<?> future : running) {
                future.get();
            }
            clients.shutdown();

            List<String> after = new ArrayList<>();
            for (String path : paths) {
                after.add(fetch(client, base + path));
            }

            System.out.println("LoadSoakTest: " + CLIENTS + " clients, " + served.get() + " requests served, "
                    + servedDuringLoad.get() + " of them while a load of " + loadMillis + " ms wrote");
            assertEquals(Map.of(), failures, "requests that failed during the soak");
            assertTrue(servedDuringLoad.get() > 0, "no request was served while the load wrote");
            assertNotEquals(before.get(2), after.get(2), "the load did not change the user's access decision");
            assertEquals(before.get(3), after.get(3), "the load changed the answer for a principal it did not touch");
            for (int index = 0; index < paths.size(); index++) {
                for (String body : seen.get(index).keySet()) {
                    boolean known = body.equals(before.get(index)) || body.equals(after.get(index));
                    assertTrue(known, paths.get(index) + " returned an answer of neither snapshot: "
                            + body.substring(0, Math.min(body.length(), 500)));
                }
            }
            assertNull(dev.nhigraph.analysis.UnfinishedLoad.find(SharedGraph.store()));
        }
    }

    /**
     * Writes a newer export of the sample's accounts in which the user has an inline policy that allows everything.
     * It is the whole export, as `aws iam get-account-authorization-details` gives it, because a load deletes the
     * stored principals that an account's export no longer lists.
     */
    private static Path writeGrantAll(Path file) throws Exception {
        ObjectNode export = (ObjectNode) PolicyDocuments.JSON.readTree(Files.readString(SharedGraph.SAMPLE));
        ObjectNode user = null;
        for (JsonNode candidate : export.path("UserDetailList")) {
            if (CHANGED_USER.equals(candidate.path("Arn").asText())) {
                user = (ObjectNode) candidate;
            }
        }
        ObjectNode statement = PolicyDocuments.JSON.createObjectNode().put("Effect", "Allow").put("Action", "*")
                .put("Resource", "*");
        ObjectNode document = PolicyDocuments.JSON.createObjectNode().put("Version", "2012-10-17");
        document.putArray("Statement").add(statement);
        ArrayNode inline = user.withArray("UserPolicyList");
        inline.addObject().put("PolicyName", "grant-all").set("PolicyDocument", document);
        Files.writeString(file, export.toString());
        return file;
    }

    private static String fetch(HttpClient client, String uri) throws Exception {
        HttpResponse<String> response = client.send(TestTokens.readRequest(URI.create(uri)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), uri + ": " + response.body());
        return normalise(response.body());
    }

    /** Returns the body without the fields that differ between two requests on one graph: timings and request ids. */
    private static String normalise(String body) {
        return body.replaceAll("\"(millis|elapsedMillis|tookMillis|requestId)\":\"?[^,}\"]*\"?", "\"$1\":0");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
