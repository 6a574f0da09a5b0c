package dev.nhigraph.gcp.bundle;

import static dev.nhigraph.gcp.bundle.JsonValues.firstNonNull;
import static dev.nhigraph.gcp.bundle.JsonValues.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.gcp.bundle.RawInventory.ResourceFact;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the resource hierarchy from {@code gcloud projects list}, {@code gcloud resource-manager folders list} and
 * {@code gcloud organizations list}, and their describe commands.
 *
 * <p>Both API versions that gcloud has used are read: Resource Manager v1 and v2 give {@code lifecycleState}, a
 * project's display name in {@code name} and its parent as {@code {type, id}}; v3 gives {@code state},
 * {@code displayName} and the parent as {@code folders/ID}.
 */
final class HierarchyReader {

    private static final Logger log = LoggerFactory.getLogger(HierarchyReader.class);

    private HierarchyReader() {
    }

    static void readProjects(Items items, String file, RawInventory raw) {
        int read = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String projectId = text(item, "projectId");
            if (projectId == null) {
                raw.skip(file, items.label(i), "the project has no projectId. Check that the file is unedited `"
                        + GcloudFileKind.PROJECT_LIST.source() + "` output.");
                continue;
            }
            // v1 puts the display name in "name"; v3 puts projects/NUMBER there and the display name in displayName.
            String name = text(item, "name");
            boolean v3Name = name != null && name.startsWith("projects/");
            String number = firstNonNull(text(item, "projectNumber"), v3Name ? name.substring("projects/".length()) : null);
            String displayName = firstNonNull(text(item, "displayName"), v3Name ? null : name);
            raw.resources.add(new ResourceFact(GcpNames.projectName(projectId), GcpNames.PROJECT_TYPE,
                    parent(item.get("parent")), projectId, displayName, state(item), file, false));
            raw.addProjectNumber(number, projectId, file);
            read++;
        }
        log.info("Read {} projects from {}", read, file);
    }

    static void readFolders(Items items, String file, RawInventory raw) {
        int read = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String name = text(item, "name");
            if (name == null || !GcloudFileKind.FOLDER_NAME.matcher(name).matches()) {
                raw.skip(file, items.label(i), "the folder has no name of the form folders/FOLDER_ID. Check that the file"
                        + " is unedited `" + GcloudFileKind.FOLDER_LIST.source() + "` output.");
                continue;
            }
            raw.resources.add(new ResourceFact(name, GcpNames.FOLDER_TYPE, parent(item.get("parent")), null,
                    text(item, "displayName"), state(item), file, false));
            read++;
        }
        log.info("Read {} folders from {}", read, file);
    }

    static void readOrganizations(Items items, String file, RawInventory raw) {
        int read = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String name = text(item, "name");
            if (name == null || !GcloudFileKind.ORGANIZATION_NAME.matcher(name).matches()) {
                raw.skip(file, items.label(i), "the organization has no name of the form organizations/ORGANIZATION_ID."
                        + " Check that the file is unedited `" + GcloudFileKind.ORGANIZATION_LIST.source() + "` output.");
                continue;
            }
            raw.resources.add(new ResourceFact(name, GcpNames.ORGANIZATION_TYPE, null, null, text(item, "displayName"),
                    state(item), file, false));
            read++;
        }
        log.info("Read {} organizations from {}", read, file);
    }

    /** Returns the parent as {@code organizations/ID} or {@code folders/ID}, from either API version's form. */
    private static String parent(JsonNode parent) {
        if (parent == null || parent.isNull()) {
            return null;
        }
        if (parent.isTextual()) {
            return parent.asText().isEmpty() ? null : parent.asText();
        }
        String type = text(parent, "type");
        String id = text(parent, "id");
        if (id == null || type == null) {
            return null;
        }
        return switch (type) {
            case "organization" -> "organizations/" + id;
            case "folder" -> "folders/" + id;
            default -> null;
        };
    }

    private static String state(JsonNode item) {
        return firstNonNull(text(item, "lifecycleState"), text(item, "state"));
    }
}
