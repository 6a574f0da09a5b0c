package dev.nhigraph.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the GCP port of the iam-vulnerable lab as the gcloud outputs that nhigraph reads, so tests can load the
 * lab as a user would load a real project's bundle.
 *
 * <p>The lab comes from {@code src/test/resources/corpus/gcp/iam-vulnerable-gcp/paths.json} (see the NOTICE.md
 * beside it): escalation paths, tool-testing cases and the bindings common to all of them, with the placeholders
 * PROJECT_ID, PROJECT_NUMBER and ATTACKER_MEMBER. Here the project is {@value #PROJECT_ID}, number
 * {@value #PROJECT_NUMBER}, under organization {@value #ORGANIZATION_ID}, and the attacker is
 * {@value #ATTACKER_MEMBER}. The written files are:
 *
 * <ul>
 *   <li>{@code organizations.json} and {@code projects.json}: {@code gcloud organizations list} and
 *       {@code gcloud projects list};</li>
 *   <li>{@code service-accounts.json}: {@code gcloud iam service-accounts list}, with every account the bindings
 *       and the scenarios name, the Compute Engine default account included;</li>
 *   <li>{@code roles/ROLE_ID.json}: {@code gcloud iam roles describe} of each custom role;</li>
 *   <li>{@code iam-policies.json}: {@code gcloud asset search-all-iam-policies}, with the project's policy (the
 *       {@code google_project_iam_member} bindings grouped by role and condition), one policy per service account
 *       for {@code google_service_account_iam_member}, and one each for the bucket, secret, topic, subscription and
 *       dataset that the lateral-movement paths grant on.</li>
 * </ul>
 *
 * <p>The secret's policy names the project by number, as Cloud Asset Inventory does for Secret Manager, so loading
 * the lab also exercises the number-to-id mapping.
 */
public final class IamVulnerableGcpFixture {

    public static final Path CORPUS = Path.of("src/test/resources/corpus/gcp/iam-vulnerable-gcp/paths.json");
    public static final String PROJECT_ID = "iam-vulnerable-lab";
    public static final String PROJECT_NUMBER = "424242424242";
    public static final String ORGANIZATION_ID = "271828182845";
    public static final String ATTACKER_MEMBER = "user:attacker@example.com";

    /** The lab's target resources, named as its Terraform names them with the default prefix "privesc". */
    public static final String BUCKET = PROJECT_ID + "-privesc-target";
    public static final String SECRET = "privesc-target-secret";
    public static final String TOPIC = "privesc-target-topic";
    public static final String SUBSCRIPTION = "privesc-target-sub";
    public static final String DATASET = "privesc_target_dataset";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern POOL_PLACEHOLDER = Pattern.compile("<pool:([a-z0-9_]+)>");

    /** Where each resource-level binding type puts its policy, and the Terraform reference it must carry. */
    private static final Map<String, Target> RESOURCE_TARGETS = Map.of(
            "google_storage_bucket_iam_member", new Target("ref:google_storage_bucket.target_bucket", "bucket",
                    "//storage.googleapis.com/" + BUCKET, "//storage.googleapis.com/" + BUCKET, "storage.googleapis.com/Bucket"),
            "google_secret_manager_secret_iam_member", new Target("ref:google_secret_manager_secret.target_secret", "secret_id",
                    "//secretmanager.googleapis.com/projects/" + PROJECT_NUMBER + "/secrets/" + SECRET,
                    "//secretmanager.googleapis.com/projects/" + PROJECT_ID + "/secrets/" + SECRET,
                    "secretmanager.googleapis.com/Secret"),
            "google_pubsub_topic_iam_member", new Target("ref:google_pubsub_topic.target_topic", "topic",
                    "//pubsub.googleapis.com/projects/" + PROJECT_ID + "/topics/" + TOPIC,
                    "//pubsub.googleapis.com/projects/" + PROJECT_ID + "/topics/" + TOPIC, "pubsub.googleapis.com/Topic"),
            // The corpus gives no reference for the subscription; the lab has one, target_subscription.
            "google_pubsub_subscription_iam_member", new Target(null, "subscription",
                    "//pubsub.googleapis.com/projects/" + PROJECT_ID + "/subscriptions/" + SUBSCRIPTION,
                    "//pubsub.googleapis.com/projects/" + PROJECT_ID + "/subscriptions/" + SUBSCRIPTION,
                    "pubsub.googleapis.com/Subscription"),
            "google_bigquery_dataset_iam_member", new Target("ref:google_bigquery_dataset.target_dataset", "dataset_id",
                    "//bigquery.googleapis.com/projects/" + PROJECT_ID + "/datasets/" + DATASET,
                    "//bigquery.googleapis.com/projects/" + PROJECT_ID + "/datasets/" + DATASET,
                    "bigquery.googleapis.com/Dataset"));

    /**
     * One member granted one role on one resource: the unit that the lab's {@code *_iam_member} resources create.
     *
     * @param resource  the canonical full resource name, as the inventory names it
     * @param condition the condition's title and expression, or null
     */
    public record Grant(String resource, String role, String member, GcpInventory.Condition condition) {
    }

    /**
     * What a written lab or scenario contains, for assertions.
     *
     * @param serviceAccounts the emails of its service accounts
     * @param customRoles     the names of its custom roles with their permissions
     * @param grants          every member, role, resource and condition its bindings grant
     */
    public record Lab(Set<String> serviceAccounts, Map<String, List<String>> customRoles, Set<Grant> grants) {
    }

    /** Where a binding type puts its policy: the name written in the file, and the inventory's canonical name. */
    private record Target(String reference, String field, String writtenName, String canonicalName, String assetType) {
    }

    /** A binding of the lab, placed on its resource. */
    private record PlacedBinding(Target target, String role, String member, GcpInventory.Condition condition) {
    }

    private final JsonNode corpus;
    private final Map<String, String> uniqueIds = new TreeMap<>();

    private IamVulnerableGcpFixture(JsonNode corpus) {
        this.corpus = corpus;
        // Unique ids are numbered over the whole lab, so a scenario written alone gives its accounts the same ids.
        List<String> emails = new ArrayList<>(expected(scenarioNodes()).serviceAccounts());
        emails.sort(Comparator.naturalOrder());
        for (int i = 0; i < emails.size(); i++) {
            uniqueIds.put(emails.get(i), String.format("1%020d", 7000 + i));
        }
    }

    /** Reads the lab from {@link #CORPUS}. */
    public static IamVulnerableGcpFixture load() {
        try {
            return new IamVulnerableGcpFixture(JSON.readTree(CORPUS.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + CORPUS, e);
        }
    }

    /** Returns the ids of the escalation paths and tool-testing cases, such as "1", "15a", "L3" and "fn1". */
    public List<String> scenarioIds() {
        return scenarioNodes().stream().map(node -> node.get("id").asText()).toList();
    }

    /** Writes the whole lab (every path, every tool-testing case and the common bindings) into {@code dir}. */
    public List<Path> write(Path dir) {
        return write(dir, scenarioNodes());
    }

    /** Writes one path or tool-testing case, with the common bindings and roles, into {@code dir}. */
    public List<Path> writeScenario(String id, Path dir) {
        return write(dir, List.of(scenario(id)));
    }

    /** Returns what {@link #write} writes. */
    public Lab expected() {
        return expected(scenarioNodes());
    }

    /** Returns what {@link #writeScenario} writes for {@code id}. */
    public Lab expectedScenario(String id) {
        return expected(List.of(scenario(id)));
    }

    private JsonNode scenario(String id) {
        return scenarioNodes().stream().filter(node -> node.get("id").asText().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No path or tool-testing case " + id + " in " + CORPUS
                        + "; the ids are " + scenarioIds()));
    }

    private List<JsonNode> scenarioNodes() {
        List<JsonNode> nodes = new ArrayList<>();
        corpus.get("paths").forEach(nodes::add);
        corpus.get("tool_testing").forEach(nodes::add);
        return nodes;
    }

    private Lab expected(List<JsonNode> scenarios) {
        Set<Grant> grants = new LinkedHashSet<>();
        for (PlacedBinding binding : bindings(scenarios)) {
            grants.add(new Grant(binding.target().canonicalName(), binding.role(), binding.member(), binding.condition()));
        }
        return new Lab(serviceAccounts(scenarios), customRoles(scenarios), grants);
    }

    private List<Path> write(Path dir, List<JsonNode> scenarios) {
        try {
            Files.createDirectories(dir.resolve("roles"));
            List<Path> written = new ArrayList<>();
            written.add(writeJson(dir.resolve("organizations.json"), organizations()));
            written.add(writeJson(dir.resolve("projects.json"), projects()));
            written.add(writeJson(dir.resolve("service-accounts.json"), serviceAccountList(serviceAccounts(scenarios))));
            for (Map.Entry<String, List<String>> role : customRoles(scenarios).entrySet()) {
                String roleId = role.getKey().substring(role.getKey().lastIndexOf('/') + 1);
                written.add(writeJson(dir.resolve("roles").resolve(roleId + ".json"), describeRole(role.getKey(), role.getValue())));
            }
            written.add(writeJson(dir.resolve("iam-policies.json"), policies(bindings(scenarios))));
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write the iam-vulnerable lab to " + dir, e);
        }
    }

    private static Path writeJson(Path file, JsonNode content) throws IOException {
        JSON.writeValue(file.toFile(), content);
        return file;
    }

    private static ArrayNode organizations() {
        ArrayNode list = JSON.createArrayNode();
        ObjectNode organization = list.addObject();
        organization.put("creationTime", "2021-03-01T09:00:00.000Z");
        organization.put("displayName", "example.com");
        organization.put("lifecycleState", "ACTIVE");
        organization.put("name", "organizations/" + ORGANIZATION_ID);
        organization.putObject("owner").put("directoryCustomerId", "C00example");
        return list;
    }

    private static ArrayNode projects() {
        ArrayNode list = JSON.createArrayNode();
        ObjectNode project = list.addObject();
        project.put("createTime", "2021-03-02T10:00:00.000Z");
        project.put("lifecycleState", "ACTIVE");
        project.put("name", "IAM Vulnerable lab");
        project.putObject("parent").put("id", ORGANIZATION_ID).put("type", "organization");
        project.put("projectId", PROJECT_ID);
        project.put("projectNumber", PROJECT_NUMBER);
        return list;
    }

    private ArrayNode serviceAccountList(Set<String> emails) {
        ArrayNode list = JSON.createArrayNode();
        for (String email : new TreeSet<>(emails)) {
            ObjectNode account = list.addObject();
            String accountId = email.substring(0, email.indexOf('@'));
            account.put("displayName", email.endsWith("-compute@developer.gserviceaccount.com")
                    ? "Compute Engine default service account" : accountId);
            account.put("email", email);
            account.put("etag", "MDEwMjE5MjA=");
            account.put("name", "projects/" + PROJECT_ID + "/serviceAccounts/" + email);
            account.put("oauth2ClientId", uniqueIds.get(email));
            account.put("projectId", PROJECT_ID);
            account.put("uniqueId", uniqueIds.get(email));
        }
        return list;
    }

    private static ObjectNode describeRole(String name, List<String> permissions) {
        String roleId = name.substring(name.lastIndexOf('/') + 1);
        ObjectNode role = JSON.createObjectNode();
        role.put("description", "Custom role " + roleId + " of the iam-vulnerable lab");
        role.put("etag", "BwYIam" + Math.abs(roleId.hashCode()));
        ArrayNode included = role.putArray("includedPermissions");
        permissions.stream().sorted().forEach(included::add);
        role.put("name", name);
        role.put("stage", "GA");
        role.put("title", roleId);
        return role;
    }

    /** Returns one IamPolicySearchResult per resource, each binding grouping the members of one role and condition. */
    private static ArrayNode policies(List<PlacedBinding> bindings) {
        Map<String, Map<String, Set<String>>> byResource = new TreeMap<>(Comparator.comparing(IamVulnerableGcpFixture::policyOrder));
        Map<String, Target> targets = new TreeMap<>();
        Map<String, GcpInventory.Condition> conditions = new TreeMap<>();
        for (PlacedBinding binding : bindings) {
            targets.put(binding.target().writtenName(), binding.target());
            String group = binding.role() + "|" + (binding.condition() == null ? "" : binding.condition().title());
            conditions.putIfAbsent(group, binding.condition());
            byResource.computeIfAbsent(binding.target().writtenName(), key -> new TreeMap<>())
                    .computeIfAbsent(group, key -> new TreeSet<>()).add(binding.member());
        }
        ArrayNode list = JSON.createArrayNode();
        for (Map.Entry<String, Map<String, Set<String>>> resource : byResource.entrySet()) {
            Target target = targets.get(resource.getKey());
            ObjectNode result = list.addObject();
            result.put("assetType", target.assetType());
            result.put("organization", "organizations/" + ORGANIZATION_ID);
            ObjectNode policy = result.putObject("policy");
            ArrayNode bindingList = policy.putArray("bindings");
            boolean conditional = false;
            for (Map.Entry<String, Set<String>> group : resource.getValue().entrySet()) {
                ObjectNode binding = bindingList.addObject();
                GcpInventory.Condition condition = conditions.get(group.getKey());
                if (condition != null) {
                    conditional = true;
                    binding.putObject("condition").put("expression", condition.expression()).put("title", condition.title());
                }
                ArrayNode members = binding.putArray("members");
                group.getValue().forEach(members::add);
                binding.put("role", group.getKey().substring(0, group.getKey().indexOf('|')));
            }
            policy.put("etag", "BwYIamLab" + Math.abs(resource.getKey().hashCode()));
            // Policies with conditional bindings are version 3, as the IAM API requires.
            policy.put("version", conditional ? 3 : 1);
            result.put("project", "projects/" + PROJECT_NUMBER);
            result.put("resource", resource.getKey());
        }
        return list;
    }

    /** Sorts the project's policy first, then the service accounts', then the other resources'. */
    private static String policyOrder(String resource) {
        int rank = resource.startsWith("//cloudresourcemanager.") ? 0 : resource.startsWith("//iam.") ? 1 : 2;
        return rank + resource;
    }

    private List<PlacedBinding> bindings(List<JsonNode> scenarios) {
        List<PlacedBinding> placed = new ArrayList<>();
        for (JsonNode node : bindingNodes(scenarios)) {
            GcpInventory.Condition condition = null;
            if (node.has("condition")) {
                condition = new GcpInventory.Condition(node.at("/condition/title").asText(), null,
                        node.at("/condition/expression").asText());
            }
            placed.add(new PlacedBinding(target(node), substitute(node.get("role").asText()), member(node), condition));
        }
        return placed;
    }

    /**
     * Returns where a binding's policy is set. Every {@code tf_type} of the corpus is handled, and an unknown one
     * fails, so that a corpus update that adds one is noticed here.
     */
    private static Target target(JsonNode binding) {
        String type = binding.get("tf_type").asText();
        switch (type) {
            case "google_project_iam_member" -> {
                String name = GcpNames.projectName(substitute(binding.get("project").asText()));
                return new Target(null, "project", name, name, GcpNames.PROJECT_TYPE);
            }
            case "google_service_account_iam_member" -> {
                // service_account_id is an email or projects/PROJECT/serviceAccounts/EMAIL.
                String id = substitute(binding.get("service_account_id").asText());
                String name = GcpNames.serviceAccountName(PROJECT_ID, id.substring(id.lastIndexOf('/') + 1));
                return new Target(null, "service_account_id", name, name, GcpNames.SERVICE_ACCOUNT_TYPE);
            }
            default -> {
                Target target = RESOURCE_TARGETS.get(type);
                if (target == null) {
                    throw new IllegalStateException(CORPUS + " has a binding of tf_type " + type + ", which the fixture"
                            + " does not place on a resource: " + binding);
                }
                JsonNode reference = binding.get(target.field());
                if (!Objects.equals(target.reference(), reference == null ? null : reference.asText())) {
                    throw new IllegalStateException(CORPUS + " has a " + type + " binding on " + reference + ", where the"
                            + " fixture knows only " + target.reference() + ": " + binding);
                }
                return target;
            }
        }
    }

    private static String member(JsonNode binding) {
        String member = binding.get("member").asText();
        if (member.equals("ATTACKER_MEMBER")) {
            return ATTACKER_MEMBER;
        }
        // The corpus writes the Terraform pool resource as <pool:NAME>. A pool id has hyphens, not underscores.
        Matcher pool = POOL_PLACEHOLDER.matcher(substitute(member));
        return pool.replaceAll(match -> match.group(1).replace('_', '-'));
    }

    private Set<String> serviceAccounts(List<JsonNode> scenarios) {
        Set<String> emails = new TreeSet<>();
        for (JsonNode scenario : scenarios) {
            scenario.path("starting_service_accounts").forEach(email -> emails.add(substitute(email.asText())));
            scenario.path("service_accounts").forEach(email -> emails.add(substitute(email.asText())));
        }
        for (JsonNode node : bindingNodes(scenarios)) {
            String member = substitute(node.get("member").asText());
            if (member.startsWith("serviceAccount:")) {
                emails.add(member.substring("serviceAccount:".length()));
            }
            if (node.has("service_account_id")) {
                String id = substitute(node.get("service_account_id").asText());
                emails.add(id.substring(id.lastIndexOf('/') + 1));
            }
        }
        return emails;
    }

    private Map<String, List<String>> customRoles(List<JsonNode> scenarios) {
        Map<String, List<String>> roles = new TreeMap<>();
        List<JsonNode> definitions = new ArrayList<>();
        corpus.at("/lab_conventions/common_custom_roles").forEach(definitions::add);
        scenarios.forEach(scenario -> scenario.get("custom_roles").forEach(definitions::add));
        for (JsonNode definition : definitions) {
            addRole(roles, substitute(definition.get("role").asText()), definition.get("permissions"));
        }
        // A binding repeats its custom role's permissions, so a role defined nowhere else still gets them.
        for (JsonNode node : bindingNodes(scenarios)) {
            if (node.has("role_permissions")) {
                addRole(roles, substitute(node.get("role").asText()), node.get("role_permissions"));
            }
        }
        return roles;
    }

    /** Returns the common bindings followed by those of {@code scenarios}. */
    private List<JsonNode> bindingNodes(List<JsonNode> scenarios) {
        List<JsonNode> nodes = new ArrayList<>();
        corpus.at("/lab_conventions/common_bindings").forEach(nodes::add);
        scenarios.forEach(scenario -> scenario.get("bindings").forEach(nodes::add));
        return nodes;
    }

    private static void addRole(Map<String, List<String>> roles, String name, JsonNode permissionList) {
        List<String> permissions = new ArrayList<>();
        permissionList.forEach(permission -> permissions.add(permission.asText()));
        permissions.sort(Comparator.naturalOrder());
        List<String> known = roles.putIfAbsent(name, List.copyOf(permissions));
        if (known != null && !known.equals(permissions)) {
            throw new IllegalStateException(CORPUS + " gives custom role " + name + " the permissions " + known
                    + " in one place and " + permissions + " in another");
        }
    }

    private static String substitute(String text) {
        return text.replace("PROJECT_NUMBER", PROJECT_NUMBER).replace("PROJECT_ID", PROJECT_ID);
    }
}
