package dev.nhigraph.gcp.collect;

/**
 * Every Google API method that {@code nhigraph collect gcp} calls, with the IAM permission it needs and the REST
 * path it sends. {@code collectors/gcp/collector-role.yaml} grants exactly these permissions, and a test checks that
 * the two agree. All of them list or read metadata; none returns key material, tokens or secret payloads.
 */
public enum GcpCall {
    SEARCH_ALL_IAM_POLICIES("cloudasset", "SearchAllIamPolicies", "cloudasset.assets.searchAllIamPolicies",
            "GET /v1/{scope}:searchAllIamPolicies"),
    SEARCH_ALL_RESOURCES("cloudasset", "SearchAllResources", "cloudasset.assets.searchAllResources",
            "GET /v1/{scope}:searchAllResources"),
    GET_ORGANIZATION("cloudresourcemanager", "GetOrganization", "resourcemanager.organizations.get",
            "GET /v3/organizations/{id}"),
    GET_FOLDER("cloudresourcemanager", "GetFolder", "resourcemanager.folders.get", "GET /v3/folders/{id}"),
    LIST_FOLDERS("cloudresourcemanager", "ListFolders", "resourcemanager.folders.list", "GET /v3/folders?parent={parent}"),
    GET_PROJECT("cloudresourcemanager", "GetProject", "resourcemanager.projects.get", "GET /v3/projects/{id}"),
    LIST_PROJECTS("cloudresourcemanager", "ListProjects", "resourcemanager.projects.list",
            "GET /v3/projects?parent={parent}"),
    LIST_SERVICE_ACCOUNTS("iam", "ListServiceAccounts", "iam.serviceAccounts.list",
            "GET /v1/projects/{project}/serviceAccounts"),
    LIST_SERVICE_ACCOUNT_KEYS("iam", "ListServiceAccountKeys", "iam.serviceAccountKeys.list",
            "GET /v1/projects/{project}/serviceAccounts/{email}/keys"),
    LIST_ROLES("iam", "ListRoles", "iam.roles.list", "GET /v1/{organizations/ID|projects/ID}/roles?view=FULL&showDeleted=true");

    private final String service;
    private final String method;
    private final String permission;
    private final String restPath;

    GcpCall(String service, String method, String permission, String restPath) {
        this.service = service;
        this.method = method;
        this.permission = permission;
        this.restPath = restPath;
    }

    /** Returns the API's short name, as collection-gaps.json writes it: cloudasset, cloudresourcemanager or iam. */
    public String service() {
        return service;
    }

    /** Returns the RPC method name, such as {@code ListServiceAccounts}. */
    public String method() {
        return method;
    }

    /** Returns the IAM permission the caller needs on the scope, folder, project or organization that the call names. */
    public String permission() {
        return permission;
    }

    /** Returns the HTTP method and path template of the REST call. */
    public String restPath() {
        return restPath;
    }
}
