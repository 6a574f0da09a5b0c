package dev.nhigraph.gcp.collect;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Times a collection of a WireMock organization with {@code PROJECTS} projects in {@code FOLDERS} folders and
 * {@code ACCOUNTS_PER_PROJECT} service accounts per project, each account with one user-managed key. Runs only with
 * {@code -Dnhigraph.bench.collect=true}; docs/benchmarks.md has the command and the results.
 */
@EnabledIfSystemProperty(named = "nhigraph.bench.collect", matches = "true")
class GcpCollectorBenchmark {

    private static final int FOLDERS = 10;
    private static final int PROJECTS = 200;
    private static final int ACCOUNTS_PER_PROJECT = 40;
    private static final String ORGANIZATION = "organizations/900000000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path bundle;

    @Test
    void collectOrganization() {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(16).disableRequestJournal());
        server.start();
        try {
            serve(server);
            int parallelism = Integer.getInteger("nhigraph.bench.parallelism", GcpCollectSettings.DEFAULT_PARALLELISM);
            GcpCollectSettings settings = GcpCollectSettings.of(ORGANIZATION, null, parallelism,
                    "http://127.0.0.1:" + server.port());

            GcpCollector.Result result = new GcpCollector(settings, stage -> { }, status -> { }).collect(bundle);

            assertEquals(List.of(), result.gaps());
            assertEquals(PROJECTS, result.projects());
            assertEquals(PROJECTS * ACCOUNTS_PER_PROJECT, result.serviceAccounts());
            assertEquals(PROJECTS * ACCOUNTS_PER_PROJECT, GcpCollectorTest.inventory(bundle).keys().size());
            System.out.printf("parallelism %d: %d calls in %.1f s, %.0f calls/s; %s%n", parallelism, result.calls(),
                    result.millis() / 1000.0, result.calls() * 1000.0 / result.millis(), result.summaryLine());
        } finally {
            server.stop();
        }
    }

    private static void serve(WireMockServer server) {
        server.stubFor(get(urlPathEqualTo("/v3/" + ORGANIZATION)).willReturn(okJson(
                "{\"name\": \"" + ORGANIZATION + "\", \"displayName\": \"bench.example\", \"state\": \"ACTIVE\"}")));
        ArrayNode folders = JSON.createArrayNode();
        for (int f = 0; f < FOLDERS; f++) {
            folders.addObject().put("name", "folders/" + (100 + f)).put("parent", ORGANIZATION)
                    .put("displayName", "folder-" + f).put("state", "ACTIVE");
            ArrayNode projects = JSON.createArrayNode();
            for (int p = f; p < PROJECTS; p += FOLDERS) {
                projects.addObject().put("name", "projects/" + (500000 + p)).put("parent", "folders/" + (100 + f))
                        .put("projectId", project(p)).put("state", "ACTIVE");
                serveProject(server, p);
            }
            children(server, "/v3/projects", "folders/" + (100 + f), "projects", projects);
            children(server, "/v3/folders", "folders/" + (100 + f), "folders", JSON.createArrayNode());
        }
        children(server, "/v3/folders", ORGANIZATION, "folders", folders);
        children(server, "/v3/projects", ORGANIZATION, "projects", JSON.createArrayNode());
        server.stubFor(get(urlPathEqualTo("/v1/" + ORGANIZATION + "/roles")).willReturn(okJson("{}")));
        server.stubFor(get(urlPathMatching("/v1/projects/[^/]+/roles")).willReturn(okJson("{}")));
        server.stubFor(get(urlPathMatching("/v1/projects/[^/]+/serviceAccounts/[^/]+/keys")).willReturn(okJson("""
                {"keys": [{"name": "projects/{{request.path.[2]}}/serviceAccounts/{{request.path.[4]}}/keys/0123456789abcdef",
                           "keyType": "USER_MANAGED", "keyOrigin": "GOOGLE_PROVIDED",
                           "validAfterTime": "2025-01-01T00:00:00Z", "validBeforeTime": "9999-12-31T23:59:59Z"}]}""")
                .withTransformers("response-template")));
        servePolicies(server);
        server.stubFor(get(urlPathEqualTo("/v1/" + ORGANIZATION + ":searchAllResources")).willReturn(okJson("{}")));
    }

    private static void serveProject(WireMockServer server, int p) {
        ArrayNode accounts = JSON.createArrayNode();
        for (int a = 0; a < ACCOUNTS_PER_PROJECT; a++) {
            String email = "sa-" + a + "@" + project(p) + ".iam.gserviceaccount.com";
            accounts.addObject().put("name", "projects/" + project(p) + "/serviceAccounts/" + email)
                    .put("projectId", project(p)).put("uniqueId", String.valueOf(100000000L * p + a)).put("email", email);
        }
        server.stubFor(get(urlPathEqualTo("/v1/projects/" + project(p) + "/serviceAccounts"))
                .willReturn(okJson(GcpApiStub.wrap("accounts", accounts))));
    }

    /** Serves one policy per project that lets the project's first account act as every other, 100 results a page. */
    private static void servePolicies(WireMockServer server) {
        ArrayNode results = JSON.createArrayNode();
        for (int p = 0; p < PROJECTS; p++) {
            var result = results.addObject();
            result.put("resource", "//cloudresourcemanager.googleapis.com/projects/" + project(p))
                    .put("project", "projects/" + (500000 + p)).put("organization", ORGANIZATION);
            result.putObject("policy").putArray("bindings").addObject().put("role", "roles/iam.serviceAccountUser")
                    .putArray("members").add("serviceAccount:sa-0@" + project(p) + ".iam.gserviceaccount.com");
        }
        GcpApiStub.servePages(server, "/v1/" + ORGANIZATION + ":searchAllIamPolicies", "results", results, 100);
    }

    private static void children(WireMockServer server, String path, String parent, String field, ArrayNode items) {
        server.stubFor(get(urlPathEqualTo(path)).withQueryParam("parent", equalTo(parent))
                .willReturn(okJson(GcpApiStub.wrap(field, items))));
    }

    private static String project(int p) {
        return String.format("bench-project-%03d", p);
    }
}
