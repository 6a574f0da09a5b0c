package dev.nhigraph.generate.gcp;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.generate.gcp.GcpModel.Grant;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The counts of a generated GCP organisation, gathered while its files are written, for the {@code gcp} part of expected.json. */
final class GcpCounts {

    private static final Pattern TIME_LIMIT = Pattern.compile("request\\.time < timestamp\\(\"([^\"]+)\"\\)");

    int files;
    long bytes;
    int serviceAccounts;
    int defaultServiceAccounts;
    int disabledServiceAccounts;
    int defaultServiceAccountsWithEditor;
    int keyFiles;
    int userManagedKeys;
    int systemManagedKeys;
    int disabledUserManagedKeys;
    int userManagedKeysOlderThan90Days;
    int userManagedKeysOlderThanOneYear;
    int serviceAccountsWithUserManagedKeys;
    int grants;
    /** Binding objects of all policies: one role and condition with one or more members. */
    int bindings;
    int conditionalGrants;
    int expiredConditionGrants;
    int deletedMemberGrants;
    int allUsersGrants;
    int basicRoleGrants;
    int customRoleGrants;
    int accountPoliciesByUniqueId;
    final Map<String, Integer> grantsByLevel = new TreeMap<>();
    final Map<String, Integer> policiesByAssetType = new TreeMap<>();
    final Map<String, Integer> resourcesByAssetType = new TreeMap<>();

    /** Counts the grants of one policy, set on a resource of {@code assetType}. */
    void addPolicy(String assetType, Iterable<Grant> policyGrants) {
        policiesByAssetType.merge(assetType, 1, Integer::sum);
        String level = levelOf(assetType);
        for (Grant grant : policyGrants) {
            grants++;
            grantsByLevel.merge(level, 1, Integer::sum);
            if (grant.condition() != null) {
                conditionalGrants++;
                if (expired(grant.condition().expression())) {
                    expiredConditionGrants++;
                }
            }
            if (grant.member().startsWith("deleted:")) {
                deletedMemberGrants++;
            }
            if (grant.member().equals("allUsers")) {
                allUsersGrants++;
            }
            if (grant.role().equals("roles/owner") || grant.role().equals("roles/editor")) {
                basicRoleGrants++;
            }
            if (!grant.role().startsWith("roles/")) {
                customRoleGrants++;
            }
        }
    }

    /** Tells whether a condition is a time limit that ended before the reference time. */
    static boolean expired(String expression) {
        Matcher matcher = TIME_LIMIT.matcher(expression);
        return matcher.find() && !Instant.parse(matcher.group(1)).isAfter(GcpIds.REFERENCE_TIME);
    }

    private static String levelOf(String assetType) {
        return switch (assetType) {
            case "cloudresourcemanager.googleapis.com/Organization" -> "organization";
            case "cloudresourcemanager.googleapis.com/Folder" -> "folders";
            case "cloudresourcemanager.googleapis.com/Project" -> "projects";
            case "iam.googleapis.com/ServiceAccount" -> "serviceAccounts";
            default -> "resources";
        };
    }

    ObjectNode toJson(GcpEstate estate) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("organizations", 1);
        node.put("folders", estate.folders.size());
        node.put("projects", estate.projects.size());
        node.put("serviceAccounts", serviceAccounts);
        node.put("defaultServiceAccounts", defaultServiceAccounts);
        node.put("defaultServiceAccountsWithEditor", defaultServiceAccountsWithEditor);
        node.put("disabledServiceAccounts", disabledServiceAccounts);

        ObjectNode keys = node.putObject("keys");
        keys.put("files", keyFiles);
        keys.put("userManaged", userManagedKeys);
        keys.put("systemManaged", systemManagedKeys);
        keys.put("userManagedDisabled", disabledUserManagedKeys);
        keys.put("userManagedOlderThan90Days", userManagedKeysOlderThan90Days);
        keys.put("userManagedOlderThanOneYear", userManagedKeysOlderThanOneYear);
        keys.put("serviceAccountsWithUserManagedKeys", serviceAccountsWithUserManagedKeys);

        node.put("customRoles", estate.customRoles.size());
        node.put("users", estate.users.size());
        node.put("groups", estate.groups.size());
        ObjectNode resources = node.putObject("resources");
        resourcesByAssetType.forEach(resources::put);

        node.put("grants", grants);
        node.put("bindings", bindings);
        ObjectNode levels = node.putObject("grantsByLevel");
        grantsByLevel.forEach(levels::put);
        node.put("conditionalGrants", conditionalGrants);
        node.put("expiredConditionGrants", expiredConditionGrants);
        node.put("deletedMemberGrants", deletedMemberGrants);
        node.put("allUsersGrants", allUsersGrants);
        node.put("ownerOrEditorGrants", basicRoleGrants);
        node.put("customRoleGrants", customRoleGrants);
        ObjectNode policies = node.putObject("policiesByAssetType");
        policiesByAssetType.forEach(policies::put);
        node.put("serviceAccountPoliciesNamedByUniqueId", accountPoliciesByUniqueId);

        node.put("files", files);
        node.put("bytes", bytes);
        return node;
    }
}
