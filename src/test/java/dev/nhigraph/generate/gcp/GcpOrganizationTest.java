package dev.nhigraph.generate.gcp;

import static dev.nhigraph.generate.SyntheticOrganizationTest.hashes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.gcp.GcpRoleCatalog;
import dev.nhigraph.generate.Tier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GCP part of tier S, read back from its files: exact counts, gcloud output shapes and the planted ground truth. */
class GcpOrganizationTest {

    private static final long SEED = 7;
    private static final Pattern PROJECT_ID = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
    private static final Pattern DIGITS_12 = Pattern.compile("[1-9][0-9]{11}");
    private static final Pattern UNIQUE_ID = Pattern.compile("1[0-9]{20}");
    private static final Pattern ACCOUNT_EMAIL =
            Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\\.iam\\.gserviceaccount\\.com"
                    + "|[1-9][0-9]{11}-compute@developer\\.gserviceaccount\\.com");
    private static final Pattern KEY_NAME = Pattern.compile("projects/([^/]+)/serviceAccounts/([^/]+)/keys/[0-9a-f]{40}");
    private static final Pattern MEMBER = Pattern.compile("(user|group|serviceAccount):[^:]+|allUsers"
            + "|deleted:serviceAccount:[^?]+\\?uid=[0-9]{21}|project(Owner|Editor|Viewer):[a-z0-9-]+");

    @TempDir
    static Path dir;

    private static GcpOrganization.Result result;
    private static GcpBundleFiles bundle;
    private static Map<String, String> projectNumbers;
    private static Map<String, String> accountsByUniqueId;

    @BeforeAll
    static void generate() throws IOException {
        result = GcpOrganization.generate(Tier.S, SEED, dir.resolve("bundle")).orElseThrow();
        bundle = new GcpBundleFiles(dir.resolve("bundle/gcp"));
        projectNumbers = new HashMap<>();
        for (JsonNode project : bundle.projects) {
            projectNumbers.put(project.get("projectNumber").asText(), project.get("projectId").asText());
        }
        accountsByUniqueId = new HashMap<>();
        for (JsonNode account : bundle.serviceAccounts()) {
            accountsByUniqueId.put(account.get("uniqueId").asText(),
                    GcpNames.serviceAccountName(account.get("projectId").asText(), account.get("email").asText()));
        }
    }

    @Test
    void tierS_hasExactCounts() {
        assertEquals(1, bundle.organizations.size());
        assertEquals(8, bundle.folders.size());
        assertEquals(10, bundle.projects.size());
        assertEquals(150, bundle.serviceAccounts().size());
        assertEquals(10, bundle.filesBelow("service-accounts").size(), "one service-account list per project");
        assertEquals(1_500, bundle.grants());
        assertEquals(6, bundle.filesBelow("roles").size());
        assertEquals(68, bundle.resources().size());
        assertEquals(10, result.paths());
        assertEquals(5, result.decoys());
    }

    @Test
    void tierS_countsMatchFiles() {
        JsonNode counts = result.expected().get("counts");

        assertEquals(bundle.files.size(), counts.get("files").asInt());
        assertEquals(bundle.files.size(), result.files());
        assertEquals(bundle.grants(), counts.get("grants").asInt());
        assertEquals(bundle.policies().stream().mapToInt(policy -> policy.get("policy").get("bindings").size()).sum(),
                counts.get("bindings").asInt());
        assertEquals(bundle.serviceAccounts().size(), counts.get("serviceAccounts").asInt());
        assertEquals(bundle.filesBelow("keys").size(), counts.get("keys").get("files").asInt());
        assertEquals(count(bundle.keys(), "keyType", "USER_MANAGED"), counts.get("keys").get("userManaged").asInt());
        assertEquals(count(bundle.keys(), "keyType", "SYSTEM_MANAGED"), counts.get("keys").get("systemManaged").asInt());
        assertEquals(bundle.serviceAccounts().stream().filter(a -> a.get("email").asText().endsWith("-compute@developer.gserviceaccount.com")).count(),
                counts.get("defaultServiceAccounts").asInt());
        assertEquals(defaultAccountsWithEditor(), counts.get("defaultServiceAccountsWithEditor").asInt());
        assertEquals(conditionalGrants(), counts.get("conditionalGrants").asInt());
    }

    @Test
    void tierS_grantsHaveRealisticShares() {
        JsonNode counts = result.expected().get("counts");
        int grants = counts.get("grants").asInt();

        assertTrue(counts.get("grantsByLevel").get("projects").asInt() > grants / 2, counts.toString());
        assertTrue(counts.get("grantsByLevel").get("folders").asInt() > 0, counts.toString());
        assertTrue(counts.get("grantsByLevel").get("organization").asInt() > 0, counts.toString());
        double conditional = counts.get("conditionalGrants").asDouble() / grants;
        assertTrue(conditional > 0.05, "conditional share " + conditional);
        assertTrue(conditional < 0.15, "conditional share " + conditional);
        assertTrue(counts.get("expiredConditionGrants").asInt() > 0, counts.toString());
        assertTrue(counts.get("deletedMemberGrants").asInt() > 0, counts.toString());
        assertEquals(2, counts.get("allUsersGrants").asInt());
        assertTrue(counts.get("customRoleGrants").asInt() > 0, counts.toString());
        assertTrue(counts.get("serviceAccountPoliciesNamedByUniqueId").asInt() > 0, counts.toString());
    }

    @Test
    void sameSeed_givesIdenticalBytes() throws Exception {
        GcpOrganization.generate(Tier.S, SEED, dir.resolve("again/bundle"));

        assertEquals(hashes(dir.resolve("bundle/gcp")), hashes(dir.resolve("again/bundle/gcp")));
    }

    @Test
    void otherSeed_givesOtherContent() throws Exception {
        GcpOrganization.generate(Tier.S, SEED + 1, dir.resolve("other/bundle"));

        assertNotEquals(hashes(dir.resolve("bundle/gcp")).get("projects.json"),
                hashes(dir.resolve("other/bundle/gcp")).get("projects.json"));
    }

    @Test
    void tierQ_hasNoGcpPart() {
        assertTrue(GcpOrganization.generate(Tier.Q, SEED, dir.resolve("q/bundle")).isEmpty());
        assertFalse(Files.exists(dir.resolve("q/bundle/gcp")));
    }

    @Test
    void hierarchy_hasGcloudShape() {
        JsonNode organization = bundle.organizations.get(0);
        String organizationName = organization.get("name").asText();
        assertTrue(organizationName.matches("organizations/[1-9][0-9]{11}"), organizationName);
        assertTrue(organization.get("owner").get("directoryCustomerId").asText().startsWith("C0"));
        assertEquals("ACTIVE", organization.get("lifecycleState").asText());

        Set<String> folderNames = new HashSet<>();
        bundle.folders.forEach(folder -> folderNames.add(folder.get("name").asText()));
        int depth = 0;
        for (JsonNode folder : bundle.folders) {
            String parent = folder.get("parent").asText();
            assertTrue(parent.equals(organizationName) || folderNames.contains(parent), "unknown parent " + parent);
            assertTrue(folder.get("name").asText().matches("folders/[1-9][0-9]{11}"), folder.toString());
            assertEquals("ACTIVE", folder.get("lifecycleState").asText());
            assertNotNull(folder.get("displayName"), folder.toString());
            depth = Math.max(depth, parent.startsWith("folders/") ? 2 : 1);
        }
        assertEquals(2, depth, "team folders sit below the top-level folders");

        for (JsonNode project : bundle.projects) {
            assertTrue(PROJECT_ID.matcher(project.get("projectId").asText()).matches(), project.toString());
            assertTrue(project.get("projectNumber").isTextual(), "gcloud prints the project number as a string");
            assertTrue(DIGITS_12.matcher(project.get("projectNumber").asText()).matches(), project.toString());
            String type = project.get("parent").get("type").asText();
            String id = project.get("parent").get("id").asText();
            assertTrue(type.equals("organization") ? organizationName.equals("organizations/" + id)
                    : folderNames.contains("folders/" + id), project.toString());
            Instant.parse(project.get("createTime").asText());
        }
    }

    @Test
    void serviceAccounts_haveGcloudShape() {
        Set<String> emails = new HashSet<>();
        for (Map.Entry<String, JsonNode> file : bundle.filesBelow("service-accounts").entrySet()) {
            String projectId = file.getKey().substring("service-accounts/".length(), file.getKey().length() - ".json".length());
            boolean hasDefault = false;
            for (JsonNode account : file.getValue()) {
                String email = account.get("email").asText();
                assertTrue(ACCOUNT_EMAIL.matcher(email).matches(), email);
                assertTrue(emails.add(email), "duplicate " + email);
                assertEquals("projects/" + projectId + "/serviceAccounts/" + email, account.get("name").asText());
                assertEquals(projectId, account.get("projectId").asText());
                assertTrue(UNIQUE_ID.matcher(account.get("uniqueId").asText()).matches(), account.toString());
                assertEquals(account.get("uniqueId").asText(), account.get("oauth2ClientId").asText());
                assertTrue(account.get("disabled").isBoolean(), account.toString());
                hasDefault |= email.endsWith("-compute@developer.gserviceaccount.com");
            }
            assertTrue(hasDefault, file.getKey() + " lists no Compute Engine default account");
        }
    }

    @Test
    void keys_haveGcloudShape() {
        Instant reference = Instant.parse(result.expected().get("referenceTime").asText());
        for (Map.Entry<String, JsonNode> file : bundle.filesBelow("keys").entrySet()) {
            String email = file.getKey().substring("keys/".length(), file.getKey().length() - ".json".length());
            for (JsonNode key : file.getValue()) {
                var name = KEY_NAME.matcher(key.get("name").asText());
                assertTrue(name.matches(), key.toString());
                assertEquals(email, name.group(2));
                assertEquals("KEY_ALG_RSA_2048", key.get("keyAlgorithm").asText());
                assertTrue(Set.of("USER_MANAGED", "SYSTEM_MANAGED").contains(key.get("keyType").asText()), key.toString());
                assertTrue(Set.of("GOOGLE_PROVIDED", "USER_PROVIDED").contains(key.get("keyOrigin").asText()), key.toString());
                Instant validAfter = Instant.parse(key.get("validAfterTime").asText());
                assertTrue(validAfter.isBefore(reference), key.toString());
                assertTrue(validAfter.isBefore(Instant.parse(key.get("validBeforeTime").asText())), key.toString());
                assertTrue(!key.has("disabled") || key.get("disabled").asBoolean(), "disabled is written only when true");
            }
        }
    }

    @Test
    void customRoles_haveDescribeShape() {
        for (JsonNode role : bundle.filesBelow("roles").values()) {
            String name = role.get("name").asText();
            assertTrue(name.matches("(organizations/[0-9]{12}|projects/[a-z0-9-]+)/roles/[a-zA-Z0-9_.]{3,64}"), name);
            assertEquals("GA", role.get("stage").asText());
            assertTrue(role.get("includedPermissions").size() > 0, name);
            assertTrue(role.get("title").isTextual(), name);
            assertTrue(role.get("etag").isTextual(), name);
        }
    }

    @Test
    void policies_haveSearchShape() {
        String organization = bundle.organizations.get(0).get("name").asText();
        Set<String> folderNames = new HashSet<>();
        bundle.folders.forEach(folder -> folderNames.add(folder.get("name").asText()));
        for (JsonNode result : bundle.policies()) {
            assertEquals(organization, result.get("organization").asText());
            String project = result.path("project").asText(null);
            assertTrue(project == null ? result.get("assetType").asText().matches(".*/(Organization|Folder)")
                    : projectNumbers.containsKey(project.substring("projects/".length())), result.toString());
            result.get("folders").forEach(folder -> assertTrue(folderNames.contains(folder.asText()), folder.asText()));
            assertTrue(result.get("resource").asText().startsWith("//"), result.toString());
            JsonNode bindings = result.get("policy").get("bindings");
            assertTrue(bindings.size() > 0, "search-all-iam-policies lists no empty policy: " + result);
            for (JsonNode binding : bindings) {
                assertTrue(binding.get("role").asText().contains("roles/"), binding.toString());
                assertTrue(binding.get("members").size() > 0, binding.toString());
                binding.get("members").forEach(member -> assertTrue(MEMBER.matcher(member.asText()).matches(), member.asText()));
                if (binding.has("condition")) {
                    assertTrue(binding.get("condition").get("title").isTextual(), binding.toString());
                    assertTrue(binding.get("condition").get("expression").isTextual(), binding.toString());
                }
            }
        }
    }

    @Test
    void policies_nameAccountsByEmailAndUniqueId() {
        Set<String> accountNames = new HashSet<>(accountsByUniqueId.values());
        int byUniqueId = 0;
        for (JsonNode result : bundle.policies()) {
            String resource = result.get("resource").asText();
            if (result.get("assetType").asText().equals(GcpNames.SERVICE_ACCOUNT_TYPE)) {
                String canonical = GcpNames.canonical(resource, projectNumbers, accountsByUniqueId);
                assertTrue(accountNames.contains(canonical), "no listed account for " + resource);
                byUniqueId += resource.contains("@") ? 0 : 1;
            }
        }
        assertEquals(result.expected().get("counts").get("serviceAccountPoliciesNamedByUniqueId").asInt(), byUniqueId);
    }

    @Test
    void resources_haveSearchShape() {
        for (JsonNode resource : bundle.resources()) {
            assertTrue(resource.get("name").asText().startsWith("//"), resource.toString());
            assertTrue(resource.get("assetType").asText().contains(".googleapis.com/"), resource.toString());
            String project = resource.get("project").asText();
            String projectId = projectNumbers.get(project.substring("projects/".length()));
            assertNotNull(projectId, resource.toString());
            assertEquals("//cloudresourcemanager.googleapis.com/" + project, resource.get("parentFullResourceName").asText());
            assertEquals(GcpNames.PROJECT_TYPE, resource.get("parentAssetType").asText());
            assertTrue(resource.get("location").isTextual(), resource.toString());
            assertTrue(resource.get("displayName").isTextual(), resource.toString());
            assertTrue(resource.get("folders").isArray(), resource.toString());
        }
    }

    @Test
    void predefinedRoles_existInCatalog() {
        GcpRoleCatalog catalog = GcpRoleCatalog.loadDefault();
        List<String> missing = new ArrayList<>();
        for (JsonNode result : bundle.policies()) {
            for (JsonNode binding : result.get("policy").get("bindings")) {
                String role = binding.get("role").asText();
                if (role.startsWith("roles/") && catalog.role(role) == null) {
                    missing.add(role);
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void plantedGrants_existInPolicies() {
        Map<String, Set<String>> grants = grantsByResource();
        for (JsonNode grant : plantedGrants()) {
            String key = grant.get("role").asText() + " " + grant.get("member").asText() + " " + grant.path("condition").asText("");
            assertTrue(grants.getOrDefault(grant.get("resource").asText(), Set.of()).contains(key),
                    "no policy grants " + grant);
        }
    }

    @Test
    void plantedPrincipals_holdOnlyPlantedGrants() {
        Map<String, Integer> planted = new TreeMap<>();
        for (JsonNode grant : plantedGrants()) {
            planted.merge(grant.get("member").asText(), 1, Integer::sum);
        }
        Map<String, Integer> inBundle = new TreeMap<>();
        for (JsonNode result : bundle.policies()) {
            for (JsonNode binding : result.get("policy").get("bindings")) {
                for (JsonNode member : binding.get("members")) {
                    if (planted.containsKey(member.asText())) {
                        inBundle.merge(member.asText(), 1, Integer::sum);
                    }
                }
            }
        }
        assertEquals(planted, inBundle);
    }

    @Test
    void plantedSteps_haveTheirPermissions() {
        GcpRoleCatalog catalog = GcpRoleCatalog.loadDefault().withCustomRoles(customRoles());
        for (JsonNode path : result.expected().get("paths")) {
            assertEquals(path.get("steps").size(), path.get("length").asInt(), path.get("id").asText());
            for (JsonNode step : path.get("steps")) {
                Set<String> permissions = new HashSet<>();
                step.get("grants").forEach(grant -> permissions.addAll(catalog.role(grant.get("role").asText()).permissions()));
                for (String needed : step.get("technique").asText().split("\\+")) {
                    assertTrue(permissions.contains(needed), path.get("id").asText() + " lacks " + needed);
                }
            }
            JsonNode admin = path.get("admin");
            if (!admin.isNull()) {
                assertEquals("roles/owner", admin.get("role").asText());
                assertEquals(last(path.get("steps")).get("to").asText(), admin.get("member").asText());
            }
        }
    }

    @Test
    void plantedPaths_coverTechniquesAndLengths() {
        Set<String> techniques = new HashSet<>();
        Map<Integer, Integer> lengths = new TreeMap<>();
        int crossProject = 0;
        for (JsonNode path : result.expected().get("paths")) {
            path.get("techniques").forEach(technique -> techniques.add(technique.asText()));
            lengths.merge(path.get("length").asInt(), 1, Integer::sum);
            for (JsonNode step : path.get("steps")) {
                String from = GcpNames.projectOfEmail(step.get("from").asText().replaceFirst("^[a-zA-Z]+:", ""));
                String to = GcpNames.projectOfEmail(step.get("to").asText().replaceFirst("^[a-zA-Z]+:", ""));
                crossProject += from != null && to != null && !from.equals(to) ? 1 : 0;
            }
        }
        assertEquals(Set.of(GcpPlanted.GET_ACCESS_TOKEN, GcpPlanted.CREATE_KEY, GcpPlanted.ACT_AS_AND_CREATE_FUNCTION,
                GcpPlanted.SET_PROJECT_POLICY, GcpPlanted.UPDATE_ROLE), techniques);
        assertEquals(Map.of(1, 6, 2, 2, 3, 1, 4, 1), lengths);
        assertTrue(crossProject >= 5, "steps across projects: " + crossProject);
    }

    @Test
    void decoyTargets_withoutRolesHoldNothing() {
        for (JsonNode decoy : result.expected().get("decoys")) {
            if (decoy.get("kind").asText().equals("token-creator-on-account-without-roles")) {
                String target = decoy.get("grants").get(0).get("resource").asText();
                String member = "serviceAccount:" + target.substring(target.lastIndexOf('/') + 1);
                assertFalse(membersOfAllPolicies().contains(member), member + " holds a role");
            }
        }
    }

    private static List<JsonNode> plantedGrants() {
        List<JsonNode> grants = new ArrayList<>();
        for (JsonNode path : result.expected().get("paths")) {
            path.get("steps").forEach(step -> step.get("grants").forEach(grants::add));
            if (!path.get("admin").isNull()) {
                grants.add(path.get("admin"));
            }
        }
        result.expected().get("decoys").forEach(decoy -> decoy.get("grants").forEach(grants::add));
        return grants;
    }

    /** Returns "ROLE MEMBER CONDITION" of every grant, by the canonical name of the resource its policy is set on. */
    private static Map<String, Set<String>> grantsByResource() {
        Map<String, Set<String>> grants = new HashMap<>();
        for (JsonNode result : bundle.policies()) {
            String resource = GcpNames.canonical(result.get("resource").asText(), projectNumbers, accountsByUniqueId);
            for (JsonNode binding : result.get("policy").get("bindings")) {
                String condition = binding.path("condition").path("expression").asText("");
                for (JsonNode member : binding.get("members")) {
                    grants.computeIfAbsent(resource, key -> new HashSet<>())
                            .add(binding.get("role").asText() + " " + member.asText() + " " + condition);
                }
            }
        }
        return grants;
    }

    private static Set<String> membersOfAllPolicies() {
        Set<String> members = new HashSet<>();
        bundle.policies().forEach(result -> result.get("policy").get("bindings")
                .forEach(binding -> binding.get("members").forEach(member -> members.add(member.asText()))));
        return members;
    }

    private static List<GcpInventory.Role> customRoles() {
        List<GcpInventory.Role> roles = new ArrayList<>();
        for (JsonNode role : bundle.filesBelow("roles").values()) {
            List<String> permissions = new ArrayList<>();
            role.get("includedPermissions").forEach(permission -> permissions.add(permission.asText()));
            roles.add(new GcpInventory.Role(role.get("name").asText(), role.get("title").asText(), "GA", false, permissions, "test"));
        }
        return roles;
    }

    private static int defaultAccountsWithEditor() {
        int count = 0;
        for (JsonNode result : bundle.policies()) {
            if (!result.get("assetType").asText().equals(GcpNames.PROJECT_TYPE)) {
                continue;
            }
            String defaultAccount = "serviceAccount:" + result.get("project").asText().substring("projects/".length())
                    + "-compute@developer.gserviceaccount.com";
            for (JsonNode binding : result.get("policy").get("bindings")) {
                if (binding.get("role").asText().equals("roles/editor") && !binding.has("condition")) {
                    for (JsonNode member : binding.get("members")) {
                        count += member.asText().equals(defaultAccount) ? 1 : 0;
                    }
                }
            }
        }
        return count;
    }

    private static int conditionalGrants() {
        int count = 0;
        for (JsonNode result : bundle.policies()) {
            for (JsonNode binding : result.get("policy").get("bindings")) {
                count += binding.has("condition") ? binding.get("members").size() : 0;
            }
        }
        return count;
    }

    private static long count(List<JsonNode> items, String field, String value) {
        return items.stream().filter(item -> item.get(field).asText().equals(value)).count();
    }

    private static JsonNode last(JsonNode list) {
        return list.get(list.size() - 1);
    }
}
