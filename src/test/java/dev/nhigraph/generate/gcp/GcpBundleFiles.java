package dev.nhigraph.generate.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The GCP files of a generated bundle, read back as JSON trees, for the checks of the tests. */
final class GcpBundleFiles {

    static final ObjectMapper JSON = new ObjectMapper();

    final Path folder;
    final JsonNode organizations;
    final JsonNode folders;
    final JsonNode projects;
    /** Every file below the folder by its path relative to it, with '/' separators. */
    final Map<String, JsonNode> files = new LinkedHashMap<>();

    GcpBundleFiles(Path folder) throws IOException {
        this.folder = folder;
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(folder.relativize(file).toString().replace('\\', '/'), JSON.readTree(file.toFile()));
            }
        }
        this.organizations = files.get("organizations.json");
        this.folders = files.get("folders.json");
        this.projects = files.get("projects.json");
    }

    /** Returns the items of every list file below {@code subfolder}, in file order. */
    List<JsonNode> itemsBelow(String subfolder) {
        List<JsonNode> items = new ArrayList<>();
        files.forEach((path, content) -> {
            if (path.startsWith(subfolder + "/")) {
                content.forEach(items::add);
            }
        });
        return items;
    }

    /** Returns the files below {@code subfolder}, by path. */
    Map<String, JsonNode> filesBelow(String subfolder) {
        Map<String, JsonNode> below = new LinkedHashMap<>();
        files.forEach((path, content) -> {
            if (path.startsWith(subfolder + "/")) {
                below.put(path, content);
            }
        });
        return below;
    }

    List<JsonNode> serviceAccounts() {
        return itemsBelow("service-accounts");
    }

    List<JsonNode> policies() {
        return itemsBelow("iam-policies");
    }

    List<JsonNode> resources() {
        return itemsBelow("resources");
    }

    List<JsonNode> keys() {
        return itemsBelow("keys");
    }

    /** Returns the number of grants, one per member of each binding, in every policy search result. */
    int grants() {
        int grants = 0;
        for (JsonNode policy : policies()) {
            for (JsonNode binding : policy.get("policy").get("bindings")) {
                grants += binding.get("members").size();
            }
        }
        return grants;
    }
}
