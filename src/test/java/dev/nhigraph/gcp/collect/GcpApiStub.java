package dev.nhigraph.gcp.collect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Serves the facts of the gcloud export under src/test/resources/fixtures/gcp-collect/export through WireMock, in
 * the REST wire format of Resource Manager v3, Cloud Asset Inventory v1 and IAM v1.
 *
 * <p>The organization 111111111111 has folder 200 (engineering) with folder 300 (production) inside it; app-prod
 * is in folder 300, app-dev in folder 200 and shared-ids directly in the organization. Resource Manager v3 names a
 * project by its number and gives its parent as {@code folders/ID}, where gcloud's export uses v1's form, so those
 * responses are written here. The IAM policy search and app-prod's service accounts come in two pages each.
 */
public final class GcpApiStub {

    static final String ORGANIZATION = "organizations/111111111111";
    static final Path EXPORT = Path.of("src/test/resources/fixtures/gcp-collect/export");
    private static final ObjectMapper JSON = new ObjectMapper();

    private GcpApiStub() {
    }

    public static void serveExport(WireMockServer server) {
        serveHierarchy(server);
        serveAssetSearches(server);
        serveIam(server);
    }

    private static void serveHierarchy(WireMockServer server) {
        server.stubFor(get(urlPathEqualTo("/v3/" + ORGANIZATION)).willReturn(okJson("""
                {"name": "organizations/111111111111", "displayName": "example.com", "directoryCustomerId": "C01abcdef",
                 "state": "ACTIVE", "createTime": "2019-03-01T10:00:00Z"}""")));
        server.stubFor(listChildren("/v3/folders", ORGANIZATION).willReturn(okJson("""
                {"folders": [{"name": "folders/200", "parent": "organizations/111111111111", "displayName": "engineering",
                              "state": "ACTIVE", "createTime": "2020-01-01T00:00:00Z"}]}""")));
        server.stubFor(listChildren("/v3/folders", "folders/200").willReturn(okJson("""
                {"folders": [{"name": "folders/300", "parent": "folders/200", "displayName": "production",
                              "state": "ACTIVE", "createTime": "2020-01-02T00:00:00Z"}]}""")));
        server.stubFor(listChildren("/v3/folders", "folders/300").willReturn(okJson("{}")));
        server.stubFor(listChildren("/v3/projects", ORGANIZATION).willReturn(okJson(project("shared-ids", "100000000003",
                "organizations/111111111111", "2021-01-03"))));
        server.stubFor(listChildren("/v3/projects", "folders/200").willReturn(okJson(project("app-dev", "100000000002",
                "folders/200", "2021-01-02"))));
        server.stubFor(listChildren("/v3/projects", "folders/300").willReturn(okJson(project("app-prod", "100000000001",
                "folders/300", "2021-01-01"))));
    }

    private static String project(String id, String number, String parent, String day) {
        return """
                {"projects": [{"name": "projects/%s", "parent": "%s", "projectId": "%s", "state": "ACTIVE",
                               "displayName": "%s", "createTime": "%sT00:00:00Z"}]}""".formatted(number, parent, id, id, day);
    }

    private static MappingBuilder listChildren(String path, String parent) {
        return get(urlPathEqualTo(path)).withQueryParam("parent", equalTo(parent));
    }

    private static void serveAssetSearches(WireMockServer server) {
        ArrayNode policies = (ArrayNode) read("gcp/iam-policies.json");
        servePages(server, "/v1/" + ORGANIZATION + ":searchAllIamPolicies", "results", policies, 2);
        serveAll(server, "/v1/" + ORGANIZATION + ":searchAllResources", "results", read("gcp/resources.json"));
    }

    private static void serveIam(WireMockServer server) {
        servePages(server, "/v1/projects/app-prod/serviceAccounts", "accounts",
                (ArrayNode) read("gcp/service-accounts/app-prod.json"), 1);
        for (String project : new String[] {"app-dev", "shared-ids"}) {
            serveAll(server, "/v1/projects/" + project + "/serviceAccounts", "accounts",
                    read("gcp/service-accounts/" + project + ".json"));
        }
        server.stubFor(get(urlPathMatching("/v1/projects/[^/]+/serviceAccounts/[^/]+/keys")).willReturn(okJson("{}")));
        for (String email : new String[] {"deployer@app-prod.iam.gserviceaccount.com", "ci@app-dev.iam.gserviceaccount.com"}) {
            String project = email.substring(email.indexOf('@') + 1, email.indexOf('.'));
            String path = "/v1/projects/" + project + "/serviceAccounts/" + email + "/keys";
            server.stubFor(get(urlPathMatching(escapedAt(path))).willReturn(okJson(wrap("keys", read("gcp/keys/" + email + ".json")))));
        }
        serveAll(server, "/v1/projects/app-prod/roles", "roles", read("gcp/roles/projects-app-prod.json"));
        server.stubFor(get(urlPathEqualTo("/v1/projects/app-dev/roles")).willReturn(okJson("{}")));
        server.stubFor(get(urlPathEqualTo("/v1/projects/shared-ids/roles")).willReturn(okJson("{}")));
        serveAll(server, "/v1/" + ORGANIZATION + "/roles", "roles", read("gcp/roles/organizations-111111111111.json"));
    }

    /** Serves {@code items} in pages of {@code pageSize}, each but the last with a nextPageToken. */
    static void servePages(WireMockServer server, String path, String field, ArrayNode items, int pageSize) {
        for (int start = 0; start < items.size(); start += pageSize) {
            ArrayNode page = JSON.createArrayNode();
            for (int i = start; i < Math.min(items.size(), start + pageSize); i++) {
                page.add(items.get(i));
            }
            ObjectNode body = JSON.createObjectNode().set(field, page);
            if (start + pageSize < items.size()) {
                body.put("nextPageToken", "page-" + (start + pageSize));
            }
            // The first request sends an empty pageToken; the later pages' stubs are matched first.
            MappingBuilder request = start == 0 ? get(urlPathEqualTo(path))
                    : get(urlPathEqualTo(path)).withQueryParam("pageToken", equalTo("page-" + start)).atPriority(2);
            server.stubFor(request.willReturn(okJson(body.toString())));
        }
    }

    static void serveAll(WireMockServer server, String path, String field, JsonNode items) {
        server.stubFor(get(urlPathEqualTo(path)).willReturn(okJson(wrap(field, items))));
    }

    /** Fails every call to {@code path} with HTTP {@code status} and Google's JSON error body. */
    static void serveError(WireMockServer server, String pathRegex, int status, String grpcStatus, String message,
                           String reason) {
        String details = reason == null ? "" : """
                , "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "%s",
                               "domain": "googleapis.com"}]""".formatted(reason);
        String body = """
                {"error": {"code": %d, "message": "%s", "status": "%s"%s}}""".formatted(status, message, grpcStatus, details);
        server.stubFor(get(urlPathMatching(pathRegex)).atPriority(1).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    static String wrap(String field, JsonNode items) {
        return JSON.createObjectNode().set(field, items).toString();
    }

    static String escapedAt(String path) {
        return Pattern.quote(path).replace("@", "\\E(@|%40)\\Q");
    }

    static JsonNode read(String relative) {
        try {
            return JSON.readTree(Files.readString(EXPORT.resolve(relative)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
