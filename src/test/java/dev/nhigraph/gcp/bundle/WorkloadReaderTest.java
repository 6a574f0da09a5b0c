package dev.nhigraph.gcp.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.aws.IamModel.SkippedItem;
import dev.nhigraph.aws.bundle.BundleReader;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpInventory.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading of the instance, function and Cloud Run service lists. The samples follow the Compute Engine v1
 * Instance, Cloud Functions v1 CloudFunction and v2 Function, and Cloud Run v1 (Knative) and v2 Service references;
 * the file names carry no meaning, because files are recognised by content only.
 */
class WorkloadReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String INSTANCE = """
            {
              "name": "web-1",
              "zone": "https://www.googleapis.com/compute/v1/projects/shop-prod/zones/us-central1-a",
              "selfLink": "https://www.googleapis.com/compute/v1/projects/shop-prod/zones/us-central1-a/instances/web-1",
              "serviceAccounts": [{"email": "web@shop-prod.iam.gserviceaccount.com", "scopes": []}]
            }
            """;
    private static final String FUNCTION_V1 = """
            {
              "name": "projects/shop-prod/locations/us-central1/functions/resize",
              "httpsTrigger": {"url": "https://us-central1-shop-prod.cloudfunctions.net/resize"},
              "serviceAccountEmail": "shop-prod@appspot.gserviceaccount.com",
              "environmentVariables": {"TOKEN": "hidden"}
            }
            """;
    private static final String FUNCTION_V2 = """
            {
              "name": "projects/shop-prod/locations/us-central1/functions/thumbs",
              "environment": "GEN_2",
              "serviceConfig": {"serviceAccountEmail": "thumbs@shop-prod.iam.gserviceaccount.com"}
            }
            """;
    private static final String KNATIVE_SERVICE = """
            {
              "apiVersion": "serving.knative.dev/v1",
              "kind": "Service",
              "metadata": {"name": "api", "namespace": "555566667777", "labels": {"cloud.googleapis.com/location": "us-central1"}},
              "spec": {"template": {"spec": {"serviceAccountName": "api@shop-prod.iam.gserviceaccount.com"}}}
            }
            """;
    private static final String V2_SERVICE = """
            {
              "name": "projects/shop-prod/locations/us-central1/services/worker",
              "template": {"serviceAccount": "worker@shop-prod.iam.gserviceaccount.com", "containers": []}
            }
            """;

    @TempDir
    Path dir;

    @Test
    void recognise_eachWorkloadListByContent() throws IOException {
        assertEquals(GcloudFileKind.INSTANCE_LIST, kindOf("[" + INSTANCE + "]"));
        assertEquals(GcloudFileKind.INSTANCE_LIST, kindOf("[{\"kind\": \"compute#instance\", \"name\": \"x\"}]"));
        assertEquals(GcloudFileKind.FUNCTION_LIST, kindOf("[" + FUNCTION_V1 + "]"));
        assertEquals(GcloudFileKind.FUNCTION_LIST, kindOf("[" + FUNCTION_V2 + "]"));
        assertEquals(GcloudFileKind.RUN_SERVICE_LIST, kindOf("[" + KNATIVE_SERVICE + "]"));
        assertEquals(GcloudFileKind.RUN_SERVICE_LIST, kindOf("[" + V2_SERVICE + "]"));
        // A describe output is one object, which is not read yet.
        assertNull(kindOf(INSTANCE));
    }

    @Test
    void instanceList_givesResourceAndAccount() throws IOException {
        write("x.json", "[" + INSTANCE + "]");

        GcpInventory gcp = read();

        String name = "//compute.googleapis.com/projects/shop-prod/zones/us-central1-a/instances/web-1";
        Resource vm = resource(gcp, name);
        assertEquals("compute.googleapis.com/Instance", vm.assetType());
        assertEquals("//cloudresourcemanager.googleapis.com/projects/shop-prod", vm.parent());
        assertEquals("shop-prod", vm.projectId());
        assertEquals(Map.of(name, List.of("web@shop-prod.iam.gserviceaccount.com")), gcp.runsAs());
    }

    @Test
    void functionList_readsBothGenerations() throws IOException {
        write("y.json", "[" + FUNCTION_V1 + "," + FUNCTION_V2 + "]");

        GcpInventory gcp = read();

        String resize = "//cloudfunctions.googleapis.com/projects/shop-prod/locations/us-central1/functions/resize";
        String thumbs = "//cloudfunctions.googleapis.com/projects/shop-prod/locations/us-central1/functions/thumbs";
        assertEquals(List.of("shop-prod@appspot.gserviceaccount.com"), gcp.runsAs().get(resize));
        assertEquals(List.of("thumbs@shop-prod.iam.gserviceaccount.com"), gcp.runsAs().get(thumbs));
        assertEquals("cloudfunctions.googleapis.com/CloudFunction", resource(gcp, resize).assetType());
        assertEquals("cloudfunctions.googleapis.com/Function", resource(gcp, thumbs).assetType());
        assertFalse(gcp.toString().contains("hidden"), "an environment variable was read");
    }

    @Test
    void runServiceNamespace_mapsToProjectId() throws IOException {
        write("z.json", "[" + KNATIVE_SERVICE + "," + V2_SERVICE + "]");
        write("p.json", "[{\"projectId\": \"shop-prod\", \"projectNumber\": \"555566667777\", \"lifecycleState\": \"ACTIVE\"}]");

        GcpInventory gcp = read();

        assertEquals(List.of("api@shop-prod.iam.gserviceaccount.com"),
                gcp.runsAs().get("//run.googleapis.com/projects/shop-prod/locations/us-central1/services/api"));
        assertEquals(List.of("worker@shop-prod.iam.gserviceaccount.com"),
                gcp.runsAs().get("//run.googleapis.com/projects/shop-prod/locations/us-central1/services/worker"));
    }

    @Test
    void resourceSearchTypeWinsOverFunctionList() throws IOException {
        write("a.json", """
                [{"name": "//cloudfunctions.googleapis.com/projects/shop-prod/locations/us-central1/functions/resize",
                  "assetType": "cloudfunctions.googleapis.com/Function", "project": "projects/555566667777"}]
                """);
        write("b.json", "[" + FUNCTION_V1 + "]");

        GcpInventory gcp = read();

        String resize = "//cloudfunctions.googleapis.com/projects/shop-prod/locations/us-central1/functions/resize";
        assertEquals("cloudfunctions.googleapis.com/Function", resource(gcp, resize).assetType());
        assertTrue(gcp.warnings().stream().noneMatch(w -> w.contains("asset type")), gcp.warnings().toString());
    }

    @Test
    void instanceWithoutAccounts_runsAsNone() throws IOException {
        write("x.json", """
                [{"kind": "compute#instance", "name": "batch",
                  "zone": "https://www.googleapis.com/compute/v1/projects/shop-prod/zones/us-central1-a"}]
                """);

        GcpInventory gcp = read();

        assertEquals(Map.of("//compute.googleapis.com/projects/shop-prod/zones/us-central1-a/instances/batch", List.of()),
                gcp.runsAs());
    }

    @Test
    void badInstanceItems_areSkipped() throws IOException {
        Path file = write("x.json", """
                [
                  %s,
                  "not an instance",
                  {"kind": "compute#instance", "name": "no-zone"},
                  {"kind": "compute#instance", "name": "odd",
                   "selfLink": "https://www.googleapis.com/compute/v1/projects/shop-prod/zones/us-central1-a/instances/odd",
                   "serviceAccounts": {"email": "a@shop-prod.iam.gserviceaccount.com"}},
                  {"kind": "compute#instance", "name": "blank",
                   "selfLink": "https://www.googleapis.com/compute/v1/projects/shop-prod/zones/us-central1-a/instances/blank",
                   "serviceAccounts": [{"scopes": []}]}
                ]
                """.formatted(INSTANCE));

        GcpInventory gcp = read();

        assertTrue(skipped(gcp, file, "[1]").reason().contains("no selfLink"), gcp.skipped().toString());
        assertTrue(skipped(gcp, file, "[2]").reason().contains("gcloud compute instances list"), gcp.skipped().toString());
        String odd = "//compute.googleapis.com/projects/shop-prod/zones/us-central1-a/instances/odd";
        String blank = "//compute.googleapis.com/projects/shop-prod/zones/us-central1-a/instances/blank";
        assertTrue(skipped(gcp, file, "serviceAccounts of " + odd).reason().contains("not a list"), gcp.skipped().toString());
        assertTrue(skipped(gcp, file, "serviceAccounts[0] of " + blank).reason().contains("no email"), gcp.skipped().toString());
        // The malformed instances are still resources, of unknown account; the good one keeps its account.
        assertEquals("compute.googleapis.com/Instance", resource(gcp, odd).assetType());
        assertFalse(gcp.runsAs().containsKey(odd));
        assertFalse(gcp.runsAs().containsKey(blank));
        assertEquals(1, gcp.runsAs().size(), gcp.runsAs().toString());
    }

    @Test
    void badFunctionAndServiceItems_areSkipped() throws IOException {
        Path functions = write("f.json", "[" + FUNCTION_V2 + ", {\"name\": \"projects/shop-prod/locations/us-central1/functions\"}]");
        Path services = write("s.json", """
                [
                  {"apiVersion": "serving.knative.dev/v1", "kind": "Service",
                   "metadata": {"name": "api", "namespace": "shop-prod"}}
                ]
                """);

        GcpInventory gcp = read();

        assertTrue(skipped(gcp, functions, "[1]").reason().contains("projects/PROJECT/locations/LOCATION/functions/NAME"),
                gcp.skipped().toString());
        assertTrue(skipped(gcp, services, "[0] (api)").reason().contains("cloud.googleapis.com/location"),
                gcp.skipped().toString());
        assertEquals(1, gcp.runsAs().size(), gcp.runsAs().toString());
    }

    @Test
    void conflictingAccountsAcrossFiles_keepFirstAndWarn() throws IOException {
        write("a.json", "[" + INSTANCE + "]");
        write("b.json", "[" + INSTANCE.replace("web@", "other@") + "]");

        GcpInventory gcp = read();

        String name = "//compute.googleapis.com/projects/shop-prod/zones/us-central1-a/instances/web-1";
        assertEquals(List.of("web@shop-prod.iam.gserviceaccount.com"), gcp.runsAs().get(name));
        assertTrue(gcp.warnings().stream().anyMatch(w -> w.startsWith(name + " runs as web@")), gcp.warnings().toString());
    }

    private static GcloudFileKind kindOf(String json) throws IOException {
        return GcloudFileKind.recognise(JSON.readTree(json));
    }

    private GcpInventory read() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return BundleReader.read(files.sorted().toList()).gcp();
        }
    }

    private Path write(String name, String json) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, json);
        return file;
    }

    private static SkippedItem skipped(GcpInventory gcp, Path file, String item) {
        return gcp.skipped().stream().filter(s -> s.file().equals(file.toString()) && s.item().equals(item)).findFirst()
                .orElseThrow(() -> new AssertionError("no skipped item " + item + " of " + file + " in " + gcp.skipped()));
    }

    private static Resource resource(GcpInventory gcp, String name) {
        return gcp.resources().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + gcp.resources()));
    }
}
