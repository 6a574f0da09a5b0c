package dev.nhigraph.gcp;

import dev.nhigraph.aws.IamModel.SkippedItem;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The GCP facts of one offline bundle, or of the graph, as plain records: the resource hierarchy, service
 * accounts and their keys, custom roles, IAM bindings and deny rules.
 *
 * <p>Every resource, the organization, folders and projects included, is named by its Cloud Asset Inventory full
 * resource name in the canonical form of {@link GcpNames}, so a binding, a parent link and a command-line argument
 * that name the same resource compare equal. Optional fields the input leaves out are null, never empty strings.
 *
 * @param resources       the organization, folders, projects and the resources under them, each with its parent
 * @param serviceAccounts the service accounts, which are resources and principals at once
 * @param keys            the service-account keys: ids, type, validity and state, never key material
 * @param customRoles     custom roles with their permissions; predefined roles come from {@link GcpRoleCatalog}
 * @param bindings        one record per binding of an allow policy, on the resource the policy is set on
 * @param denyRules       the rules of IAM deny policies, where the bundle contains them
 * @param projectNumbers  project number to project id, for names that use the number
 * @param skipped         items of recognised files that were left out, each with the reason and what to do
 * @param warnings        gaps that did not stop the load, such as a project whose parent is not in the bundle
 * @param runsAs          workload full resource name to the emails of the service accounts it runs as. Only
 *                        workloads whose account the bundle states are keys, and an empty list means none
 */
public record GcpInventory(List<Resource> resources, List<ServiceAccount> serviceAccounts, List<ServiceAccountKey> keys,
                           List<Role> customRoles, List<Binding> bindings, List<DenyRule> denyRules,
                           Map<String, String> projectNumbers, List<SkippedItem> skipped, List<String> warnings,
                           Map<String, List<String>> runsAs) {

    /** Creates an inventory that states no workload's service account. */
    public GcpInventory(List<Resource> resources, List<ServiceAccount> serviceAccounts, List<ServiceAccountKey> keys,
                        List<Role> customRoles, List<Binding> bindings, List<DenyRule> denyRules,
                        Map<String, String> projectNumbers, List<SkippedItem> skipped, List<String> warnings) {
        this(resources, serviceAccounts, keys, customRoles, bindings, denyRules, projectNumbers, skipped, warnings, Map.of());
    }

    /** Returns an inventory with nothing in it. */
    public static GcpInventory empty() {
        return new GcpInventory(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), Map.of(), List.of(), List.of());
    }

    /**
     * Returns the full resource name of each of {@code accounts} by its unique id, which bundles also use to name an
     * account. The first account of a unique id wins.
     */
    public static Map<String, String> accountsByUniqueId(Collection<ServiceAccount> accounts) {
        Map<String, String> byUniqueId = new HashMap<>();
        for (ServiceAccount account : accounts) {
            if (account.uniqueId() != null) {
                byUniqueId.putIfAbsent(account.uniqueId(), account.resourceName());
            }
        }
        return byUniqueId;
    }

    /** Tells whether the inventory contains no resource, account, role, binding or deny rule. */
    public boolean isEmpty() {
        return resources.isEmpty() && serviceAccounts.isEmpty() && keys.isEmpty() && customRoles.isEmpty()
                && bindings.isEmpty() && denyRules.isEmpty();
    }

    /**
     * A node of the resource hierarchy: an organization, folder, project, or a resource such as a bucket.
     *
     * @param name        the canonical full resource name, such as {@code //storage.googleapis.com/BUCKET}
     * @param assetType   the Cloud Asset Inventory type, such as {@code storage.googleapis.com/Bucket}; see {@link GcpNames}
     * @param parent      the canonical full resource name of the parent, or null for an organization or when unknown
     * @param projectId   the project id for a project and for resources in one, otherwise null
     * @param displayName the name the console shows, or null
     * @param state       the lifecycle state as given (ACTIVE, DELETE_REQUESTED), or null
     * @param sourceFile  the file the resource was read from, for messages
     */
    public record Resource(String name, String assetType, String parent, String projectId, String displayName,
                           String state, String sourceFile) {
    }

    /**
     * A service account.
     *
     * @param email       the account's email, which is also its member name after {@code serviceAccount:}
     * @param projectId   the project the account belongs to
     * @param uniqueId    the numeric id that IAM policies use in {@code deleted:} members and some resource names
     * @param displayName the display name, or null
     * @param disabled    whether the account is disabled, which stops it authenticating but keeps its bindings
     */
    public record ServiceAccount(String email, String projectId, String uniqueId, String displayName, boolean disabled,
                                 String sourceFile) {

        /** Returns the member name that IAM bindings use for this account. */
        public String member() {
            return "serviceAccount:" + email;
        }

        /** Returns the canonical full resource name of the account. */
        public String resourceName() {
            return GcpNames.serviceAccountName(projectId, email);
        }
    }

    /**
     * A service-account key, as {@code gcloud iam service-accounts keys list} shows it; no key material.
     *
     * @param keyId               the key id, the last part of the key's resource name
     * @param serviceAccountEmail the account the key authenticates as
     * @param keyType             USER_MANAGED or SYSTEM_MANAGED
     * @param validAfter          the start of the validity window (RFC 3339), or null
     * @param validBefore         the end of the validity window (RFC 3339), or null
     * @param disabled            whether the key is disabled
     * @param keyOrigin           GOOGLE_PROVIDED or USER_PROVIDED, or null
     */
    public record ServiceAccountKey(String keyId, String serviceAccountEmail, String keyType, String validAfter,
                                    String validBefore, boolean disabled, String keyOrigin, String sourceFile) {

        public boolean userManaged() {
            return "USER_MANAGED".equals(keyType);
        }
    }

    /**
     * A role with its permissions: a custom role from the bundle, or a predefined one from the catalogue.
     *
     * @param name        {@code roles/NAME}, {@code projects/P/roles/NAME} or {@code organizations/O/roles/NAME}
     * @param stage       GA, BETA, ALPHA, DEPRECATED, DISABLED or EAP, or null
     * @param deleted     whether the role is deleted; its bindings then grant nothing
     * @param permissions the permissions the role includes
     */
    public record Role(String name, String title, String stage, boolean deleted, List<String> permissions,
                       String sourceFile) {

        /** Tells whether the role is a custom role of a project or organization. */
        public boolean custom() {
            return !name.startsWith("roles/");
        }
    }

    /**
     * One binding of an allow policy: a role granted to members on a resource and everything under it.
     *
     * @param resource   the canonical full resource name of the resource the policy is set on
     * @param role       the role name as written in the policy
     * @param members    the members as written, such as {@code user:alice@example.com} or {@code deleted:serviceAccount:...?uid=...}
     * @param condition  the IAM condition, or null for an unconditional binding
     * @param index      the binding's position in its policy, from 0, for evidence
     * @param sourceFile the file the policy was read from
     */
    public record Binding(String resource, String role, List<String> members, Condition condition, int index,
                          String sourceFile) {
    }

    /** An IAM condition: a CEL expression with its title and description as written. */
    public record Condition(String title, String description, String expression) {
    }

    /**
     * One rule of an IAM deny policy (IAM v2).
     *
     * @param attachmentPoint      the canonical full resource name the deny policy is attached to
     * @param policyName           the deny policy's name, for evidence
     * @param deniedPrincipals     the principals as the deny policy writes them ({@code principal://goog/subject/EMAIL}, ...)
     * @param exceptionPrincipals  principals the rule does not apply to
     * @param deniedPermissions    permissions in the deny form {@code SERVICE_FQDN/RESOURCE.ACTION}
     * @param exceptionPermissions permissions the rule does not deny
     * @param condition            the denial condition, or null
     */
    public record DenyRule(String attachmentPoint, String policyName, List<String> deniedPrincipals,
                           List<String> exceptionPrincipals, List<String> deniedPermissions,
                           List<String> exceptionPermissions, Condition condition, String sourceFile) {
    }
}
