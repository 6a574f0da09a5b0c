package dev.nhigraph.gcp.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.nhigraph.gcp.GcpInventory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs collectors/gcp/collect.sh against a stub {@code gcloud} first on PATH, which records its arguments and
 * prints the gcloud export of src/test/resources/fixtures/gcp-collect/export, and never a real gcloud.
 */
class CollectScriptTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The permission each gcloud command of the script needs, by the command's words before its flags. */
    private static final Map<String, String> PERMISSIONS = Map.ofEntries(
            Map.entry("asset search-all-iam-policies", "cloudasset.assets.searchAllIamPolicies"),
            Map.entry("asset search-all-resources", "cloudasset.assets.searchAllResources"),
            Map.entry("organizations describe", "resourcemanager.organizations.get"),
            Map.entry("resource-manager folders describe", "resourcemanager.folders.get"),
            Map.entry("resource-manager folders list", "resourcemanager.folders.list"),
            Map.entry("projects describe", "resourcemanager.projects.get"),
            Map.entry("projects list", "resourcemanager.projects.list"),
            Map.entry("iam service-accounts list", "iam.serviceAccounts.list"),
            Map.entry("iam service-accounts keys list", "iam.serviceAccountKeys.list"),
            Map.entry("iam roles list", "iam.roles.list"),
            Map.entry("iam roles describe", "iam.roles.get"));

    @TempDir
    Path dir;

    private Path answers;
    private Path log;

    @BeforeEach
    void writeStub() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        answers = Files.createDirectories(dir.resolve("answers"));
        log = dir.resolve("gcloud.log");
        Path gcloud = bin.resolve("gcloud");
        Files.writeString(gcloud, """
                #!/usr/bin/env bash
                # Records its arguments and prints the answer file named after them, or fails like gcloud.
                echo "$*" >> "$GCLOUD_STUB_LOG"
                key="$(printf '%s ' "$@" | sed -e 's/ --format=json//' -e 's/ $//' -e 's/[^A-Za-z0-9@.-]/_/g')"
                if [[ -f "$GCLOUD_STUB_ANSWERS/$key.error" ]]; then
                  cat "$GCLOUD_STUB_ANSWERS/$key.error" >&2
                  exit 1
                fi
                if [[ -f "$GCLOUD_STUB_ANSWERS/$key.json" ]]; then
                  cat "$GCLOUD_STUB_ANSWERS/$key.json"
                  exit 0
                fi
                echo "ERROR: (gcloud) the stub has no answer for: $*" >&2
                exit 1
                """);
        Files.setPosixFilePermissions(gcloud, PosixFilePermissions.fromString("rwxr-xr-x"));
        writeAnswers();
    }

    private void writeAnswers() throws IOException {
        String org = "111111111111";
        answer("asset search-all-iam-policies --scope=organizations/" + org, GcpApiStub.read("gcp/iam-policies.json"));
        answer("asset search-all-resources --scope=organizations/" + org, GcpApiStub.read("gcp/resources.json"));
        answer("organizations describe " + org, GcpApiStub.read("gcp/organizations.json").get(0));

        ArrayNode folders = (ArrayNode) GcpApiStub.read("gcp/folders.json");
        answer("resource-manager folders list --organization=" + org, JSON.createArrayNode().add(folders.get(0)));
        answer("resource-manager folders list --folder=200", JSON.createArrayNode().add(folders.get(1)));
        answer("resource-manager folders list --folder=300", JSON.createArrayNode());
        ArrayNode projects = (ArrayNode) GcpApiStub.read("gcp/projects.json");
        answer("projects list --filter=parent.id=" + org, JSON.createArrayNode().add(projects.get(2)));
        answer("projects list --filter=parent.id=200", JSON.createArrayNode().add(projects.get(1)));
        answer("projects list --filter=parent.id=300", JSON.createArrayNode().add(projects.get(0)));

        roles("--organization=" + org, "gcp/roles/organizations-111111111111.json");
        roles("--project=app-prod", "gcp/roles/projects-app-prod.json");
        Map<String, List<String>> accounts = new LinkedHashMap<>();
        accounts.put("app-prod", List.of("deployer@app-prod.iam.gserviceaccount.com", "runner@app-prod.iam.gserviceaccount.com"));
        accounts.put("app-dev", List.of("ci@app-dev.iam.gserviceaccount.com"));
        accounts.put("shared-ids", List.of("broker@shared-ids.iam.gserviceaccount.com"));
        for (Map.Entry<String, List<String>> entry : accounts.entrySet()) {
            String project = entry.getKey();
            answer("iam service-accounts list --project=" + project, GcpApiStub.read("gcp/service-accounts/" + project + ".json"));
            if (!project.equals("app-prod")) {
                answer("iam roles list --project=" + project + " --show-deleted", JSON.createArrayNode());
            }
            for (String email : entry.getValue()) {
                Path keys = GcpApiStub.EXPORT.resolve("gcp/keys/" + email + ".json");
                answer("iam service-accounts keys list --iam-account=" + email + " --project=" + project,
                        Files.exists(keys) ? GcpApiStub.read("gcp/keys/" + email + ".json") : JSON.createArrayNode());
            }
        }
    }

    /** Stubs `roles list` without the permissions, as gcloud prints it, and `roles describe` of each role with them. */
    private void roles(String parentFlag, String exportFile) throws IOException {
        ArrayNode described = (ArrayNode) GcpApiStub.read(exportFile);
        ArrayNode listed = JSON.createArrayNode();
        for (JsonNode role : described) {
            listed.add(((ObjectNode) role.deepCopy()).without("includedPermissions"));
            String id = role.path("name").asText().substring(role.path("name").asText().lastIndexOf('/') + 1);
            answer("iam roles describe " + id + " " + parentFlag, role);
        }
        answer("iam roles list " + parentFlag + " --show-deleted", listed);
    }

    private void answer(String arguments, JsonNode output) throws IOException {
        Files.writeString(answers.resolve(key(arguments) + ".json"), output.toPrettyString());
    }

    private static String key(String arguments) {
        return arguments.replaceAll("[^A-Za-z0-9@.-]", "_");
    }

    private Run runScript(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", "collectors/gcp/collect.sh"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        builder.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        builder.environment().put("GCLOUD_STUB_ANSWERS", answers.toString());
        builder.environment().put("GCLOUD_STUB_LOG", log.toString());
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "collect.sh did not finish within 60 s");
        return new Run(process.exitValue(), Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    private record Run(int exitCode, String err) {
    }

    @Test
    void script_equalsOfflineExport() throws Exception {
        Path bundle = dir.resolve("bundle");

        Run run = runScript("organizations/111111111111", bundle.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(GcpCollectorTest.facts(GcpCollectorTest.inventory(GcpApiStub.EXPORT)),
                GcpCollectorTest.facts(GcpCollectorTest.inventory(bundle)));
        JsonNode gaps = JSON.readTree(bundle.resolve("collection-gaps.json").toFile());
        assertEquals(0, gaps.path("collectionGaps").size(), run.err());
    }

    @Test
    void script_needsExactlyItsRole() throws Exception {
        runScript("organizations/111111111111", dir.resolve("bundle").toString());

        Set<String> used = new TreeSet<>();
        for (String line : Files.readAllLines(log)) {
            String command = line.replaceAll(" --.*", "").replaceAll(" [^ ]*\\d[^ ]*$", "");
            String words = PERMISSIONS.containsKey(command) ? command : command.replaceAll(" [^ ]+$", "");
            assertTrue(PERMISSIONS.containsKey(words), "gcloud command of unknown permission: " + line);
            used.add(PERMISSIONS.get(words));
        }
        JsonNode role = new ObjectMapper(new YAMLFactory()).readTree(Path.of("collectors/gcp/script-role.yaml").toFile());
        Set<String> granted = new TreeSet<>();
        role.path("includedPermissions").forEach(permission -> granted.add(permission.asText()));

        Set<String> organizationScope = new TreeSet<>(granted);
        organizationScope.removeAll(Set.of("resourcemanager.folders.get", "resourcemanager.projects.get"));
        assertEquals(organizationScope, used);
        assertTrue(granted.containsAll(Set.of("resourcemanager.folders.get", "resourcemanager.projects.get")));
    }

    @Test
    void script_recordsPermissionDenied() throws Exception {
        Files.writeString(answers.resolve(key("iam service-accounts list --project=app-dev") + ".error"),
                "ERROR: (gcloud.iam.service-accounts.list) PERMISSION_DENIED: Permission 'iam.serviceAccounts.list'"
                        + " denied on resource (or it may not exist).\n");
        Path bundle = dir.resolve("bundle");

        Run run = runScript("organizations/111111111111", bundle.toString());

        assertEquals(0, run.exitCode(), run.err());
        JsonNode gaps = JSON.readTree(bundle.resolve("collection-gaps.json").toFile()).path("collectionGaps");
        assertEquals(1, gaps.size());
        assertEquals("projects/app-dev", gaps.get(0).path("scope").asText());
        assertEquals("ListServiceAccounts", gaps.get(0).path("call").asText());
        assertEquals("access-denied", gaps.get(0).path("reason").asText());
        assertTrue(gaps.get(0).path("message").asText().contains("iam.serviceAccounts.list"));
        assertTrue(run.err().contains("ListServiceAccounts on projects/app-dev failed"), run.err());
        assertEquals(3, GcpCollectorTest.inventory(bundle).serviceAccounts().size());
    }

    @Test
    void script_folderScopeReadsOrganizationRoles() throws Exception {
        answer("asset search-all-iam-policies --scope=folders/200", GcpApiStub.read("gcp/iam-policies.json"));
        answer("asset search-all-resources --scope=folders/200", JSON.createArrayNode());
        answer("resource-manager folders describe 200", GcpApiStub.read("gcp/folders.json").get(0));
        Path bundle = dir.resolve("bundle");

        Run run = runScript("folders/200", bundle.toString());

        assertEquals(0, run.exitCode(), run.err());
        JsonNode gaps = JSON.readTree(bundle.resolve("collection-gaps.json").toFile());
        assertEquals(0, gaps.path("collectionGaps").size(), run.err());
        GcpInventory inventory = GcpCollectorTest.inventory(bundle);
        assertEquals(2, inventory.serviceAccounts().stream().map(account -> account.projectId()).distinct().count());
        assertTrue(inventory.customRoles().stream()
                .anyMatch(role -> role.name().equals("organizations/111111111111/roles/secretAuditor")), run.err());
    }

    @Test
    void script_rejectsInvalidScope() throws Exception {
        Run run = runScript("org/1");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Usage: collect.sh"), run.err());
        assertTrue(Files.notExists(log), "gcloud ran despite the invalid scope");
    }
}
