package dev.nhigraph.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.generate.ResourceInventory.Kind;
import dev.nhigraph.generate.SyntheticAccount.Group;
import dev.nhigraph.generate.SyntheticAccount.Principal;
import dev.nhigraph.generate.SyntheticAccount.Role;
import dev.nhigraph.generate.SyntheticAccount.User;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts what a synthetic organisation contains, for the counts section of expected.json. Accounts are added one at
 * a time, so that M and L can be counted before each account's entities are dropped.
 */
final class OrganizationCounts {

    private int roles;
    private int users;
    private int groups;
    private int customerPolicies;
    private final Set<String> awsManaged = new HashSet<>();
    private int inline;
    private int instanceProfiles;
    private int boundaries;
    private int explicitAssumeAny;
    private int explicitPassAny;
    private int explicitAssumeOrPassAny;
    private int assumeAnyByAnyPolicy;
    private int attachmentTotal;
    private int attachablePolicies;
    /** Attachments per customer-managed policy that is attached at least once, in no order. */
    private final List<Integer> attachmentsPerPolicy = new ArrayList<>();
    private final Map<TrustPolicies.Kind, Integer> trustKinds = new EnumMap<>(TrustPolicies.Kind.class);
    private int inventory;
    private final Map<Kind, Integer> resourcePolicies = new EnumMap<>(Kind.class);

    /** Returns the counts of S or Q, whose accounts are all in memory at the end. */
    static ObjectNode of(SyntheticOrg org, ResourcePolicies resourcePolicies) {
        OrganizationCounts counts = new OrganizationCounts();
        org.exported().forEach(counts::addAccount);
        counts.addResourcePolicies(resourcePolicies.files);
        return counts.toJson(org);
    }

    /** Adds the entities and resources of one complete account. */
    void addAccount(SyntheticAccount account) {
        roles += account.roles.size();
        users += account.users.size();
        groups += account.groups.size();
        customerPolicies += account.policies.size();
        for (Principal principal : principals(account)) {
            principal.attached.stream().filter(arn -> AwsManagedPolicies.byArn(arn) != null).forEach(awsManaged::add);
            inline += principal.inline.size();
            boundaries += principal.boundaryArn == null ? 0 : 1;
            if (principal instanceof Role role && role.instanceProfileId != null) {
                instanceProfiles++;
            }
        }
        addExplicitGrants(account);
        assumeAnyByAnyPolicy += assumeAnyByAnyPolicy(account);
        addAttachments(account);
        account.roles.forEach(r -> trustKinds.merge(r.trustKind, 1, Integer::sum));
        inventory += account.inventory.size();
    }

    void addResourcePolicies(List<ResourcePolicies.PolicyFile> files) {
        files.forEach(file -> resourcePolicies.merge(file.kind(), 1, Integer::sum));
    }

    int explicitAssumeOrPassAny() {
        return explicitAssumeOrPassAny;
    }

    int explicitPassAny() {
        return explicitPassAny;
    }

    ObjectNode toJson(SyntheticOrg org) {
        List<SyntheticAccount> exported = org.exported();
        ObjectNode counts = PolicyStatement.NODES.objectNode();
        counts.put("accountsInOrganization", org.accounts.size());
        counts.put("accountsExported", exported.size());
        counts.put("organizationalUnits", org.units.size() - 1);
        counts.put("serviceControlPolicies", org.policies.size());
        counts.put("roles", roles);
        counts.put("users", users);
        counts.put("groups", groups);
        counts.put("customerManagedPolicies", customerPolicies);
        counts.put("awsManagedPoliciesInUse", awsManaged.size());
        counts.put("inlinePolicies", inline);
        counts.put("instanceProfiles", instanceProfiles);
        counts.put("principalsWithPermissionsBoundary", boundaries);
        counts.put("principalsWithExplicitAssumeRoleOnAnyResource", explicitAssumeAny);
        counts.put("principalsWithAssumeRoleOnAnyResourceByAnyPolicy", assumeAnyByAnyPolicy);
        counts.put("customerPolicyAttachments", attachmentShare());

        ObjectNode trustKindsNode = counts.putObject("roleTrustKinds");
        trustKinds.forEach((kind, count) -> trustKindsNode.put(kind.name(), count));

        counts.put("inventoryResources", inventory);
        ObjectNode policies = counts.putObject("resourcePolicies");
        for (Kind kind : List.of(Kind.BUCKET, Kind.KEY, Kind.SECRET, Kind.QUEUE)) {
            policies.put(kind.service, (long) resourcePolicies.getOrDefault(kind, 0));
        }
        return counts;
    }

    private static List<Principal> principals(SyntheticAccount account) {
        List<Principal> all = new ArrayList<>(account.users);
        all.addAll(account.groups);
        all.addAll(account.roles);
        return all;
    }

    /**
     * Counts the users and roles of the account with an inline Allow whose only Resource is "*" of
     * sts:AssumeRole, of iam:PassRole, and of either.
     */
    private void addExplicitGrants(SyntheticAccount account) {
        List<Principal> identities = new ArrayList<>(account.users);
        identities.addAll(account.roles);
        for (Principal principal : identities) {
            boolean assume = principal.inline.stream()
                    .anyMatch(p -> p.statements.stream().anyMatch(s -> allowsOnAny(s, "sts:AssumeRole")));
            boolean pass = principal.inline.stream()
                    .anyMatch(p -> p.statements.stream().anyMatch(s -> allowsOnAny(s, "iam:PassRole")));
            explicitAssumeAny += assume ? 1 : 0;
            explicitPassAny += pass ? 1 : 0;
            explicitAssumeOrPassAny += assume || pass ? 1 : 0;
        }
    }

    private static boolean allowsAssumeOnAny(ObjectNode statement) {
        return allowsOnAny(statement, "sts:AssumeRole");
    }

    /** Tells whether the statement allows {@code action}, named exactly, with the only Resource "*". */
    private static boolean allowsOnAny(ObjectNode statement, String action) {
        JsonNode actions = statement.get("Action");
        JsonNode resources = statement.get("Resource");
        boolean named = actions != null && (actions.isArray() ? contains(actions, action) : actions.asText().equals(action));
        return "Allow".equals(statement.path("Effect").asText()) && named && resources != null && resources.asText().equals("*");
    }

    private static boolean contains(JsonNode list, String value) {
        for (JsonNode item : list) {
            if (item.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Counts users and roles that an inline statement, AdministratorAccess, PowerUserAccess or a customer
     * Action "*" policy, attached directly or through a group, lets call sts:AssumeRole on every role, before
     * boundaries and SCPs.
     */
    private static int assumeAnyByAnyPolicy(SyntheticAccount account) {
        Set<String> broad = new HashSet<>();
        account.policies.stream().filter(p -> p.grantsAssumeAny).forEach(p -> broad.add(p.arn));
        AwsManagedPolicies.ALL.stream().filter(AwsManagedPolicies.AwsManagedPolicy::grantsAssumeAny).forEach(p -> broad.add(p.arn()));
        Map<String, Boolean> broadGroups = new HashMap<>();
        for (Group group : account.groups) {
            broadGroups.put(group.name, group.attached.stream().anyMatch(broad::contains));
        }
        List<Principal> identities = new ArrayList<>(account.users);
        identities.addAll(account.roles);
        int count = 0;
        for (Principal principal : identities) {
            boolean inlineGrant = principal.inline.stream().anyMatch(p -> p.statements.stream().anyMatch(OrganizationCounts::allowsAssumeOnAny));
            boolean attached = principal.attached.stream().anyMatch(broad::contains);
            boolean viaGroup = principal instanceof User user && user.groupNames.stream().anyMatch(g -> broadGroups.getOrDefault(g, false));
            if (inlineGrant || attached || viaGroup) {
                count++;
            }
        }
        return count;
    }

    /** Counts the attachments of the account's customer-managed policies other than boundaries, per policy. */
    private void addAttachments(SyntheticAccount account) {
        Map<String, Integer> byPolicy = new HashMap<>();
        Set<String> customer = new HashSet<>();
        account.policies.stream().filter(p -> !p.boundary).map(p -> p.arn).forEach(customer::add);
        for (Principal principal : principals(account)) {
            for (String arn : principal.attached) {
                if (customer.contains(arn)) {
                    byPolicy.merge(arn, 1, Integer::sum);
                    attachmentTotal++;
                }
            }
        }
        attachablePolicies += customer.size();
        attachmentsPerPolicy.addAll(byPolicy.values());
    }

    /** Returns the attachments of customer-managed policies and the share that the top 2 % of them carry. */
    private ObjectNode attachmentShare() {
        List<Integer> sorted = attachmentsPerPolicy.stream().sorted((a, b) -> b - a).toList();
        ObjectNode node = PolicyStatement.NODES.objectNode();
        node.put("total", attachmentTotal);
        node.put("policiesNeverAttached", attachablePolicies - attachmentsPerPolicy.size());
        node.put("policiesAttachedOnce", attachmentsPerPolicy.stream().filter(n -> n == 1).count());
        node.put("shareOfTopTwoPercent", topShare(sorted, attachablePolicies, 0.02, attachmentTotal));
        node.put("shareOfTopFivePercent", topShare(sorted, attachablePolicies, 0.05, attachmentTotal));
        return node;
    }

    /** Returns the share of all attachments that the most attached {@code fraction} of the policies carry, to 0.001. */
    private static double topShare(List<Integer> descending, int policies, double fraction, int total) {
        int top = Math.max(1, (int) Math.round(policies * fraction));
        int attachments = descending.stream().limit(top).mapToInt(Integer::intValue).sum();
        return Math.round(1000.0 * attachments / Math.max(1, total)) / 1000.0;
    }
}
