package dev.nhigraph.gcp.bundle;

import static dev.nhigraph.gcp.bundle.JsonValues.strings;
import static dev.nhigraph.gcp.bundle.JsonValues.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.gcp.bundle.RawInventory.ResourceFact;
import java.util.ArrayList;
import java.util.List;

/**
 * The project, folders and organization that a Cloud Asset Inventory search result names for its resource, and
 * the resource hierarchy they imply.
 *
 * <p>The API gives the project as {@code projects/NUMBER}, and every folder above the resource as
 * {@code folders/NUMBER} in no documented order. So a project's parent is known from these fields only when they
 * name at most one folder: that folder, or the organization when they name none. The facts are marked inferred,
 * so the project, folder and organization lists and {@code search-all-resources} override them.
 *
 * @param project      {@code projects/NUMBER}, or null for a resource above projects
 * @param folders      {@code folders/NUMBER} of each folder above the resource
 * @param organization {@code organizations/NUMBER}, or null
 */
record Ancestry(String project, List<String> folders, String organization) {

    static Ancestry of(JsonNode item) {
        return new Ancestry(text(item, "project"), strings(item, "folders"), text(item, "organization"));
    }

    /** Adds the containers above {@code resource}, and the resource itself with the parent these fields imply. */
    void addFacts(String resource, String assetType, String file, RawInventory raw) {
        String aboveProject = folders.size() == 1 ? folders.get(0) : folders.isEmpty() ? organization : null;
        if (organization != null) {
            raw.resources.add(inferred(organization, GcpNames.ORGANIZATION_TYPE, null, null, file));
        }
        for (String folder : folders) {
            raw.resources.add(inferred(folder, GcpNames.FOLDER_TYPE, folders.size() == 1 ? organization : null, null, file));
        }
        if (project != null) {
            raw.resources.add(inferred(project, GcpNames.PROJECT_TYPE, aboveProject, project, file));
        }
        String type = assetType != null ? assetType : containerType(resource);
        raw.resources.add(inferred(resource, type, parentOf(resource, type, aboveProject), project, file));

        // A project resource named by id, with its number in the project field, maps the number to the id.
        if (GcpNames.PROJECT_TYPE.equals(type) && project != null && project.startsWith("projects/")) {
            String id = resource.substring(resource.lastIndexOf('/') + 1);
            if (!isNumber(id)) {
                raw.addProjectNumber(project.substring("projects/".length()), id, file);
            }
        }
    }

    private String parentOf(String resource, String type, String aboveProject) {
        if (GcpNames.ORGANIZATION_TYPE.equals(type)) {
            return null;
        }
        if (GcpNames.PROJECT_TYPE.equals(type)) {
            return aboveProject;
        }
        if (GcpNames.FOLDER_TYPE.equals(type)) {
            // Whether the folders field names the folder itself is not documented, so it is left out here.
            String self = "folders/" + resource.substring(resource.lastIndexOf('/') + 1);
            List<String> above = new ArrayList<>(folders);
            above.remove(self);
            return above.size() == 1 ? above.get(0) : above.isEmpty() ? organization : null;
        }
        return project != null ? project : aboveProject;
    }

    private static ResourceFact inferred(String name, String type, String parent, String project, String file) {
        return new ResourceFact(name, type, parent, project, null, null, file, true);
    }

    /** Returns the asset type of an organization, folder or project name in full or relative form, else null. */
    static String containerType(String name) {
        String relative = name.startsWith("//cloudresourcemanager.googleapis.com/")
                ? name.substring("//cloudresourcemanager.googleapis.com/".length()) : name;
        if (relative.indexOf('/') != relative.lastIndexOf('/')) {
            return null;
        }
        if (relative.startsWith("organizations/")) {
            return GcpNames.ORGANIZATION_TYPE;
        }
        if (relative.startsWith("folders/")) {
            return GcpNames.FOLDER_TYPE;
        }
        return relative.startsWith("projects/") ? GcpNames.PROJECT_TYPE : null;
    }

    static boolean isNumber(String text) {
        return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
    }
}
