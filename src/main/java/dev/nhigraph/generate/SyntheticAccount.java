package dev.nhigraph.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One account of the synthetic organisation: its IAM entities as {@code get-account-authorization-details}
 * describes them, and the resources its policies name.
 *
 * <p>Entities keep their creation order, which is the order of the export file. Names are unique per kind, as
 * IAM requires.
 */
final class SyntheticAccount {

    final Tier.AccountPlan plan;
    final String id;
    final String email;
    String organizationalUnitId;
    final List<ManagedPolicy> policies = new ArrayList<>();
    final List<Group> groups = new ArrayList<>();
    final List<User> users = new ArrayList<>();
    final List<Role> roles = new ArrayList<>();
    final ResourceInventory inventory;
    private final Set<String> roleNames = new HashSet<>();
    private final Set<String> userNames = new HashSet<>();
    private final Set<String> groupNames = new HashSet<>();
    private final Set<String> policyNames = new HashSet<>();

    SyntheticAccount(Tier.AccountPlan plan, String id) {
        this.plan = plan;
        this.id = id;
        this.email = "aws+" + plan.name() + "@example.com";
        this.inventory = new ResourceInventory(id);
    }

    String key() {
        return plan.key();
    }

    String rootArn() {
        return "arn:aws:iam::" + id + ":root";
    }

    String iamArn(String resource) {
        return "arn:aws:iam::" + id + ":" + resource;
    }

    /** Returns the ARN a role of this name and path has. */
    String roleArn(String path, String name) {
        return iamArn("role" + path + name);
    }

    /** Returns {@code name}, or the name with the first free numeric suffix (-2, -3, ...) when it is in use. */
    static String freeName(String name, Set<String> usedNames) {
        if (!usedNames.contains(name)) {
            return name;
        }
        for (int suffix = 2; ; suffix++) {
            String candidate = name + "-" + suffix;
            if (!usedNames.contains(candidate)) {
                return candidate;
            }
        }
    }

    Role addRole(String name, String path, AwsIdentifiers ids) {
        String free = freeName(name, roleNames);
        roleNames.add(free);
        Role role = new Role(free, path, roleArn(path, free), ids.uniqueId("AROA"), ids.createDate());
        roles.add(role);
        return role;
    }

    User addUser(String name, String path, AwsIdentifiers ids) {
        String free = freeName(name, userNames);
        userNames.add(free);
        User user = new User(free, path, iamArn("user" + path + free), ids.uniqueId("AIDA"), ids.createDate());
        users.add(user);
        return user;
    }

    Group addGroup(String name, AwsIdentifiers ids) {
        String free = freeName(name, groupNames);
        groupNames.add(free);
        Group group = new Group(free, "/", iamArn("group/" + free), ids.uniqueId("AGPA"), ids.createDate());
        groups.add(group);
        return group;
    }

    /**
     * Drops the IAM entities of an account whose files are written, and the resources that other accounts cannot
     * name, so that tiers written one account at a time hold one account at a time. Nothing may be added after.
     */
    void release() {
        policies.clear();
        groups.clear();
        users.clear();
        roles.clear();
        roleNames.clear();
        userNames.clear();
        groupNames.clear();
        policyNames.clear();
        inventory.release();
    }

    ManagedPolicy addPolicy(String name, String path, ObjectNode document, AwsIdentifiers ids) {
        String free = freeName(name, policyNames);
        policyNames.add(free);
        String created = ids.createDate();
        ManagedPolicy policy = new ManagedPolicy(free, path, iamArn("policy" + path + free), ids.uniqueId("ANPA"),
                created, ids.updateDate(created), document);
        policies.add(policy);
        return policy;
    }

    /** An IAM user, group or role with its policies. */
    abstract static class Principal {
        final String name;
        final String path;
        final String arn;
        final String uniqueId;
        final String createDate;
        /** Attached managed policies, customer-managed or AWS-managed, by ARN. */
        final List<String> attached = new ArrayList<>();
        final List<InlinePolicy> inline = new ArrayList<>();
        final Map<String, String> tags = new LinkedHashMap<>();
        String boundaryArn;
        /** Set for the principals of the ground truth, which random content must leave alone. */
        boolean planted;

        Principal(String name, String path, String arn, String uniqueId, String createDate) {
            this.name = name;
            this.path = path;
            this.arn = arn;
            this.uniqueId = uniqueId;
            this.createDate = createDate;
        }

        /** Returns the inline policy {@code policyName}, created empty on first use. */
        InlinePolicy inlinePolicy(String policyName) {
            for (InlinePolicy policy : inline) {
                if (policy.name.equals(policyName)) {
                    return policy;
                }
            }
            InlinePolicy policy = new InlinePolicy(policyName);
            inline.add(policy);
            return policy;
        }

        /** Returns the id nhigraph gives an inline policy of this principal: OWNER_ARN#inline/NAME. */
        String inlinePolicyId(String policyName) {
            return arn + "#inline/" + policyName;
        }

        void attach(String policyArn) {
            if (!attached.contains(policyArn)) {
                attached.add(policyArn);
            }
        }
    }

    static final class Role extends Principal {
        final List<ObjectNode> trust = new ArrayList<>();
        /** The kind of trust policy, as {@link TrustPolicies.Kind} names it; counted in expected.json. */
        TrustPolicies.Kind trustKind;
        String instanceProfileId;
        String instanceProfileCreateDate;
        String lastUsedDate;
        String lastUsedRegion;

        Role(String name, String path, String arn, String uniqueId, String createDate) {
            super(name, path, arn, uniqueId, createDate);
        }

        /** Returns the id nhigraph gives the trust policy: ROLE_ARN#trust. */
        String trustPolicyId() {
            return arn + "#trust";
        }
    }

    static final class User extends Principal {
        final List<String> groupNames = new ArrayList<>();
        /** Set for the IAM users of people, who sign in with a password; the others are service users. */
        boolean human;

        User(String name, String path, String arn, String uniqueId, String createDate) {
            super(name, path, arn, uniqueId, createDate);
        }
    }

    static final class Group extends Principal {
        Group(String name, String path, String arn, String uniqueId, String createDate) {
            super(name, path, arn, uniqueId, createDate);
        }
    }

    /** A customer-managed policy; {@code olderVersions} are non-default versions, oldest first. */
    static final class ManagedPolicy {
        final String name;
        final String path;
        final String arn;
        final String policyId;
        final String createDate;
        final String updateDate;
        final ObjectNode document;
        final List<ObjectNode> olderVersions = new ArrayList<>();
        /** Set for policies written to serve as permissions boundaries. */
        boolean boundary;
        /** Set when the policy allows sts:AssumeRole on every resource, through Action "*". */
        boolean grantsAssumeAny;
        boolean planted;

        ManagedPolicy(String name, String path, String arn, String policyId, String createDate, String updateDate,
                      ObjectNode document) {
            this.name = name;
            this.path = path;
            this.arn = arn;
            this.policyId = policyId;
            this.createDate = createDate;
            this.updateDate = updateDate;
            this.document = document;
        }
    }

    /** An inline policy; statements may be added until the export is written. */
    static final class InlinePolicy {
        final String name;
        final List<ObjectNode> statements = new ArrayList<>();

        InlinePolicy(String name) {
            this.name = name;
        }

        ObjectNode document() {
            return PolicyStatement.document(statements);
        }
    }
}
