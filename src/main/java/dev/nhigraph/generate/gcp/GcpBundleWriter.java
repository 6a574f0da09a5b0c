package dev.nhigraph.generate.gcp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.generate.SeededRandom;
import dev.nhigraph.generate.gcp.GcpModel.CustomRole;
import dev.nhigraph.generate.gcp.GcpModel.Folder;
import dev.nhigraph.generate.gcp.GcpModel.Grant;
import dev.nhigraph.generate.gcp.GcpModel.Project;
import dev.nhigraph.generate.gcp.GcpModel.Resource;
import dev.nhigraph.generate.gcp.GcpModel.ServiceAccount;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the GCP organisation as gcloud {@code --format=json} outputs below {@code bundle/gcp/}, and counts what it
 * writes. docs/synthetic-organisations.md lists the files and the command each one imitates.
 */
final class GcpBundleWriter {

    /** Projects whose policies, or resources, share one file, so that no file of tier L grows large. */
    static final int PROJECTS_PER_FILE = 50;
    /** The etag that gcloud shows for a service account that was never changed. */
    private static final String ACCOUNT_ETAG = "MDEwMjE5MjA=";
    private static final String NO_EXPIRY = "9999-12-31T23:59:59Z";
    private static final long DAY = 86_400;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final GcpEstate estate;
    private final GcpPolicies policies;
    private final Path folder;
    final GcpCounts counts = new GcpCounts();

    GcpBundleWriter(GcpEstate estate, GcpPolicies policies, Path folder) {
        this.estate = estate;
        this.policies = policies;
        this.folder = folder;
    }

    void writeAll(SeededRandom keyRandom) {
        writeHierarchy();
        writeServiceAccounts();
        writeKeys(keyRandom);
        writeCustomRoles();
        writeResources();
        writePolicies();
    }

    private void count(long size) {
        counts.files++;
        counts.bytes += size;
    }

    private void writeHierarchy() {
        ObjectNode organization = NODES.objectNode();
        organization.put("creationTime", estate.organizationCreateTime);
        organization.put("displayName", GcpEstate.DOMAIN);
        organization.put("lifecycleState", "ACTIVE");
        organization.put("name", estate.organizationName());
        organization.putObject("owner").put("directoryCustomerId", estate.directoryCustomerId);
        count(GcloudJson.writeValue(folder.resolve("organizations.json"), NODES.arrayNode().add(organization)));

        count(GcloudJson.writeList(folder.resolve("folders.json"), list -> {
            for (Folder item : estate.folders) {
                ObjectNode node = NODES.objectNode();
                node.put("createTime", item.createTime());
                node.put("displayName", item.displayName());
                node.put("lifecycleState", "ACTIVE");
                node.put("name", item.name());
                node.put("parent", item.parent());
                list.add(node);
            }
        }));

        count(GcloudJson.writeList(folder.resolve("projects.json"), list -> {
            for (Project project : estate.projects) {
                ObjectNode node = NODES.objectNode();
                node.put("createTime", project.createTime());
                node.put("lifecycleState", "ACTIVE");
                node.put("name", project.id());
                ObjectNode parent = node.putObject("parent");
                parent.put("id", project.folderId() == null ? estate.organizationId : project.folderId());
                parent.put("type", project.folderId() == null ? "organization" : "folder");
                node.put("projectId", project.id());
                node.put("projectNumber", project.number());
                list.add(node);
            }
        }));
    }

    private void writeServiceAccounts() {
        for (Project project : estate.projects) {
            List<ServiceAccount> accounts = estate.accountsOf(project);
            count(GcloudJson.writeList(folder.resolve("service-accounts/" + project.id() + ".json"), list -> {
                for (ServiceAccount account : accounts) {
                    ObjectNode node = NODES.objectNode();
                    node.put("disabled", account.disabled());
                    node.put("displayName", account.displayName());
                    node.put("email", account.email());
                    node.put("etag", ACCOUNT_ETAG);
                    node.put("name", "projects/" + project.id() + "/serviceAccounts/" + account.email());
                    node.put("oauth2ClientId", account.uniqueId());
                    node.put("projectId", project.id());
                    node.put("uniqueId", account.uniqueId());
                    list.add(node);
                }
            }));
            for (ServiceAccount account : accounts) {
                counts.serviceAccounts++;
                counts.disabledServiceAccounts += account.disabled() ? 1 : 0;
                counts.defaultServiceAccounts += account.isDefault() ? 1 : 0;
            }
        }
    }

    /**
     * Writes the key list of the accounts that have user-managed keys, and of a few that have only the system-managed
     * key that Google rotates. Ages follow the shares of {@link #userManagedKeyAge}, and no key is older than its
     * project. A default account has user-managed keys with a chance of 20 %, any other account 35 %, and a holder
     * a second key with 15 %.
     */
    private void writeKeys(SeededRandom random) {
        GcpIds ids = estate.ids;
        for (Project project : estate.projects) {
            Instant projectCreated = Instant.parse(project.createTime());
            for (ServiceAccount account : estate.accountsOf(project)) {
                int userManaged = 0;
                if (random.chance(account.isDefault() ? 0.2 : 0.35)) {
                    userManaged = random.chance(0.15) ? 2 : 1;
                }
                if (userManaged == 0 && !random.chance(0.05)) {
                    continue;
                }
                ArrayNode keys = NODES.arrayNode();
                Instant systemStart = GcpIds.REFERENCE_TIME.minusSeconds(DAY * random.between(1, 13));
                keys.add(key(project, account, ids.keyId(), "SYSTEM_MANAGED", "GOOGLE_PROVIDED", systemStart,
                        systemStart.plusSeconds(DAY * 730).toString(), false));
                counts.systemManagedKeys++;
                for (int i = 0; i < userManaged; i++) {
                    Instant created = userManagedKeyAge(random, projectCreated);
                    boolean disabled = random.chance(0.06);
                    keys.add(key(project, account, ids.keyId(), "USER_MANAGED",
                            random.chance(0.03) ? "USER_PROVIDED" : "GOOGLE_PROVIDED", created, NO_EXPIRY, disabled));
                    counts.userManagedKeys++;
                    counts.disabledUserManagedKeys += disabled ? 1 : 0;
                    counts.userManagedKeysOlderThan90Days += created.isBefore(GcpIds.REFERENCE_TIME.minusSeconds(DAY * 90)) ? 1 : 0;
                    counts.userManagedKeysOlderThanOneYear += created.isBefore(GcpIds.REFERENCE_TIME.minusSeconds(DAY * 365)) ? 1 : 0;
                }
                counts.serviceAccountsWithUserManagedKeys += userManaged > 0 ? 1 : 0;
                counts.keyFiles++;
                count(GcloudJson.writeValue(folder.resolve("keys/" + account.email() + ".json"), keys));
            }
        }
    }

    /** Returns a creation time under 90 days, up to a year, up to three years or up to six years old (35, 30, 25, 10 %). */
    private static Instant userManagedKeyAge(SeededRandom random, Instant notBefore) {
        int[] maxDays = {90, 365, 3 * 365, 6 * 365};
        int[] minDays = {1, 90, 365, 3 * 365};
        int bucket = random.weighted(0.35, 0.30, 0.25, 0.10);
        Instant created = GcpIds.REFERENCE_TIME.minusSeconds(DAY * random.between(minDays[bucket], maxDays[bucket] - 1)
                + random.nextInt((int) DAY));
        return created.isBefore(notBefore) ? notBefore.plusSeconds(DAY) : created;
    }

    private static ObjectNode key(Project project, ServiceAccount account, String keyId, String type, String origin,
                                  Instant validAfter, String validBefore, boolean disabled) {
        ObjectNode node = NODES.objectNode();
        if (disabled) {
            node.put("disabled", true);
        }
        node.put("keyAlgorithm", "KEY_ALG_RSA_2048");
        node.put("keyOrigin", origin);
        node.put("keyType", type);
        node.put("name", "projects/" + project.id() + "/serviceAccounts/" + account.email() + "/keys/" + keyId);
        node.put("validAfterTime", validAfter.toString());
        node.put("validBeforeTime", validBefore);
        return node;
    }

    private void writeCustomRoles() {
        List<CustomRole> sorted = new ArrayList<>(estate.customRoles);
        sorted.sort(Comparator.comparing(CustomRole::name));
        for (CustomRole role : sorted) {
            ObjectNode node = NODES.objectNode();
            node.put("description", role.description());
            node.put("etag", role.etag());
            ArrayNode permissions = node.putArray("includedPermissions");
            role.permissions().forEach(permissions::add);
            node.put("name", role.name());
            node.put("stage", "GA");
            node.put("title", role.title());
            String parent = role.name().substring(0, role.name().indexOf("/roles/")).replace('/', '-');
            count(GcloudJson.writeValue(folder.resolve("roles/" + parent + "-" + role.roleId() + ".json"), node));
        }
    }

    private void writeResources() {
        for (int start = 0; start < estate.projects.size(); start += PROJECTS_PER_FILE) {
            List<Project> chunk = estate.projects.subList(start, Math.min(start + PROJECTS_PER_FILE, estate.projects.size()));
            count(GcloudJson.writeList(folder.resolve(chunkFile("resources", start)), list -> {
                for (Project project : chunk) {
                    GcpModel.ProjectResources resources = estate.resources.get(project.id());
                    for (List<Resource> group : List.of(resources.withPolicies, resources.withoutPolicies)) {
                        for (Resource resource : group) {
                            list.add(resourceResult(project, resource));
                            counts.resourcesByAssetType.merge(resource.kind().assetType, 1, Integer::sum);
                        }
                    }
                }
            }));
        }
    }

    private ObjectNode resourceResult(Project project, Resource resource) {
        ObjectNode node = NODES.objectNode();
        node.put("assetType", resource.kind().assetType);
        node.put("createTime", resource.createTime());
        node.put("displayName", resource.displayName());
        ArrayNode folders = node.putArray("folders");
        project.folders().forEach(folders::add);
        node.put("location", resource.location());
        node.put("name", resource.name());
        node.put("organization", estate.organizationName());
        node.put("parentAssetType", "cloudresourcemanager.googleapis.com/Project");
        node.put("parentFullResourceName", project.assetName());
        node.put("project", "projects/" + project.number());
        if (resource.state() != null) {
            node.put("state", resource.state());
        }
        return node;
    }

    private void writePolicies() {
        count(GcloudJson.writeList(folder.resolve("iam-policies/organization.json"), list -> {
            for (GcpPolicies.Policy policy : policies.organizationAndFolders()) {
                addPolicy(list, policy);
            }
        }));
        for (int start = 0; start < estate.projects.size(); start += PROJECTS_PER_FILE) {
            List<Project> chunk = estate.projects.subList(start, Math.min(start + PROJECTS_PER_FILE, estate.projects.size()));
            count(GcloudJson.writeList(folder.resolve(chunkFile("iam-policies", start)), list -> {
                for (Project project : chunk) {
                    for (GcpPolicies.Policy policy : policies.projectPolicies(project)) {
                        addPolicy(list, policy);
                    }
                }
            }));
        }
    }

    private static String chunkFile(String kind, int start) {
        return String.format("%s/projects-%03d.json", kind, start / PROJECTS_PER_FILE + 1);
    }

    /** Adds one {@code search-all-iam-policies} result, unless the policy has no grant, which the search leaves out. */
    private void addPolicy(GcloudJson.ListWriter list, GcpPolicies.Policy policy) throws IOException {
        if (policy.grants().isEmpty()) {
            return;
        }
        ObjectNode node = NODES.objectNode();
        node.put("assetType", policy.assetType());
        ArrayNode folders = node.putArray("folders");
        policy.folders().forEach(folders::add);
        node.put("organization", estate.organizationName());
        if (policy.project() != null) {
            node.put("project", "projects/" + policy.project().number());
        }
        node.put("resource", policy.resource());
        ArrayNode bindings = bindings(policy.grants());
        node.putObject("policy").set("bindings", bindings);
        list.add(node);
        counts.bindings += bindings.size();
        counts.addPolicy(policy.assetType(), policy.grants());
        if (policy.assetType().equals(GcpNames.PROJECT_TYPE)) {
            String defaultAccount = "serviceAccount:" + policy.project().defaultAccountEmail();
            counts.defaultServiceAccountsWithEditor += (int) policy.grants().stream().filter(grant -> grant.condition() == null
                    && grant.role().equals(GcpPolicies.EDITOR) && grant.member().equals(defaultAccount)).count();
        }
        if (policy.assetType().equals("iam.googleapis.com/ServiceAccount") && !policy.resource().contains("@")) {
            counts.accountPoliciesByUniqueId++;
        }
    }

    /** Groups grants into bindings of one role and condition, sorted by role with the unconditional binding first. */
    private static ArrayNode bindings(List<Grant> grants) {
        Map<String, List<Grant>> byBinding = new LinkedHashMap<>();
        for (Grant grant : grants) {
            byBinding.computeIfAbsent(grant.bindingKey(), key -> new ArrayList<>()).add(grant);
        }
        List<String> keys = new ArrayList<>(byBinding.keySet());
        keys.sort(null);
        ArrayNode list = NODES.arrayNode();
        for (String key : keys) {
            List<Grant> members = byBinding.get(key);
            Grant first = members.get(0);
            ObjectNode binding = list.addObject();
            if (first.condition() != null) {
                ObjectNode condition = binding.putObject("condition");
                if (first.condition().description() != null) {
                    condition.put("description", first.condition().description());
                }
                condition.put("expression", first.condition().expression());
                condition.put("title", first.condition().title());
            }
            ArrayNode memberList = binding.putArray("members");
            members.stream().map(Grant::member).sorted().forEach(memberList::add);
            binding.put("role", first.role());
        }
        return list;
    }
}
