package dev.nhigraph.gcp.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The gcloud outputs that nhigraph reads, with the command that produces each, and how each is recognised.
 *
 * <p>gcloud prints a list command's results as a top-level JSON list and a describe command's result as one
 * object. A list is recognised by its first object item, and a describe output by the object itself, from the
 * fields that the API reference gives the resource. Items that do not fit are skipped one by one when read.
 */
public enum GcloudFileKind {
    IAM_POLICY_SEARCH("gcloud asset search-all-iam-policies --scope=SCOPE --format=json"),
    RESOURCE_SEARCH("gcloud asset search-all-resources --scope=SCOPE --format=json"),
    SERVICE_ACCOUNT_LIST("gcloud iam service-accounts list --project=PROJECT_ID --format=json"),
    SERVICE_ACCOUNT_DESCRIBE("gcloud iam service-accounts describe EMAIL --format=json"),
    KEY_LIST("gcloud iam service-accounts keys list --iam-account=EMAIL --format=json"),
    /** One key object, as the IAM API's keys.create and keys.get return it; keys.create adds the private key. */
    KEY_OBJECT("the IAM API's service-account key"),
    /** A key file or another credentials file, never read because it contains secrets. */
    CREDENTIALS_FILE("a Google credentials file"),
    ROLE_LIST("gcloud iam roles list --organization=ORGANIZATION_ID|--project=PROJECT_ID --show-deleted --format=json"),
    ROLE_DESCRIBE("gcloud iam roles describe ROLE --format=json"),
    PROJECT_LIST("gcloud projects list --format=json"),
    PROJECT_DESCRIBE("gcloud projects describe PROJECT_ID --format=json"),
    FOLDER_LIST("gcloud resource-manager folders list --organization=ORGANIZATION_ID|--folder=FOLDER_ID --format=json"),
    FOLDER_DESCRIBE("gcloud resource-manager folders describe FOLDER_ID --format=json"),
    ORGANIZATION_LIST("gcloud organizations list --format=json"),
    ORGANIZATION_DESCRIBE("gcloud organizations describe ORGANIZATION_ID --format=json"),
    DENY_POLICY_LIST("gcloud iam policies list --attachment-point=ATTACHMENT_POINT --kind=denypolicies --format=json"),
    DENY_POLICY_GET("gcloud iam policies get POLICY_ID --attachment-point=ATTACHMENT_POINT --kind=denypolicies --format=json"),
    INSTANCE_LIST("gcloud compute instances list --project=PROJECT_ID --format=json"),
    FUNCTION_LIST("gcloud functions list --project=PROJECT_ID --format=json"),
    RUN_SERVICE_LIST("gcloud run services list --project=PROJECT_ID --format=json");

    static final Pattern KEY_NAME = Pattern.compile("projects/([^/]+)/serviceAccounts/([^/]+)/keys/([^/]+)");
    static final Pattern SERVICE_ACCOUNT_NAME = Pattern.compile("projects/([^/]+)/serviceAccounts/([^/]+)");
    static final Pattern ROLE_NAME = Pattern.compile("roles/[^/]+|(projects|organizations)/[^/]+/roles/[^/]+");
    static final Pattern FOLDER_NAME = Pattern.compile("folders/\\d+");
    static final Pattern ORGANIZATION_NAME = Pattern.compile("organizations/\\d+");
    static final Pattern DENY_POLICY_NAME = Pattern.compile("policies/([^/]+)/denypolicies/([^/]+)");

    /** The {@code type} values of Google credentials files (key files, user and workload identity credentials). */
    private static final Set<String> CREDENTIAL_TYPES = Set.of("service_account", "authorized_user", "external_account",
            "external_account_authorized_user", "impersonated_service_account");
    private static final Set<String> CREDENTIAL_FIELDS = Set.of("private_key", "private_key_id", "client_email",
            "client_secret", "refresh_token", "credential_source", "source_credentials", "service_account_impersonation_url");

    private final String source;

    GcloudFileKind(String source) {
        this.source = source;
    }

    /** Returns the command that produces this output, or what the file is where no gcloud command prints it. */
    public String source() {
        return source;
    }

    /** Returns what the file is, for logs: the command's output, or the kind of file. */
    public String description() {
        return source.startsWith("gcloud ") ? "`" + source + "` output" : source;
    }

    /** Returns the kind of gcloud output {@code root} is, or null for any other JSON. */
    public static GcloudFileKind recognise(JsonNode root) {
        if (root == null) {
            return null;
        }
        if (root.isArray()) {
            return recogniseList(root);
        }
        if (!root.isObject()) {
            return null;
        }
        if (isCredentialsFile(root)) {
            return CREDENTIALS_FILE;
        }
        return recogniseObject(root);
    }

    private static GcloudFileKind recogniseList(JsonNode list) {
        for (JsonNode item : list) {
            if (!item.isObject()) {
                continue;
            }
            // The first object decides; later items that do not fit are skipped when the file is read.
            return switch (itemKind(item)) {
                case IAM_POLICY_SEARCH -> IAM_POLICY_SEARCH;
                case RESOURCE_SEARCH -> RESOURCE_SEARCH;
                case SERVICE_ACCOUNT -> SERVICE_ACCOUNT_LIST;
                case KEY -> KEY_LIST;
                case ROLE -> ROLE_LIST;
                case PROJECT -> PROJECT_LIST;
                case FOLDER -> FOLDER_LIST;
                case ORGANIZATION -> ORGANIZATION_LIST;
                case DENY_POLICY -> DENY_POLICY_LIST;
                case INSTANCE -> INSTANCE_LIST;
                case FUNCTION -> FUNCTION_LIST;
                case RUN_SERVICE -> RUN_SERVICE_LIST;
                case NONE -> null;
            };
        }
        return null;
    }

    private static GcloudFileKind recogniseObject(JsonNode object) {
        return switch (itemKind(object)) {
            case SERVICE_ACCOUNT -> SERVICE_ACCOUNT_DESCRIBE;
            case KEY -> KEY_OBJECT;
            case ROLE -> ROLE_DESCRIBE;
            case PROJECT -> PROJECT_DESCRIBE;
            case FOLDER -> FOLDER_DESCRIBE;
            case ORGANIZATION -> ORGANIZATION_DESCRIBE;
            case DENY_POLICY -> DENY_POLICY_GET;
            // A single search result is not what gcloud prints for a search, which is always a list.
            // NOTE: the describe outputs of workloads are not read yet; only their list commands are.
            case IAM_POLICY_SEARCH, RESOURCE_SEARCH, INSTANCE, FUNCTION, RUN_SERVICE, NONE -> null;
        };
    }

    /** The resource one JSON object describes. */
    enum ItemKind {
        IAM_POLICY_SEARCH, RESOURCE_SEARCH, SERVICE_ACCOUNT, KEY, ROLE, PROJECT, FOLDER, ORGANIZATION, DENY_POLICY,
        INSTANCE, FUNCTION, RUN_SERVICE, NONE
    }

    /** Returns what one item is, from the fields its API resource always has. */
    static ItemKind itemKind(JsonNode item) {
        String name = JsonValues.text(item, "name");
        if (item.path("resource").isTextual() && item.path("policy").isObject()) {
            return ItemKind.IAM_POLICY_SEARCH;
        }
        if (name != null && name.startsWith("//") && item.path("assetType").isTextual()) {
            return ItemKind.RESOURCE_SEARCH;
        }
        if (name != null && KEY_NAME.matcher(name).matches()) {
            return ItemKind.KEY;
        }
        if (item.path("email").isTextual()
                && (item.has("uniqueId") || name != null && SERVICE_ACCOUNT_NAME.matcher(name).matches())) {
            return ItemKind.SERVICE_ACCOUNT;
        }
        if (name != null && ROLE_NAME.matcher(name).matches() && hasAny(item, "includedPermissions", "title", "stage",
                "etag", "deleted", "description")) {
            return ItemKind.ROLE;
        }
        if (name != null && DENY_POLICY_NAME.matcher(name).matches()) {
            return ItemKind.DENY_POLICY;
        }
        ItemKind workload = workloadKind(item, name);
        if (workload != ItemKind.NONE) {
            return workload;
        }
        if (name != null && FOLDER_NAME.matcher(name).matches() && hasAny(item, "displayName", "parent")) {
            return ItemKind.FOLDER;
        }
        if (name != null && ORGANIZATION_NAME.matcher(name).matches()
                && hasAny(item, "displayName", "owner", "directoryCustomerId", "lifecycleState", "state")) {
            return ItemKind.ORGANIZATION;
        }
        if (item.path("projectId").isTextual() && !item.has("email")
                && hasAny(item, "projectNumber", "lifecycleState", "state", "parent", "createTime")) {
            return ItemKind.PROJECT;
        }
        return ItemKind.NONE;
    }

    /**
     * Returns the kind of a Compute Engine instance ({@code kind} compute#instance, or an instance selfLink), a
     * Cloud Function (a name with /functions/) or a Cloud Run service (Knative {@code apiVersion} and {@code kind},
     * or a v2 name with /services/ and a {@code template}), else NONE.
     */
    private static ItemKind workloadKind(JsonNode item, String name) {
        String selfLink = JsonValues.text(item, "selfLink");
        if ("compute#instance".equals(JsonValues.text(item, "kind"))
                || selfLink != null && WorkloadReader.INSTANCE_LINK.matcher(selfLink).matches()) {
            return ItemKind.INSTANCE;
        }
        if (name != null && WorkloadReader.FUNCTION_NAME.matcher(name).matches()) {
            return ItemKind.FUNCTION;
        }
        String apiVersion = JsonValues.text(item, "apiVersion");
        if (apiVersion != null && apiVersion.startsWith("serving.knative.dev/") && "Service".equals(JsonValues.text(item, "kind"))
                || name != null && WorkloadReader.RUN_SERVICE_NAME.matcher(name).matches() && item.path("template").isObject()) {
            return ItemKind.RUN_SERVICE;
        }
        return ItemKind.NONE;
    }

    private static boolean isCredentialsFile(JsonNode root) {
        String type = JsonValues.text(root, "type");
        return type != null && CREDENTIAL_TYPES.contains(type) && CREDENTIAL_FIELDS.stream().anyMatch(root::has);
    }

    private static boolean hasAny(JsonNode item, String... fields) {
        for (String field : fields) {
            if (item.has(field)) {
                return true;
            }
        }
        return false;
    }
}
