package dev.nhigraph.generate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.generate.AwsManagedPolicies.AwsManagedPolicy;
import dev.nhigraph.generate.SyntheticAccount.Group;
import dev.nhigraph.generate.SyntheticAccount.InlinePolicy;
import dev.nhigraph.generate.SyntheticAccount.ManagedPolicy;
import dev.nhigraph.generate.SyntheticAccount.Principal;
import dev.nhigraph.generate.SyntheticAccount.Role;
import dev.nhigraph.generate.SyntheticAccount.User;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the output of {@code aws iam get-account-authorization-details --output json} for one account: the
 * fields and their order as the AWS CLI prints them, documents as JSON objects, and the AWS-managed policies that
 * the account attaches or uses as boundaries.
 */
final class AuthorizationDetailsFile {

    private final SyntheticAccount account;
    private final Map<String, Integer> attachments = new HashMap<>();
    private final Map<String, Integer> boundaryUses = new HashMap<>();
    private final Map<String, String> customerPolicyNames = new HashMap<>();

    private AuthorizationDetailsFile(SyntheticAccount account) {
        this.account = account;
        account.policies.forEach(policy -> customerPolicyNames.put(policy.arn, policy.name));
        List<List<? extends Principal>> all = List.of(account.users, account.groups, account.roles);
        for (List<? extends Principal> principals : all) {
            for (Principal principal : principals) {
                principal.attached.forEach(arn -> attachments.merge(arn, 1, Integer::sum));
                if (principal.boundaryArn != null) {
                    boundaryUses.merge(principal.boundaryArn, 1, Integer::sum);
                }
            }
        }
    }

    static ObjectNode build(SyntheticAccount account) {
        return new AuthorizationDetailsFile(account).content();
    }

    /** Writes the export of {@code account} to {@code file} one entity at a time, with the bytes of {@link #build}. */
    static void write(SyntheticAccount account, Path file) {
        AuthorizationDetailsFile export = new AuthorizationDetailsFile(account);
        JsonOutput.stream(file, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("UserDetailList");
            for (User user : account.users) {
                json.writeTree(export.user(user));
            }
            json.writeEndArray();
            json.writeArrayFieldStart("GroupDetailList");
            for (Group group : account.groups) {
                json.writeTree(export.group(group));
            }
            json.writeEndArray();
            json.writeArrayFieldStart("RoleDetailList");
            for (Role role : account.roles) {
                json.writeTree(export.role(role));
            }
            json.writeEndArray();
            json.writeArrayFieldStart("Policies");
            for (ManagedPolicy policy : account.policies) {
                json.writeTree(export.customerPolicy(policy));
            }
            for (AwsManagedPolicy policy : export.awsManagedInUse().values()) {
                json.writeTree(export.awsManagedPolicy(policy));
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private ObjectNode content() {
        ObjectNode root = PolicyStatement.NODES.objectNode();
        ArrayNode users = root.putArray("UserDetailList");
        account.users.forEach(user -> users.add(user(user)));
        ArrayNode groups = root.putArray("GroupDetailList");
        account.groups.forEach(group -> groups.add(group(group)));
        ArrayNode roles = root.putArray("RoleDetailList");
        account.roles.forEach(role -> roles.add(role(role)));
        ArrayNode policies = root.putArray("Policies");
        account.policies.forEach(policy -> policies.add(customerPolicy(policy)));
        awsManagedInUse().values().forEach(policy -> policies.add(awsManagedPolicy(policy)));
        return root;
    }

    private ObjectNode user(User user) {
        ObjectNode node = identity(user, "UserName", "UserId");
        if (!user.inline.isEmpty()) {
            node.set("UserPolicyList", inline(user.inline));
        }
        ArrayNode groups = node.putArray("GroupList");
        user.groupNames.forEach(groups::add);
        node.set("AttachedManagedPolicies", attached(user));
        addBoundary(node, user);
        node.set("Tags", tags(user));
        return node;
    }

    private ObjectNode group(Group group) {
        ObjectNode node = identity(group, "GroupName", "GroupId");
        node.set("GroupPolicyList", inline(group.inline));
        node.set("AttachedManagedPolicies", attached(group));
        return node;
    }

    private ObjectNode role(Role role) {
        ObjectNode node = identity(role, "RoleName", "RoleId");
        node.set("AssumeRolePolicyDocument", PolicyStatement.document(role.trust));
        ArrayNode profiles = node.putArray("InstanceProfileList");
        if (role.instanceProfileId != null) {
            profiles.add(instanceProfile(role));
        }
        node.set("RolePolicyList", inline(role.inline));
        node.set("AttachedManagedPolicies", attached(role));
        addBoundary(node, role);
        node.set("Tags", tags(role));
        ObjectNode lastUsed = node.putObject("RoleLastUsed");
        if (role.lastUsedDate != null) {
            lastUsed.put("LastUsedDate", role.lastUsedDate);
            lastUsed.put("Region", role.lastUsedRegion);
        }
        return node;
    }

    private static ObjectNode identity(Principal principal, String nameField, String idField) {
        ObjectNode node = PolicyStatement.NODES.objectNode();
        node.put("Path", principal.path);
        node.put(nameField, principal.name);
        node.put(idField, principal.uniqueId);
        node.put("Arn", principal.arn);
        node.put("CreateDate", principal.createDate);
        return node;
    }

    private ObjectNode instanceProfile(Role role) {
        ObjectNode profile = PolicyStatement.NODES.objectNode();
        profile.put("Path", role.path);
        profile.put("InstanceProfileName", role.name);
        profile.put("InstanceProfileId", role.instanceProfileId);
        profile.put("Arn", account.iamArn("instance-profile" + role.path + role.name));
        profile.put("CreateDate", role.instanceProfileCreateDate);
        ObjectNode summary = profile.putArray("Roles").addObject();
        summary.put("Path", role.path);
        summary.put("RoleName", role.name);
        summary.put("RoleId", role.uniqueId);
        summary.put("Arn", role.arn);
        summary.put("CreateDate", role.createDate);
        summary.set("AssumeRolePolicyDocument", PolicyStatement.document(role.trust));
        return profile;
    }

    private static ArrayNode inline(List<InlinePolicy> policies) {
        ArrayNode list = PolicyStatement.NODES.arrayNode();
        for (InlinePolicy policy : policies) {
            ObjectNode entry = list.addObject();
            entry.put("PolicyName", policy.name);
            entry.set("PolicyDocument", policy.document());
        }
        return list;
    }

    private ArrayNode attached(Principal principal) {
        ArrayNode list = PolicyStatement.NODES.arrayNode();
        for (String arn : principal.attached) {
            ObjectNode entry = list.addObject();
            entry.put("PolicyName", policyName(arn));
            entry.put("PolicyArn", arn);
        }
        return list;
    }

    private void addBoundary(ObjectNode node, Principal principal) {
        if (principal.boundaryArn != null) {
            ObjectNode boundary = node.putObject("PermissionsBoundary");
            boundary.put("PermissionsBoundaryType", "PermissionsBoundaryPolicy");
            boundary.put("PermissionsBoundaryArn", principal.boundaryArn);
        }
    }

    private static ArrayNode tags(Principal principal) {
        ArrayNode list = PolicyStatement.NODES.arrayNode();
        principal.tags.forEach((key, value) -> {
            ObjectNode tag = list.addObject();
            tag.put("Key", key);
            tag.put("Value", value);
        });
        return list;
    }

    private String policyName(String arn) {
        String name = customerPolicyNames.get(arn);
        if (name != null) {
            return name;
        }
        AwsManagedPolicy managed = AwsManagedPolicies.byArn(arn);
        if (managed == null) {
            throw new IllegalStateException(arn + " is attached in account " + account.id + " but is neither one of its"
                    + " customer-managed policies nor a known AWS-managed policy");
        }
        return managed.name();
    }

    private ObjectNode customerPolicy(ManagedPolicy policy) {
        ObjectNode node = policyEntry(policy.name, policy.policyId, policy.arn, policy.path, policy.createDate,
                policy.updateDate, policy.olderVersions.size() + 1);
        ArrayNode versions = node.putArray("PolicyVersionList");
        int defaultVersion = policy.olderVersions.size() + 1;
        versions.add(version(policy.document, defaultVersion, true, policy.updateDate));
        for (int older = policy.olderVersions.size() - 1; older >= 0; older--) {
            versions.add(version(policy.olderVersions.get(older), older + 1, false, policy.createDate));
        }
        return node;
    }

    private ObjectNode awsManagedPolicy(AwsManagedPolicy policy) {
        ObjectNode node = policyEntry(policy.name(), policy.policyId(), policy.arn(), policy.path(),
                "2015-02-06T18:39:46+00:00", "2015-02-06T18:39:46+00:00", 1);
        node.putArray("PolicyVersionList").add(version(policy.document(), 1, true, "2015-02-06T18:39:46+00:00"));
        return node;
    }

    private ObjectNode policyEntry(String name, String id, String arn, String path, String created, String updated,
                                   int defaultVersion) {
        ObjectNode node = PolicyStatement.NODES.objectNode();
        node.put("PolicyName", name);
        node.put("PolicyId", id);
        node.put("Arn", arn);
        node.put("Path", path);
        node.put("DefaultVersionId", "v" + defaultVersion);
        node.put("AttachmentCount", attachments.getOrDefault(arn, 0));
        node.put("PermissionsBoundaryUsageCount", boundaryUses.getOrDefault(arn, 0));
        node.put("IsAttachable", true);
        node.put("CreateDate", created);
        node.put("UpdateDate", updated);
        return node;
    }

    private static ObjectNode version(ObjectNode document, int number, boolean isDefault, String created) {
        ObjectNode version = PolicyStatement.NODES.objectNode();
        version.set("Document", document);
        version.put("VersionId", "v" + number);
        version.put("IsDefaultVersion", isDefault);
        version.put("CreateDate", created);
        return version;
    }

    /** Returns the AWS-managed policies that the account attaches or uses as boundaries, by ARN. */
    private Map<String, AwsManagedPolicy> awsManagedInUse() {
        Map<String, AwsManagedPolicy> used = new TreeMap<>();
        for (String arn : attachments.keySet()) {
            AwsManagedPolicy policy = AwsManagedPolicies.byArn(arn);
            if (policy != null) {
                used.put(arn, policy);
            }
        }
        for (String arn : boundaryUses.keySet()) {
            AwsManagedPolicy policy = AwsManagedPolicies.byArn(arn);
            if (policy != null) {
                used.put(arn, policy);
            }
        }
        return used;
    }
}
