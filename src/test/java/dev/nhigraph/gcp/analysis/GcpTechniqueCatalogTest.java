package dev.nhigraph.gcp.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GcpTechniqueCatalogTest {

    private static final String RHINO = "/corpus/gcp/rhino/gcp-privesc-methods.json";
    private static final String LAB = "/corpus/gcp/iam-vulnerable-gcp/paths.json";

    private static JsonNode read(String resource) throws IOException {
        try (InputStream in = GcpTechniqueCatalogTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, "test resource " + resource + " is missing");
            return new ObjectMapper().readTree(in);
        }
    }

    private static GcpTechniqueCatalog parse(String json) throws IOException {
        return GcpTechniqueCatalog.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                PredefinedPermissions.load());
    }

    @Test
    void shippedCatalogueLoads() {
        GcpTechniqueCatalog catalog = GcpTechniqueCatalog.loadDefault();

        assertEquals(59, catalog.size());
        assertEquals("credential", catalog.find("gcp-001").orElseThrow().category());
    }

    @Test
    void everyPermissionIsPredefinedOrNoted() throws IOException {
        Set<String> known = PredefinedPermissions.load();
        List<String> unknown = new ArrayList<>();
        for (GcpTechnique technique : GcpTechniqueCatalog.loadDefault().all()) {
            for (GcpTechnique.Requirement requirement : technique.requires()) {
                if (!known.contains(requirement.permission()) && requirement.catalogueNote() == null) {
                    unknown.add(technique.id() + " " + requirement.permission());
                }
            }
        }

        assertEquals(List.of(), unknown);
    }

    @Test
    void everyRhinoScannerMethodCovered() throws IOException {
        Set<String> covered = new HashSet<>();
        GcpTechniqueCatalog.loadDefault().all().forEach(t -> covered.addAll(t.covers().rhinoScanner()));
        List<String> missing = new ArrayList<>();
        read(RHINO).path("scanner_methods").forEach(m -> {
            if (!covered.contains(m.path("name").asText())) {
                missing.add(m.path("name").asText());
            }
        });

        assertEquals(List.of(), missing);
        assertEquals(23, read(RHINO).path("scanner_methods").size());
    }

    @Test
    void everyRhinoReadmeMethodCovered() throws IOException {
        Set<String> covered = new HashSet<>();
        GcpTechniqueCatalog.loadDefault().all().forEach(t -> covered.addAll(t.covers().rhinoReadme()));
        List<String> missing = new ArrayList<>();
        read(RHINO).path("readme_methods_in_order").forEach(m -> {
            if (!covered.contains(m.asText())) {
                missing.add(m.asText());
            }
        });

        assertEquals(List.of(), missing);
    }

    @Test
    void rhinoScannerPermissionsRequiredOrExplained() throws IOException {
        // Each scanner method's permissions are either required by a covering technique or named in its note, with
        // Rhino's misspelt iam.serviceaccounts.actAs read as iam.serviceAccounts.actAs.
        GcpTechniqueCatalog catalog = GcpTechniqueCatalog.loadDefault();
        List<String> unexplained = new ArrayList<>();
        for (JsonNode method : read(RHINO).path("scanner_methods")) {
            String name = method.path("name").asText();
            List<GcpTechnique> covering = catalog.all().stream()
                    .filter(t -> t.covers().rhinoScanner().contains(name)).toList();
            for (JsonNode permission : method.path("required_permissions")) {
                String spelled = permission.asText().replace("iam.serviceaccounts.", "iam.serviceAccounts.");
                boolean explained = covering.stream().anyMatch(t -> t.requires().stream()
                        .anyMatch(r -> r.permission().equals(spelled)) || t.note().contains(spelled)
                        || t.preconditions().stream().anyMatch(p -> p.contains(spelled)));
                if (!explained) {
                    unexplained.add(name + " " + spelled);
                }
            }
        }

        assertEquals(List.of(), unexplained);
    }

    @Test
    void everyLabPathCovered() throws IOException {
        Set<String> covered = new HashSet<>();
        GcpTechniqueCatalog.loadDefault().all().forEach(t -> covered.addAll(t.covers().iamVulnerableGcp()));
        List<String> missing = new ArrayList<>();
        read(LAB).path("paths").forEach(p -> {
            if (!covered.contains(p.path("id").asText())) {
                missing.add(p.path("id").asText());
            }
        });

        assertEquals(List.of(), missing);
        assertEquals(56, read(LAB).path("paths").size());
    }

    @Test
    void labToolTestsCoveredExceptActAsAlone() throws IOException {
        Set<String> covered = new HashSet<>();
        GcpTechniqueCatalog.loadDefault().all().forEach(t -> covered.addAll(t.covers().iamVulnerableGcpToolTesting()));
        List<String> missing = new ArrayList<>();
        read(LAB).path("tool_testing").forEach(p -> {
            if (!covered.contains(p.path("id").asText())) {
                missing.add(p.path("id").asText());
            }
        });

        // fn2 and fp4 hold only actAs, which is no technique by itself.
        assertEquals(List.of("fn2", "fp4"), missing);
    }

    @Test
    void derivableTechniquesNameEdgeOrAdmin() {
        for (GcpTechnique technique : GcpTechniqueCatalog.loadDefault().all()) {
            boolean admin = technique.category().equals("scope-policy");
            boolean listed = technique.category().equals("listed");
            assertEquals(admin || listed, technique.edgeKind() == null, technique.id() + " edgeKind");
        }
    }

    @Test
    void unknownPermissionWithoutNoteRejected() {
        String json = """
                {"techniques": [{"id": "gcp-900", "name": "n", "category": "credential",
                  "requires": [{"permission": "iam.serviceAccounts.mintEverything", "on": "target"}],
                  "outcome": "impersonate", "edgeKind": "CAN_IMPERSONATE",
                  "sources": [{"title": "t", "url": "https://example.com"}], "note": "n"}]}""";

        IOException error = assertThrows(IOException.class, () -> parse(json));

        assertTrue(error.getMessage().contains("technique gcp-900: permission iam.serviceAccounts.mintEverything is in no"
                + " predefined role"), error.getMessage());
    }

    @Test
    void unknownPermissionWithNoteAccepted() throws IOException {
        String json = """
                {"techniques": [{"id": "gcp-900", "name": "n", "category": "listed",
                  "requires": [{"permission": "serviceusage.apiKeys.create", "on": "scope",
                                "catalogueNote": "an older name of apikeys.keys.create"}],
                  "outcome": "api-key-only", "edgeKind": null,
                  "sources": [{"title": "t", "url": "https://example.com"}], "note": "n"}]}""";

        assertEquals(1, parse(json).size());
    }

    @Test
    void invalidEntriesListedWithIds() {
        String json = """
                {"techniques": [
                  {"id": "gcp-901", "name": "n", "category": "magic", "requires": [{"permission": "iam.roles.update",
                   "on": "target"}], "outcome": "admin", "sources": [], "note": "n"},
                  {"id": "gcp-901", "name": "n", "category": "listed", "requires": [{"permission": "iam.roles.update",
                   "on": "nowhere"}], "outcome": "admin", "sources": [{"title": "t", "url": "http://x"}], "note": "n"}
                ]}""";

        IOException error = assertThrows(IOException.class, () -> parse(json));

        assertTrue(error.getMessage().contains("technique gcp-901: category \"magic\" is unknown"), error.getMessage());
        assertTrue(error.getMessage().contains("sources is empty"), error.getMessage());
        assertTrue(error.getMessage().contains("needs a permission and an \"on\""), error.getMessage());
        assertTrue(error.getMessage().contains("needs a title and an https URL"), error.getMessage());
        assertTrue(error.getMessage().contains("the id is used by an earlier entry"), error.getMessage());
    }

    @Test
    void unknownFieldRejected() {
        String json = """
                {"techniques": [{"id": "gcp-902", "name": "n", "category": "listed", "requires": [], "outcome": "admin",
                  "sources": [], "note": "n", "severity": "high"}]}""";

        IOException error = assertThrows(IOException.class, () -> parse(json));

        assertTrue(error.getMessage().contains("severity"), error.getMessage());
    }
}
