package dev.nhigraph.findings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes small exports in the clouds' own CLI formats for the rule tests: an authorization-details file of IAM roles
 * and users, and gcloud lists of projects, service accounts, custom roles, keys and IAM policies. The tests load
 * them with the real loader, so a rule reads exactly what a user's export would give it.
 */
final class FixtureFiles {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FixtureFiles() {
    }

    // ---- AWS: aws iam get-account-authorization-details ------------------------------------------------------------

    /** The lists of one authorization-details file. */
    static final class AuthorizationDetails {
        final ArrayNode users = NODES.arrayNode();
        final ArrayNode roles = NODES.arrayNode();

        /** Adds a role with an inline policy per entry of {@code inline} (name to statements) and the given tags. */
        ObjectNode role(String account, String name, ObjectNode trustPolicy, Map<String, ArrayNode> inline) {
            ObjectNode role = roles.addObject();
            role.put("Path", "/").put("RoleName", name).put("RoleId", "AROA" + uniqueSuffix(account + name))
                    .put("Arn", roleArn(account, name)).put("CreateDate", "2024-01-01T00:00:00Z");
            role.putArray("Tags");
            role.putArray("InstanceProfileList");
            role.putObject("RoleLastUsed");
            role.set("AssumeRolePolicyDocument", trustPolicy);
            role.putArray("AttachedManagedPolicies");
            addInline(role.putArray("RolePolicyList"), inline);
            return role;
        }

        /** Adds a user with an inline policy per entry of {@code inline} (name to statements). */
        ObjectNode user(String account, String name, Map<String, ArrayNode> inline) {
            ObjectNode user = users.addObject();
            user.put("Path", "/").put("UserName", name).put("UserId", "AIDA" + uniqueSuffix(account + name))
                    .put("Arn", userArn(account, name)).put("CreateDate", "2024-01-01T00:00:00Z");
            user.putArray("GroupList");
            user.putArray("Tags");
            user.putArray("AttachedManagedPolicies");
            addInline(user.putArray("UserPolicyList"), inline);
            return user;
        }

        private static void addInline(ArrayNode policies, Map<String, ArrayNode> inline) {
            inline.forEach((policyName, statements) -> {
                ObjectNode policy = policies.addObject();
                policy.put("PolicyName", policyName);
                policy.set("PolicyDocument", document(statements));
            });
        }

        void write(Path file) {
            ObjectNode root = NODES.objectNode();
            root.set("UserDetailList", users);
            root.putArray("GroupDetailList");
            root.set("RoleDetailList", roles);
            root.putArray("Policies");
            FixtureFiles.write(file, root);
        }
    }

    static String userArn(String account, String name) {
        return "arn:aws:iam::" + account + ":user/" + name;
    }

    static String roleArn(String account, String name) {
        return "arn:aws:iam::" + account + ":role/" + name;
    }

    static ObjectNode document(ArrayNode statements) {
        ObjectNode document = NODES.objectNode();
        document.put("Version", "2012-10-17");
        document.set("Statement", statements);
        return document;
    }

    /** Returns a statement list with one Allow of {@code actions} on every resource. */
    static ArrayNode allow(String... actions) {
        ArrayNode statements = NODES.arrayNode();
        ObjectNode statement = statements.addObject();
        statement.put("Effect", "Allow");
        ArrayNode list = statement.putArray("Action");
        for (String action : actions) {
            list.add(action);
        }
        statement.put("Resource", "*");
        return statements;
    }

    /** Returns a trust policy that lets {@code principalType} {@code principal} call {@code action}. */
    static ObjectNode trust(String principalType, String principal, String action) {
        ArrayNode statements = NODES.arrayNode();
        ObjectNode statement = statements.addObject();
        statement.put("Effect", "Allow");
        statement.putObject("Principal").put(principalType, principal);
        statement.put("Action", action);
        return document(statements);
    }

    /** Returns a trust policy for EC2, which makes a role that nothing in the graph can assume. */
    static ObjectNode ec2Trust() {
        return trust("Service", "ec2.amazonaws.com", "sts:AssumeRole");
    }

    private static String uniqueSuffix(String text) {
        String digits = String.format("%016X", (long) text.hashCode() & 0xffffffffL | ((long) text.length() << 32));
        return digits.substring(digits.length() - 16);
    }

    // ---- GCP: gcloud ... --format=json -------------------------------------------------------------------------------

    /** The gcloud outputs of a few projects. */
    static final class Gcloud {
        final ArrayNode projects = NODES.arrayNode();
        final ArrayNode accounts = NODES.arrayNode();
        final ArrayNode roles = NODES.arrayNode();
        final ArrayNode policies = NODES.arrayNode();
        final ArrayNode keys = NODES.arrayNode();
        private int nextNumber = 1;

        /** Adds a project and returns its number. */
        String project(String projectId) {
            String number = String.valueOf(900_000_000_000L + nextNumber++);
            projects.addObject().put("projectId", projectId).put("projectNumber", number).put("lifecycleState", "ACTIVE");
            return number;
        }

        String account(String projectId, String name) {
            String email = name + "@" + projectId + ".iam.gserviceaccount.com";
            accounts.addObject().put("email", email).put("projectId", projectId)
                    .put("uniqueId", String.valueOf(100_000 + accounts.size()));
            return email;
        }

        /** Adds a custom role of {@code projectId} and returns its name. */
        String customRole(String projectId, String roleId, List<String> permissions) {
            String name = "projects/" + projectId + "/roles/" + roleId;
            ObjectNode role = roles.addObject();
            role.put("name", name).put("title", roleId).put("stage", "GA").put("etag", "BwX");
            ArrayNode included = role.putArray("includedPermissions");
            permissions.forEach(included::add);
            return name;
        }

        /** Adds the allow policy of a resource: one binding per entry of {@code bindings} (role to member). */
        void policy(String resource, String projectNumber, List<Map.Entry<String, String>> bindings) {
            ObjectNode item = policies.addObject();
            item.put("resource", resource).put("project", "projects/" + projectNumber);
            ArrayNode list = item.putObject("policy").putArray("bindings");
            for (Map.Entry<String, String> binding : bindings) {
                ObjectNode node = list.addObject();
                node.put("role", binding.getKey());
                node.putArray("members").add(binding.getValue());
            }
        }

        /** Adds a key as gcloud iam service-accounts keys list shows it. */
        void key(String projectId, String email, String keyId, String keyType, String validAfter, boolean disabled) {
            ObjectNode key = keys.addObject();
            key.put("name", "projects/" + projectId + "/serviceAccounts/" + email + "/keys/" + keyId)
                    .put("keyType", keyType).put("keyOrigin", "GOOGLE_PROVIDED").put("keyAlgorithm", "KEY_ALG_RSA_2048")
                    .put("validAfterTime", validAfter).put("validBeforeTime", "9999-12-31T23:59:59Z");
            if (disabled) {
                key.put("disabled", true);
            }
        }

        void write(Path folder) {
            FixtureFiles.write(folder.resolve("projects.json"), projects);
            FixtureFiles.write(folder.resolve("service-accounts.json"), accounts);
            if (!roles.isEmpty()) {
                FixtureFiles.write(folder.resolve("roles.json"), roles);
            }
            FixtureFiles.write(folder.resolve("iam-policies.json"), policies);
            if (!keys.isEmpty()) {
                FixtureFiles.write(folder.resolve("keys.json"), keys);
            }
        }
    }

    static String projectResource(String projectId) {
        return "//cloudresourcemanager.googleapis.com/projects/" + projectId;
    }

    static String accountResource(String projectId, String email) {
        return "//iam.googleapis.com/projects/" + projectId + "/serviceAccounts/" + email;
    }

    static void write(Path file, Object value) {
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeText(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
