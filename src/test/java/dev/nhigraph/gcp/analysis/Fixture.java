package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpInventory.Binding;
import dev.nhigraph.gcp.GcpInventory.Condition;
import dev.nhigraph.gcp.GcpInventory.DenyRule;
import dev.nhigraph.gcp.GcpInventory.Resource;
import dev.nhigraph.gcp.GcpInventory.Role;
import dev.nhigraph.gcp.GcpInventory.ServiceAccount;
import dev.nhigraph.gcp.GcpInventory.ServiceAccountKey;
import dev.nhigraph.gcp.GcpNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small named inventories for unit tests: an organization {@value #ORG_ID} with folder {@value #FOLDER_ID}, and
 * projects added with {@link #project}. Binding indexes count per resource, as in a policy.
 */
final class Fixture {

    static final String ORG_ID = "100";
    static final String FOLDER_ID = "200";
    static final String ORG = GcpNames.organizationName(ORG_ID);
    static final String FOLDER = GcpNames.folderName(FOLDER_ID);

    private final List<Resource> resources = new ArrayList<>();
    private final List<ServiceAccount> accounts = new ArrayList<>();
    private final List<ServiceAccountKey> keys = new ArrayList<>();
    private final List<Role> roles = new ArrayList<>();
    private final List<Binding> bindings = new ArrayList<>();
    private final List<DenyRule> denyRules = new ArrayList<>();
    private final Map<String, String> projectNumbers = new LinkedHashMap<>();
    private final Map<String, Integer> indexes = new HashMap<>();

    Fixture() {
        resources.add(new Resource(ORG, GcpNames.ORGANIZATION_TYPE, null, null, "example.com", "ACTIVE", "fixture"));
        resources.add(new Resource(FOLDER, GcpNames.FOLDER_TYPE, ORG, null, "apps", "ACTIVE", "fixture"));
    }

    static String projectName(String id) {
        return GcpNames.projectName(id);
    }

    static String email(String name, String projectId) {
        return name + "@" + projectId + ".iam.gserviceaccount.com";
    }

    static String member(String name, String projectId) {
        return "serviceAccount:" + email(name, projectId);
    }

    static String accountName(String name, String projectId) {
        return GcpNames.serviceAccountName(projectId, email(name, projectId));
    }

    /** Adds project {@code id}, with number {@code number}, under {@code parent}. */
    Fixture project(String id, String number, String parent) {
        resources.add(new Resource(projectName(id), GcpNames.PROJECT_TYPE, parent, id, id, "ACTIVE", "fixture"));
        projectNumbers.put(number, id);
        return this;
    }

    Fixture account(String name, String projectId) {
        return account(name, projectId, false);
    }

    Fixture account(String name, String projectId, boolean disabled) {
        accounts.add(new ServiceAccount(email(name, projectId), projectId, String.valueOf(900 + accounts.size()), null,
                disabled, "fixture"));
        return this;
    }

    /** Adds an account whose email is given in full, such as a default account. */
    Fixture accountWithEmail(String email, String projectId) {
        accounts.add(new ServiceAccount(email, projectId, String.valueOf(900 + accounts.size()), null, false, "fixture"));
        return this;
    }

    Fixture resource(String name, String assetType, String parent, String projectId) {
        resources.add(new Resource(name, assetType, parent, projectId, null, null, "fixture"));
        return this;
    }

    Fixture role(String name, String... permissions) {
        roles.add(new Role(name, name, "GA", false, List.of(permissions), "fixture"));
        return this;
    }

    Fixture deletedRole(String name, String... permissions) {
        roles.add(new Role(name, name, "GA", true, List.of(permissions), "fixture"));
        return this;
    }

    Fixture bind(String resource, String role, String... members) {
        return bindIf(resource, role, null, members);
    }

    Fixture bindIf(String resource, String role, String expression, String... members) {
        Condition condition = expression == null ? null : new Condition("test-condition", null, expression);
        int index = indexes.merge(resource, 1, Integer::sum) - 1;
        bindings.add(new Binding(resource, role, List.of(members), condition, index, "fixture"));
        return this;
    }

    Fixture deny(String attachmentPoint, List<String> principals, List<String> exceptions, List<String> permissions,
                 String expression) {
        Condition condition = expression == null ? null : new Condition("deny-condition", null, expression);
        denyRules.add(new DenyRule(attachmentPoint, "policies/deny-" + denyRules.size(), principals, exceptions,
                permissions, List.of(), condition, "fixture"));
        return this;
    }

    Fixture key(String email, String keyId, boolean userManaged, boolean disabled) {
        keys.add(new ServiceAccountKey(keyId, email, userManaged ? "USER_MANAGED" : "SYSTEM_MANAGED", null, null, disabled,
                null, "fixture"));
        return this;
    }

    GcpInventory build() {
        return new GcpInventory(List.copyOf(resources), List.copyOf(accounts), List.copyOf(keys), List.copyOf(roles),
                List.copyOf(bindings), List.copyOf(denyRules), Map.copyOf(projectNumbers), List.of(), List.of());
    }
}
