package dev.nhigraph.gcp.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpInventory.Binding;
import dev.nhigraph.gcp.GcpInventory.Condition;
import dev.nhigraph.gcp.GcpInventory.Resource;
import dev.nhigraph.gcp.GcpInventory.Role;
import dev.nhigraph.gcp.GcpInventory.ServiceAccount;
import dev.nhigraph.gcp.GcpNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link GcpInventory} of the iam-vulnerable GCP lab from the corpus file {@value #CORPUS}, as if every
 * path, with its {@code enable_*} flag on, and every tool-testing case were deployed into one project.
 *
 * <p>This conversion replaces the gcloud bundle of a deployed lab for now. It is kept in this one class so that it can
 * be replaced by writing gcloud files and parsing them with the bundle reader.
 *
 * <p>Conventions: the project {@value #PROJECT_ID} (number {@value #PROJECT_NUMBER}) is in organization
 * {@value #ORGANIZATION_ID}; {@code ATTACKER_MEMBER} is {@value #ATTACKER}; placeholders {@code PROJECT_ID} and
 * {@code PROJECT_NUMBER} are replaced; Terraform references to buckets, secrets, topics, subscriptions and datasets
 * become one resource per path; the path 8 pool is {@code privesc8-pool} with one provider.
 */
final class LabInventory {

    static final String CORPUS = "/corpus/gcp/iam-vulnerable-gcp/paths.json";
    static final String PROJECT_ID = "iam-vulnerable-lab";
    static final String PROJECT_NUMBER = "111111111111";
    static final String ORGANIZATION_ID = "123456789012";
    static final String ATTACKER = "user:attacker@example.com";
    static final String PROJECT = GcpNames.projectName(PROJECT_ID);
    static final String ORGANIZATION = GcpNames.organizationName(ORGANIZATION_ID);
    static final String POOL = "//iam.googleapis.com/projects/" + PROJECT_ID
            + "/locations/global/workloadIdentityPools/privesc8-pool";

    private final JsonNode corpus;

    private LabInventory(JsonNode corpus) {
        this.corpus = corpus;
    }

    static LabInventory load() {
        try (InputStream in = LabInventory.class.getResourceAsStream(CORPUS)) {
            if (in == null) {
                throw new IllegalStateException("Test resource " + CORPUS + " is missing");
            }
            return new LabInventory(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode corpus() {
        return corpus;
    }

    /** Returns the email of the lab account {@code name}, such as {@code privesc-high-priv-sa}. */
    static String email(String name) {
        return name + "@" + PROJECT_ID + ".iam.gserviceaccount.com";
    }

    static String member(String name) {
        return "serviceAccount:" + email(name);
    }

    static String accountResource(String email) {
        return GcpNames.serviceAccountName(PROJECT_ID, email);
    }

    /** Converts the whole corpus: common bindings and roles, every path and every tool-testing case. */
    GcpInventory inventory() {
        Builder builder = new Builder();
        JsonNode conventions = corpus.path("lab_conventions");
        conventions.path("common_custom_roles").forEach(builder::customRole);
        conventions.path("common_bindings").forEach(binding -> builder.binding(binding, "common"));
        builder.account(email("privesc-high-priv-sa"));
        for (JsonNode path : corpus.path("paths")) {
            add(builder, path, path.path("starting_service_accounts"));
        }
        for (JsonNode test : corpus.path("tool_testing")) {
            add(builder, test, test.path("service_accounts"));
        }
        builder.resource(new Resource(POOL, "iam.googleapis.com/WorkloadIdentityPool", PROJECT, PROJECT_ID, null, "ACTIVE",
                CORPUS));
        builder.resource(new Resource(POOL + "/providers/google", "iam.googleapis.com/WorkloadIdentityPoolProvider", POOL,
                PROJECT_ID, null, "ACTIVE", CORPUS));
        return builder.build();
    }

    private static void add(Builder builder, JsonNode entry, JsonNode accounts) {
        accounts.forEach(account -> builder.account(substitute(account.asText())));
        entry.path("custom_roles").forEach(builder::customRole);
        entry.path("bindings").forEach(binding -> builder.binding(binding, entry.path("id").asText()));
    }

    static String substitute(String text) {
        return text.replace("PROJECT_ID", PROJECT_ID).replace("PROJECT_NUMBER", PROJECT_NUMBER)
                .replace("<pool:privesc8_pool>", "privesc8-pool").replace("ATTACKER_MEMBER", ATTACKER);
    }

    /** Collects the inventory's parts; binding indexes count per resource, as in a policy. */
    private static final class Builder {
        private final Map<String, Resource> resources = new LinkedHashMap<>();
        private final Map<String, ServiceAccount> accounts = new LinkedHashMap<>();
        private final Map<String, Role> roles = new LinkedHashMap<>();
        private final List<Binding> bindings = new ArrayList<>();
        private final Map<String, Integer> indexes = new HashMap<>();

        Builder() {
            resource(new Resource(ORGANIZATION, GcpNames.ORGANIZATION_TYPE, null, null, "example.com", "ACTIVE", CORPUS));
            resource(new Resource(PROJECT, GcpNames.PROJECT_TYPE, ORGANIZATION, PROJECT_ID, PROJECT_ID, "ACTIVE", CORPUS));
            account(PROJECT_NUMBER + "-compute@developer.gserviceaccount.com");
        }

        void resource(Resource resource) {
            resources.putIfAbsent(resource.name(), resource);
        }

        void account(String email) {
            if (!accounts.containsKey(email)) {
                accounts.put(email, new ServiceAccount(email, PROJECT_ID, String.valueOf(100000 + accounts.size()), null,
                        false, CORPUS));
            }
        }

        void customRole(JsonNode role) {
            String name = substitute(role.path("role").asText());
            List<String> permissions = new ArrayList<>();
            role.path("permissions").forEach(p -> permissions.add(p.asText()));
            roles.putIfAbsent(name, new Role(name, name.substring(name.lastIndexOf('/') + 1), "GA", false,
                    List.copyOf(permissions), CORPUS));
        }

        void binding(JsonNode binding, String pathId) {
            String member = substitute(binding.path("member").asText());
            if (member.startsWith("serviceAccount:")) {
                account(member.substring("serviceAccount:".length()));
            }
            String resource = resourceOf(binding, pathId);
            Condition condition = null;
            if (binding.hasNonNull("condition")) {
                JsonNode c = binding.path("condition");
                condition = new Condition(c.path("title").asText(null), c.path("description").asText(null),
                        c.path("expression").asText());
            }
            int index = indexes.merge(resource, 1, Integer::sum) - 1;
            bindings.add(new Binding(resource, substitute(binding.path("role").asText()), List.of(member), condition,
                    index, CORPUS + "#" + pathId));
            if (binding.has("role_permissions") && binding.path("role").asText().contains("/roles/")) {
                customRole(binding.path("role"), binding.path("role_permissions"));
            }
        }

        private void customRole(JsonNode role, JsonNode permissions) {
            String name = substitute(role.asText());
            if (!roles.containsKey(name)) {
                List<String> list = new ArrayList<>();
                permissions.forEach(p -> list.add(p.asText()));
                roles.put(name, new Role(name, name.substring(name.lastIndexOf('/') + 1), "GA", false, List.copyOf(list),
                        CORPUS));
            }
        }

        /** Maps a Terraform binding to the canonical name of the resource its policy is on. */
        private String resourceOf(JsonNode binding, String pathId) {
            String type = binding.path("tf_type").asText();
            String suffix = pathId.toLowerCase(Locale.ROOT) + "-target";
            switch (type) {
                case "google_project_iam_member":
                    return PROJECT;
                case "google_service_account_iam_member": {
                    String id = substitute(binding.path("service_account_id").asText());
                    String email = id.substring(id.lastIndexOf('/') + 1);
                    account(email);
                    return accountResource(email);
                }
                case "google_storage_bucket_iam_member":
                    return leaf("//storage.googleapis.com/" + PROJECT_ID + "-" + suffix, "storage.googleapis.com/Bucket");
                case "google_secret_manager_secret_iam_member":
                    return leaf("//secretmanager.googleapis.com/projects/" + PROJECT_ID + "/secrets/" + suffix,
                            "secretmanager.googleapis.com/Secret");
                case "google_pubsub_topic_iam_member":
                    return leaf("//pubsub.googleapis.com/projects/" + PROJECT_ID + "/topics/" + suffix,
                            "pubsub.googleapis.com/Topic");
                case "google_pubsub_subscription_iam_member":
                    return leaf("//pubsub.googleapis.com/projects/" + PROJECT_ID + "/subscriptions/" + suffix,
                            "pubsub.googleapis.com/Subscription");
                case "google_bigquery_dataset_iam_member":
                    return leaf("//bigquery.googleapis.com/projects/" + PROJECT_ID + "/datasets/" + suffix.replace('-', '_'),
                            "bigquery.googleapis.com/Dataset");
                default:
                    throw new IllegalArgumentException("Binding type " + type + " of path " + pathId
                            + " has no mapping in LabInventory; add one to resourceOf");
            }
        }

        private String leaf(String name, String assetType) {
            resource(new Resource(name, assetType, PROJECT, PROJECT_ID, null, null, CORPUS));
            return name;
        }

        GcpInventory build() {
            return new GcpInventory(List.copyOf(resources.values()), List.copyOf(accounts.values()), List.of(),
                    List.copyOf(roles.values()), List.copyOf(bindings), List.of(), Map.of(PROJECT_NUMBER, PROJECT_ID),
                    List.of(), List.of());
        }
    }

    /** Returns {@code base} with more resources, bindings and deny rules, for scenarios that need them. */
    static GcpInventory with(GcpInventory base, List<Resource> resources, List<Binding> bindings,
                             List<GcpInventory.DenyRule> denyRules) {
        List<Resource> allResources = new ArrayList<>(base.resources());
        allResources.addAll(resources);
        List<Binding> allBindings = new ArrayList<>(base.bindings());
        allBindings.addAll(bindings);
        List<GcpInventory.DenyRule> allDenyRules = new ArrayList<>(base.denyRules());
        allDenyRules.addAll(denyRules);
        return new GcpInventory(allResources, base.serviceAccounts(), base.keys(), base.customRoles(), allBindings,
                allDenyRules, base.projectNumbers(), base.skipped(), base.warnings());
    }

    /** Returns {@code base} with the custom role {@code name} holding {@code permissions} instead. */
    static GcpInventory withRolePermissions(GcpInventory base, String name, List<String> permissions) {
        List<Role> roles = new ArrayList<>();
        for (Role role : base.customRoles()) {
            roles.add(role.name().equals(name)
                    ? new Role(role.name(), role.title(), role.stage(), false, permissions, role.sourceFile()) : role);
        }
        return new GcpInventory(base.resources(), base.serviceAccounts(), base.keys(), roles, base.bindings(),
                base.denyRules(), base.projectNumbers(), base.skipped(), base.warnings());
    }

    /** Returns every path and tool-testing id of the corpus with its starting accounts' emails. */
    Map<String, Set<String>> startingAccounts() {
        Map<String, Set<String>> result = new LinkedHashMap<>();
        for (JsonNode path : corpus.path("paths")) {
            Set<String> emails = new LinkedHashSet<>();
            path.path("starting_service_accounts").forEach(a -> emails.add(substitute(a.asText())));
            result.put(path.path("id").asText(), emails);
        }
        for (JsonNode test : corpus.path("tool_testing")) {
            Set<String> emails = new LinkedHashSet<>();
            test.path("service_accounts").forEach(a -> emails.add(substitute(a.asText())));
            result.put(test.path("id").asText(), emails);
        }
        return result;
    }
}
