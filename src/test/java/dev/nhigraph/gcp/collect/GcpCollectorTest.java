package dev.nhigraph.gcp.collect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.gcp.GcpInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collects from WireMock on 127.0.0.1, which serves the Google APIs' REST wire format, and reads the bundle back
 * with the offline gcloud readers. The clients get the WireMock URL and no credentials, so no test can reach
 * Google, Application Default Credentials or the metadata server.
 */
class GcpCollectorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WireMockServer server;

    @TempDir
    Path bundle;

    @BeforeEach
    void startServer() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        GcpApiStub.serveExport(server);
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    private GcpCollectSettings settings(String scope) {
        return GcpCollectSettings.of(scope, null, 4, "http://127.0.0.1:" + server.port())
                .withLimits(Duration.ofSeconds(2), 4, Duration.ofSeconds(20), Duration.ofMillis(50));
    }

    private GcpCollector.Result collect(String scope) {
        return new GcpCollector(settings(scope), stage -> { }, status -> { }).collect(bundle);
    }

    @Test
    void collect_equalsOfflineExport() throws IOException {
        GcpCollector.Result result = collect(GcpApiStub.ORGANIZATION);

        assertEquals(List.of(), result.gaps(), () -> "unmatched: " + server.findAllUnmatchedRequests());
        assertEquals(facts(inventory(GcpApiStub.EXPORT)), facts(inventory(bundle)));
        assertTrue(server.findAllUnmatchedRequests().isEmpty(), "requests no stub matched: " + server.findAllUnmatchedRequests());
    }

    @Test
    void collect_followsNextPageTokens() {
        GcpCollector.Result result = collect(GcpApiStub.ORGANIZATION);

        server.verify(2, getRequestedFor(urlPathEqualTo("/v1/" + GcpApiStub.ORGANIZATION + ":searchAllIamPolicies")));
        server.verify(2, getRequestedFor(urlPathEqualTo("/v1/projects/app-prod/serviceAccounts")));
        assertEquals(4, result.policies());
        assertEquals(4, result.serviceAccounts());
    }

    @Test
    void collect_walksNestedFolders() {
        GcpCollector.Result result = collect(GcpApiStub.ORGANIZATION);
        GcpInventory inventory = inventory(bundle);

        assertEquals(2, result.folders());
        assertEquals(3, result.projects());
        assertEquals("//cloudresourcemanager.googleapis.com/folders/200", parentOf(inventory, "//cloudresourcemanager.googleapis.com/folders/300"));
        assertEquals("//cloudresourcemanager.googleapis.com/folders/300", parentOf(inventory, "//cloudresourcemanager.googleapis.com/projects/app-prod"));
        assertEquals("//cloudresourcemanager.googleapis.com/organizations/111111111111",
                parentOf(inventory, "//cloudresourcemanager.googleapis.com/projects/shared-ids"));
    }

    @Test
    void collect_retriesAfterTooManyRequests() {
        String path = "/v1/" + GcpApiStub.ORGANIZATION + ":searchAllResources";
        server.stubFor(get(urlPathEqualTo(path)).inScenario("quota").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"code\": 429, \"message\": \"Quota exceeded\", \"status\": \"RESOURCE_EXHAUSTED\"}}"))
                .willSetStateTo("served"));
        server.stubFor(get(urlPathEqualTo(path)).inScenario("quota").whenScenarioStateIs("served")
                .willReturn(okJson(GcpApiStub.wrap("results", GcpApiStub.read("gcp/resources.json")))));

        GcpCollector.Result result = collect(GcpApiStub.ORGANIZATION);

        assertEquals(List.of(), result.gaps());
        assertEquals(1, result.retries());
        assertEquals(2, result.resources());
        server.verify(2, getRequestedFor(urlPathEqualTo(path)));
    }

    @Test
    void collect_retriesAfterServiceUnavailable() {
        String path = "/v3/folders";
        server.stubFor(get(urlPathEqualTo(path)).atPriority(1).inScenario("outage").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"code\": 503, \"message\": \"The service is unavailable.\", \"status\": \"UNAVAILABLE\"}}"))
                .willSetStateTo("recovered"));

        GcpCollector.Result result = collect(GcpApiStub.ORGANIZATION);

        assertEquals(List.of(), result.gaps());
        assertEquals(1, result.retries());
        assertEquals(2, result.folders());
        assertEquals(3, result.projects());
    }

    @Test
    void collect_givesUpOnThrottlingWithinBound() {
        GcpApiStub.serveError(server, "/v1/organizations/111111111111:searchAllResources", 429, "RESOURCE_EXHAUSTED",
                "Quota exceeded", null);

        GcpCollector.Result result = collect(GcpApiStub.ORGANIZATION);

        assertEquals(List.of("throttled"), reasons(result));
        server.verify(4, getRequestedFor(urlPathEqualTo("/v1/" + GcpApiStub.ORGANIZATION + ":searchAllResources")));
    }

    @Test
    void collect_recordsPermissionDeniedAndGoesOn() throws IOException {
        GcpApiStub.serveError(server, "/v1/projects/app-dev/serviceAccounts", 403, "PERMISSION_DENIED",
                "Permission 'iam.serviceAccounts.list' denied on resource (or it may not exist).", "IAM_PERMISSION_DENIED");

        GcpCollector.Result result = collect(GcpApiStub.ORGANIZATION);

        assertEquals(1, result.gaps().size());
        CollectionGap gap = result.gaps().get(0);
        assertEquals("projects/app-dev", gap.scope());
        assertEquals(GcpCall.LIST_SERVICE_ACCOUNTS, gap.call());
        assertEquals(CollectionGap.ACCESS_DENIED, gap.reason());
        assertEquals(3, result.serviceAccounts());
        assertEquals(3, result.projects());

        JsonNode file = JSON.readTree(bundle.resolve("collection-gaps.json").toFile());
        assertEquals("nhigraph collect gcp", file.path("collector").asText());
        assertTrue(file.path("startedAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        JsonNode written = file.path("collectionGaps").get(0);
        assertEquals("gcp", written.path("cloud").asText());
        assertEquals("projects/app-dev", written.path("scope").asText());
        assertEquals("iam", written.path("service").asText());
        assertEquals("ListServiceAccounts", written.path("call").asText());
        assertEquals("access-denied", written.path("reason").asText());
        assertTrue(written.path("message").asText().contains("iam.serviceAccounts.list"));
        assertFalse(written.has("region"));
    }

    @Test
    void collect_recordsApiNotEnabled() {
        GcpApiStub.serveError(server, "/v1/organizations/111111111111:search.*", 403, "PERMISSION_DENIED",
                "Cloud Asset API has not been used in project 100000000003 before or it is disabled.", "SERVICE_DISABLED");

        GcpCollector.Result result = collect(GcpApiStub.ORGANIZATION);

        assertEquals(List.of("not-enabled", "not-enabled"), reasons(result));
        assertEquals(Set.of(GcpCall.SEARCH_ALL_IAM_POLICIES, GcpCall.SEARCH_ALL_RESOURCES),
                result.gaps().stream().map(CollectionGap::call).collect(Collectors.toSet()));
        assertEquals(4, result.serviceAccounts());
    }

    @Test
    void collect_boundsCallThatTimesOut() {
        server.stubFor(get(urlPathEqualTo("/v1/projects/shared-ids/roles")).atPriority(1)
                .willReturn(okJson("{}").withFixedDelay(10_000)));

        long started = System.nanoTime();
        GcpCollector.Result result = collect(GcpApiStub.ORGANIZATION);
        long seconds = (System.nanoTime() - started) / 1_000_000_000;

        assertEquals(List.of("timeout"), reasons(result));
        assertEquals("projects/shared-ids", result.gaps().get(0).scope());
        assertTrue(seconds < 9, "collection took " + seconds + " s with a 2 s call timeout");
    }

    @Test
    void collect_folderScopeReadsOrganizationRoles() {
        server.stubFor(get(urlPathEqualTo("/v3/folders/200")).willReturn(okJson("""
                {"name": "folders/200", "parent": "organizations/111111111111", "displayName": "engineering",
                 "state": "ACTIVE"}""")));
        server.stubFor(get(urlPathEqualTo("/v1/folders/200:searchAllIamPolicies"))
                .willReturn(okJson(GcpApiStub.wrap("results", GcpApiStub.read("gcp/iam-policies.json")))));
        server.stubFor(get(urlPathEqualTo("/v1/folders/200:searchAllResources")).willReturn(okJson("{}")));

        GcpCollector.Result result = collect("folders/200");

        assertEquals(List.of(), result.gaps());
        assertEquals(2, result.folders());
        assertEquals(2, result.projects());
        assertEquals(3, result.customRoles());
        assertTrue(inventory(bundle).customRoles().stream()
                .anyMatch(role -> role.name().equals("organizations/111111111111/roles/secretAuditor")));
    }

    @Test
    void collect_projectScopeReadsOneProject() {
        server.stubFor(get(urlPathEqualTo("/v3/projects/app-prod")).willReturn(okJson("""
                {"name": "projects/100000000001", "parent": "folders/300", "projectId": "app-prod", "state": "ACTIVE"}""")));
        server.stubFor(get(urlPathEqualTo("/v1/projects/app-prod:searchAllIamPolicies")).willReturn(okJson("{}")));
        server.stubFor(get(urlPathEqualTo("/v1/projects/app-prod:searchAllResources")).willReturn(okJson("{}")));

        GcpCollector.Result result = collect("projects/app-prod");

        assertEquals(List.of(), result.gaps());
        assertEquals(1, result.projects());
        assertEquals(2, result.serviceAccounts());
        assertEquals(2, result.customRoles());
        assertEquals(2, result.keys());
    }

    @Test
    void collect_callsOnlyWhatTheRoleGrants() throws IOException {
        GcpCollector.Result result = collect(GcpApiStub.ORGANIZATION);

        Set<String> used = result.callsByMethod().entrySet().stream().filter(entry -> entry.getValue() > 0)
                .map(entry -> entry.getKey().permission()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> granted = CollectorRoleTest.grantedPermissions();
        assertTrue(granted.containsAll(used), "used but not granted: " + difference(used, granted));
        // Every request that reached the stub is one of the calls GcpCall lists, so none escaped the count above.
        assertTrue(server.findAllUnmatchedRequests().isEmpty());
        assertEquals(result.calls(), server.getAllServeEvents().size());
    }

    private static Set<String> difference(Set<String> left, Set<String> right) {
        Set<String> rest = new TreeSet<>(left);
        rest.removeAll(right);
        return rest;
    }

    private static List<String> reasons(GcpCollector.Result result) {
        return result.gaps().stream().map(CollectionGap::reason).toList();
    }

    static GcpInventory inventory(Path folder) {
        return LoadService.prepare(List.of(folder)).bundle().gcp();
    }

    private static String parentOf(GcpInventory inventory, String name) {
        return inventory.resources().stream().filter(resource -> resource.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in the bundle")).parent();
    }

    /** Returns every fact of the inventory as one line of JSON, without the file it came from, in sorted order. */
    static Set<String> facts(GcpInventory inventory) {
        List<Object> records = new ArrayList<>();
        records.addAll(inventory.resources());
        records.addAll(inventory.serviceAccounts());
        records.addAll(inventory.keys());
        records.addAll(inventory.customRoles());
        records.addAll(inventory.bindings());
        Set<String> facts = new TreeSet<>();
        for (Object record : records) {
            JsonNode tree = JSON.valueToTree(record);
            ((com.fasterxml.jackson.databind.node.ObjectNode) tree).remove("sourceFile");
            facts.add(record.getClass().getSimpleName() + " " + tree);
        }
        for (Iterator<String> numbers = inventory.projectNumbers().keySet().iterator(); numbers.hasNext(); ) {
            String number = numbers.next();
            facts.add("ProjectNumber " + number + "=" + inventory.projectNumbers().get(number));
        }
        return facts;
    }
}
