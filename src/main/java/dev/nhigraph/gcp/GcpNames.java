package dev.nhigraph.gcp;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Canonical names of GCP resources and members, so that the same resource named in different ways by different
 * gcloud outputs, IAM conditions and command-line arguments compares equal.
 *
 * <p>The canonical form is the Cloud Asset Inventory full resource name with two choices made: a project is named
 * by its id, not its number ({@code //cloudresourcemanager.googleapis.com/projects/my-project}), and a service
 * account by its email, not its unique id ({@code //iam.googleapis.com/projects/my-project/serviceAccounts/EMAIL}).
 * Cloud Asset Inventory uses the number and the unique id in places; {@link #canonical} maps them back when the
 * bundle contains the project list and the service-account list.
 */
public final class GcpNames {

    public static final String ORGANIZATION_TYPE = "cloudresourcemanager.googleapis.com/Organization";
    public static final String FOLDER_TYPE = "cloudresourcemanager.googleapis.com/Folder";
    public static final String PROJECT_TYPE = "cloudresourcemanager.googleapis.com/Project";
    public static final String SERVICE_ACCOUNT_TYPE = "iam.googleapis.com/ServiceAccount";

    /** A GCP permission, SERVICE.RESOURCE.VERB such as storage.objects.get. */
    private static final Pattern PERMISSION = Pattern.compile("[a-z][a-zA-Z0-9]*(\\.[a-zA-Z0-9]+){2,}");

    private static final String RESOURCE_MANAGER = "//cloudresourcemanager.googleapis.com/";
    private static final String IAM = "//iam.googleapis.com/";
    private static final String SERVICE_ACCOUNTS = "/serviceAccounts/";
    private static final String STORAGE_IAM_BUCKETS = "//storage.googleapis.com/projects/_/buckets/";

    private GcpNames() {
    }

    /** Tells whether {@code text} has the form of a GCP permission, such as storage.objects.get. */
    public static boolean isPermission(String text) {
        return PERMISSION.matcher(text).matches();
    }

    public static String organizationName(String organizationId) {
        return RESOURCE_MANAGER + "organizations/" + organizationId;
    }

    public static String folderName(String folderId) {
        return RESOURCE_MANAGER + "folders/" + folderId;
    }

    public static String projectName(String projectId) {
        return RESOURCE_MANAGER + "projects/" + projectId;
    }

    public static String serviceAccountName(String projectId, String email) {
        return IAM + "projects/" + projectId + "/serviceAccounts/" + email;
    }

    /** Tells whether {@code name} is an organization, folder or project, the levels that hold IAM policies above resources. */
    public static boolean isContainer(String name) {
        return name.startsWith(RESOURCE_MANAGER + "organizations/") || name.startsWith(RESOURCE_MANAGER + "folders/")
                || name.startsWith(RESOURCE_MANAGER + "projects/");
    }

    /**
     * Returns the canonical form of a resource name written in any of the forms gcloud and IAM use.
     *
     * <ul>
     *   <li>a full resource name with a project number, mapped to the project id when {@code projectNumbers} has it;</li>
     *   <li>a service account named by unique id, mapped to its project and email when {@code accountsByUniqueId}
     *       has it, and one under {@code projects/-} whose email names its project;</li>
     *   <li>the relative forms {@code organizations/O}, {@code folders/F}, {@code projects/P};</li>
     *   <li>{@code gs://BUCKET} and {@code gs://BUCKET/OBJECT}, which name the bucket;</li>
     *   <li>the {@code projects/_/buckets/BUCKET} form that IAM conditions use for Cloud Storage, and the
     *       {@code //storage.googleapis.com/projects/_/buckets/BUCKET} form of IAM full resource names;</li>
     *   <li>a name below a service account, such as a key, whose account segment is a unique id.</li>
     * </ul>
     *
     * @param projectNumbers     project number to project id
     * @param accountsByUniqueId service-account unique id to its canonical full resource name
     * @return the canonical name; a name of no known form is returned unchanged
     */
    public static String canonical(String name, Map<String, String> projectNumbers, Map<String, String> accountsByUniqueId) {
        if (name == null || name.isEmpty()) {
            return name;
        }
        // gsutil's gs://BUCKET/OBJECT names an object, whose IAM is its bucket's.
        if (name.startsWith("gs://") && name.length() > "gs://".length()) {
            int end = name.indexOf('/', "gs://".length());
            return "//storage.googleapis.com/" + name.substring("gs://".length(), end < 0 ? name.length() : end);
        }
        if (name.startsWith("organizations/") || name.startsWith("folders/") || name.startsWith("projects/")) {
            if (name.startsWith("projects/_/buckets/")) {
                return "//storage.googleapis.com/" + name.substring("projects/_/buckets/".length());
            }
            if (name.indexOf('/', name.indexOf('/') + 1) < 0) {
                return canonical(RESOURCE_MANAGER + name, projectNumbers, accountsByUniqueId);
            }
        }
        if (!name.startsWith("//")) {
            return name;
        }
        // IAM writes a bucket as //storage.googleapis.com/projects/_/buckets/BUCKET, where Cloud Asset Inventory
        // writes //storage.googleapis.com/BUCKET.
        if (name.startsWith(STORAGE_IAM_BUCKETS)) {
            name = "//storage.googleapis.com/" + name.substring(STORAGE_IAM_BUCKETS.length());
        }

        // //SERVICE/projects/NUMBER/... names the project by number wherever the project segment appears.
        int projects = name.indexOf("/projects/", 2);
        if (projects > 0) {
            int start = projects + "/projects/".length();
            int end = name.indexOf('/', start);
            String project = end < 0 ? name.substring(start) : name.substring(start, end);
            String id = projectNumbers.get(project);
            if (id != null) {
                name = name.substring(0, start) + id + (end < 0 ? "" : name.substring(end));
            }
        }

        // The account is the segment after /serviceAccounts/; what follows it, such as /keys/KEY_ID, is kept.
        int accounts = name.startsWith(IAM) ? name.indexOf(SERVICE_ACCOUNTS) : -1;
        if (accounts > 0) {
            int start = accounts + SERVICE_ACCOUNTS.length();
            int end = name.indexOf('/', start);
            String account = end < 0 ? name.substring(start) : name.substring(start, end);
            String rest = end < 0 ? "" : name.substring(end);
            if (!account.contains("@")) {
                String byUniqueId = accountsByUniqueId.get(account);
                if (byUniqueId != null) {
                    return byUniqueId + rest;
                }
            } else if (name.startsWith(IAM + "projects/-/")) {
                String project = projectOfEmail(account);
                if (project != null) {
                    return serviceAccountName(project, account) + rest;
                }
            }
        }
        return name;
    }

    /**
     * Returns the project id that a service-account email names ({@code NAME@PROJECT.iam.gserviceaccount.com}), or
     * null for the default and service-agent accounts whose domain names no project.
     */
    public static String projectOfEmail(String email) {
        String suffix = ".iam.gserviceaccount.com";
        int at = email.indexOf('@');
        if (at < 0 || !email.endsWith(suffix)) {
            return null;
        }
        return email.substring(at + 1, email.length() - suffix.length());
    }
}
