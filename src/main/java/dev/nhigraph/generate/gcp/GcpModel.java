package dev.nhigraph.generate.gcp;

import java.util.ArrayList;
import java.util.List;

/** The entities of a generated GCP organisation, as the generator keeps them before writing gcloud output. */
final class GcpModel {

    static final String RESOURCE_MANAGER = "//cloudresourcemanager.googleapis.com/";

    private GcpModel() {
    }

    /**
     * A folder.
     *
     * @param parent    {@code organizations/ID} or {@code folders/ID}
     * @param ancestors the folder itself and the folders above it, nearest first, as {@code folders/ID}
     */
    record Folder(String key, String id, String displayName, String parent, List<String> ancestors, String createTime) {

        String name() {
            return "folders/" + id;
        }
    }

    /**
     * A project.
     *
     * @param folderId      the id of the folder the project sits in, or null for a project under the organization
     * @param folders       the folders above the project, nearest first, as {@code folders/ID}
     * @param defaultEditor whether the Compute Engine default account holds roles/editor on the project
     */
    record Project(GcpLayout.ProjectSlot slot, String id, String number, String folderId, List<String> folders,
                   String createTime, boolean defaultEditor) {

        /** Returns the Cloud Asset Inventory name of the project, which uses the project number. */
        String assetName() {
            return RESOURCE_MANAGER + "projects/" + number;
        }

        String defaultAccountEmail() {
            return number + "-compute@developer.gserviceaccount.com";
        }
    }

    /**
     * A service account.
     *
     * @param planted whether a planted path or decoy uses it; random grants never name a planted account
     */
    record ServiceAccount(String email, Project project, String uniqueId, String displayName, boolean disabled,
                          boolean isDefault, boolean planted) {

        String member() {
            return "serviceAccount:" + email;
        }

        /** Returns the full resource name by email, the form of most policy search results. */
        String resourceNameByEmail() {
            return "//iam.googleapis.com/projects/" + project.id() + "/serviceAccounts/" + email;
        }

        /** Returns the full resource name by unique id, a form Cloud Asset Inventory also uses. */
        String resourceNameByUniqueId() {
            return "//iam.googleapis.com/projects/" + project.id() + "/serviceAccounts/" + uniqueId;
        }
    }

    /** An IAM condition as the policy writes it. */
    record Condition(String title, String description, String expression) {
    }

    /** One grant: a role given to one member, under a condition or none. */
    record Grant(String role, String member, Condition condition) {

        /** Returns the key that groups grants into one binding: the role and the condition. */
        String bindingKey() {
            return role + "\u0000" + (condition == null ? "" : condition.title() + "\u0000" + condition.expression());
        }
    }

    /** A custom role; {@code name} is {@code organizations/ID/roles/ROLE} or {@code projects/PROJECT/roles/ROLE}. */
    record CustomRole(String name, String title, String description, List<String> permissions, String etag) {

        String roleId() {
            return name.substring(name.lastIndexOf('/') + 1);
        }
    }

    /** The kinds of resources below a project; the first four have IAM policies in the bundle. */
    enum ResourceKind {
        BUCKET("storage.googleapis.com/Bucket"),
        SECRET("secretmanager.googleapis.com/Secret"),
        DATASET("bigquery.googleapis.com/Dataset"),
        TOPIC("pubsub.googleapis.com/Topic"),
        INSTANCE("compute.googleapis.com/Instance"),
        FUNCTION("cloudfunctions.googleapis.com/CloudFunction");

        final String assetType;

        ResourceKind(String assetType) {
            this.assetType = assetType;
        }
    }

    /** A resource below a project, named by its Cloud Asset Inventory full resource name. */
    record Resource(ResourceKind kind, String name, String displayName, String location, String state,
                    String createTime, boolean publicRead) {
    }

    /** The resources of one project, in the order they are written. */
    static final class ProjectResources {
        final List<Resource> withPolicies = new ArrayList<>();
        final List<Resource> withoutPolicies = new ArrayList<>();
    }
}
