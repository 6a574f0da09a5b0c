package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.NhigraphException;
import dev.nhigraph.api.ApiServer;
import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.testsupport.SharedGraph;
import dev.nhigraph.testsupport.TestTokens;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A load stopped between the transaction that stores the files and the one that records the Snapshot, as Ctrl-C
 * stops it: readers reject the graph until a later load finishes.
 */
class UnfinishedLoadTest {

    private static final Path CROSS_ACCOUNT = Path.of("src/test/resources/fixtures/assume-cross-account.json");
    private static final String SAMPLE_ROLE = "arn:aws:iam::200611803367:role/privesc-high-priv-service-role";

    /** Thrown from the progress callback to stop a load where the command line's shutdown hook would. */
    private static final class StopLoad extends RuntimeException {
        StopLoad() {
            super("stopped for the test");
        }
    }

    @BeforeEach
    void loadCrossAccountFixture() {
        SharedGraph.resetAndLoad(CROSS_ACCOUNT);
    }

    @Test
    void stopBeforeStoring_leavesNoMarker() {
        LoadService service = new LoadService(SharedGraph.store());
        long usersBefore = countUsers();

        assertThrows(StopLoad.class, () -> service.load(List.of(SharedGraph.SAMPLE), stopAt("writing")));

        assertEquals(LoadService.Phase.NOT_STARTED, service.phase());
        assertNull(UnfinishedLoad.find(SharedGraph.store()));
        assertEquals(usersBefore, countUsers());
    }

    @Test
    void stopAfterStoring_leavesMarker() {
        LoadService service = new LoadService(SharedGraph.store());
        long usersBefore = countUsers();

        assertThrows(StopLoad.class, () -> service.load(List.of(SharedGraph.SAMPLE), stopAt("deriving")));

        UnfinishedLoad.Marker marker = UnfinishedLoad.find(SharedGraph.store());
        assertEquals(LoadService.Phase.DERIVING, service.phase());
        assertNotNull(marker);
        assertEquals(List.of(SharedGraph.SAMPLE.toString()), marker.files());
        assertEquals(usersBefore + 44, countUsers());
        assertEquals(0, SharedGraph.count("MATCH (s:Snapshot) WHERE s.files = [$file] RETURN count(s) AS c",
                "file", SharedGraph.SAMPLE.toString()));
    }

    @Test
    void unfinishedLoad_apiAnswers503() throws Exception {
        stopSampleLoadAfterStoring();

        try (ApiServer server = SharedGraph.startServer()) {
            URI address = URI.create("http://127.0.0.1:" + server.port() + "/api/blast-radius?id="
                    + URLEncoder.encode(SAMPLE_ROLE, StandardCharsets.UTF_8));
            HttpResponse<String> response = HttpClient.newHttpClient().send(TestTokens.readRequest(address).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(503, response.statusCode(), response.body());
            assertTrue(response.body().contains("has not finished"), response.body());
        }
    }

    @Test
    void unfinishedLoad_graphServiceRejects() {
        stopSampleLoadAfterStoring();
        GraphService graph = new GraphService(SharedGraph.store(), ActionCatalog.loadDefault());

        NhigraphException rejected = assertThrows(NhigraphException.class, () -> graph.blastRadius(SAMPLE_ROLE, 3));

        assertTrue(rejected.getMessage().contains("has not finished"), rejected.getMessage());
        assertTrue(rejected.getMessage().contains(SharedGraph.SAMPLE.toString()), rejected.getMessage());
    }

    @Test
    void sameLoadAgain_finishesAndClearsMarker() {
        stopSampleLoadAfterStoring();

        LoadResult result = new LoadService(SharedGraph.store()).load(List.of(SharedGraph.SAMPLE), stage -> { });

        assertNull(UnfinishedLoad.find(SharedGraph.store()));
        assertEquals(SharedGraph.count("MATCH ()-[e:CAN_ASSUME]->() RETURN count(e) AS c"), result.canAssume());
        assertTrue(result.warnings().stream().noneMatch(w -> w.contains("has not finished")), result.warnings().toString());
        GraphService graph = new GraphService(SharedGraph.store(), ActionCatalog.loadDefault());
        assertTrue(graph.blastRadius(SAMPLE_ROLE, 3).summary().admin());
    }

    @Test
    void otherLoadAfterwards_warnsAndDerivesAll() {
        stopSampleLoadAfterStoring();
        Path other = Path.of("src/test/resources/fixtures/assume-same-account.json");

        LoadResult result = new LoadService(SharedGraph.store()).load(List.of(other), stage -> { });

        assertNull(UnfinishedLoad.find(SharedGraph.store()));
        List<String> warned = result.warnings().stream().filter(w -> w.contains("has not finished")).toList();
        assertEquals(1, warned.size(), result.warnings().toString());
        assertTrue(warned.get(0).contains(SharedGraph.SAMPLE.toString()), warned.get(0));
        // Derivation covers the whole graph, so the sample's roles get their CAN_ASSUME edges from this load.
        assertTrue(SharedGraph.count("MATCH (:Principal)-[e:CAN_ASSUME]->(:AwsRole {account: '200611803367'})"
                + " RETURN count(e) AS c") > 0);
    }

    private static long countUsers() {
        return SharedGraph.count("MATCH (u:AwsUser) RETURN count(u) AS c");
    }

    private static void stopSampleLoadAfterStoring() {
        assertThrows(StopLoad.class, () -> new LoadService(SharedGraph.store())
                .load(List.of(SharedGraph.SAMPLE), stopAt("deriving")));
    }

    /** Returns a progress callback that stops the load when a stage starting with {@code prefix} begins. */
    private static java.util.function.Consumer<String> stopAt(String prefix) {
        return stage -> {
            if (stage.startsWith(prefix)) {
                throw new StopLoad();
            }
        };
    }
}
