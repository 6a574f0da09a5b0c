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

/** Counts what a synthetic organisation contains, for the counts section of expected.json. */
final class OrganizationCounts {

    private OrganizationCounts() {
    }

    static ObjectNode of(SyntheticOrg org, ResourcePolicies resourcePolicies) {
        List<SyntheticAccount> exported = org.exported();
        ObjectNode counts = PolicyStatement.NODES.objectNode();
        counts.put("accountsInOrganization", org.accounts.size());
        counts.put("accountsExported", exported.size());
        counts.put("organizationalUnits", org.units.size() - 1);
        counts.put("serviceControlPolicies", org.policies.size());
        counts.put("roles", exported.stream().mapToInt(a -> a.roles.size()).sum());
        counts.put("users", exported.stream().mapToInt(a -> a.users.size()).sum());
        counts.put("groups", exported.stream().mapToInt(a -> a.groups.size()).sum());
        counts.put("customerManagedPolicies", exported.stream().mapToInt(a -> a.policies.size()).sum());

        Set<String> awsManaged = new HashSet<>();
        int inline = 0;
        int instanceProfiles = 0;
        int boundaries = 0;
        for (SyntheticAccount account : exported) {
            for (Principal principal : principals(account)) {
                principal.attached.stream().filter(arn -> AwsManagedPolicies.byArn(arn) != null).forEach(awsManaged::add);
                inline += principal.inline.size();
                boundaries += principal.boundaryArn == null ? 0 : 1;
                if (principal instanceof Role role && role.instanceProfileId != null) {
                    instanceProfiles++;
                }
            }
        }
        counts.put("awsManagedPoliciesInUse", awsManaged.size());
        counts.put("inlinePolicies", inline);
        counts.put("instanceProfiles", instanceProfiles);
        counts.put("principalsWithPermissionsBoundary", boundaries);
        counts.put("principalsWithExplicitAssumeRoleOnAnyResource", explicitAssumeAny(exported));
        counts.put("principalsWithAssumeRoleOnAnyResourceByAnyPolicy", assumeAnyByAnyPolicy(exported));
        counts.put("customerPolicyAttachments", attachmentShare(exported, counts));

        ObjectNode trustKinds = counts.putObject("roleTrustKinds");
        Map<TrustPolicies.Kind, Integer> kinds = new EnumMap<>(TrustPolicies.Kind.class);
        exported.forEach(a -> a.roles.forEach(r -> kinds.merge(r.trustKind, 1, Integer::sum)));
        kinds.forEach((kind, count) -> trustKinds.put(kind.name(), count));

        counts.put("inventoryResources", exported.stream().mapToInt(a -> a.inventory.size()).sum());
        ObjectNode policies = counts.putObject("resourcePolicies");
        for (Kind kind : List.of(Kind.BUCKET, Kind.KEY, Kind.SECRET, Kind.QUEUE)) {
            policies.put(kind.service, resourcePolicies.files.stream().filter(f -> f.kind() == kind).count());
        }
        return counts;
    }

    private static List<Principal> principals(SyntheticAccount account) {
        List<Principal> all = new ArrayList<>(account.users);
        all.addAll(account.groups);
        all.addAll(account.roles);
        return all;
    }

    /** Counts users and roles with an inline Allow of sts:AssumeRole whose only Resource is "*". */
    private static int explicitAssumeAny(List<SyntheticAccount> exported) {
        int count = 0;
        for (SyntheticAccount account : exported) {
            List<Principal> identities = new ArrayList<>(account.users);
            identities.addAll(account.roles);
            for (Principal principal : identities) {
                if (principal.inline.stream().anyMatch(p -> p.statements.stream().anyMatch(OrganizationCounts::allowsAssumeOnAny))) {
                    count++;
                }
            }
        }
        return count;
    }

    private static boolean allowsAssumeOnAny(ObjectNode statement) {
        JsonNode actions = statement.get("Action");
        JsonNode resources = statement.get("Resource");
        boolean assume = actions != null && (actions.isArray() ? contains(actions, "sts:AssumeRole") : actions.asText().equals("sts:AssumeRole"));
        return "Allow".equals(statement.path("Effect").asText()) && assume && resources != null && resources.asText().equals("*");
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
    private static int assumeAnyByAnyPolicy(List<SyntheticAccount> exported) {
        int count = 0;
        for (SyntheticAccount account : exported) {
            Set<String> broad = new HashSet<>();
            account.policies.stream().filter(p -> p.grantsAssumeAny).forEach(p -> broad.add(p.arn));
            AwsManagedPolicies.ALL.stream().filter(AwsManagedPolicies.AwsManagedPolicy::grantsAssumeAny).forEach(p -> broad.add(p.arn()));
            Map<String, Boolean> broadGroups = new HashMap<>();
            for (Group group : account.groups) {
                broadGroups.put(group.name, group.attached.stream().anyMatch(broad::contains));
            }
            List<Principal> identities = new ArrayList<>(account.users);
            identities.addAll(account.roles);
            for (Principal principal : identities) {
                boolean inlineGrant = principal.inline.stream().anyMatch(p -> p.statements.stream().anyMatch(OrganizationCounts::allowsAssumeOnAny));
                boolean attached = principal.attached.stream().anyMatch(broad::contains);
                boolean viaGroup = principal instanceof User user && user.groupNames.stream().anyMatch(g -> broadGroups.getOrDefault(g, false));
                if (inlineGrant || attached || viaGroup) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Returns the attachments of customer-managed policies and the share that the top 2 % of them carry. */
    private static ObjectNode attachmentShare(List<SyntheticAccount> exported, ObjectNode counts) {
        Map<String, Integer> byPolicy = new HashMap<>();
        int total = 0;
        for (SyntheticAccount account : exported) {
            Set<String> customer = new HashSet<>();
            account.policies.stream().filter(p -> !p.boundary).map(p -> p.arn).forEach(customer::add);
            for (Principal principal : principals(account)) {
                for (String arn : principal.attached) {
                    if (customer.contains(arn)) {
                        byPolicy.merge(arn, 1, Integer::sum);
                        total++;
                    }
                }
            }
        }
        int policies = exported.stream().mapToInt(a -> (int) a.policies.stream().filter(p -> !p.boundary).count()).sum();
        List<Integer> sorted = byPolicy.values().stream().sorted((a, b) -> b - a).toList();
        ObjectNode node = counts.objectNode();
        node.put("total", total);
        node.put("policiesNeverAttached", policies - byPolicy.size());
        node.put("policiesAttachedOnce", byPolicy.values().stream().filter(n -> n == 1).count());
        node.put("shareOfTopTwoPercent", topShare(sorted, policies, 0.02, total));
        node.put("shareOfTopFivePercent", topShare(sorted, policies, 0.05, total));
        return node;
    }

    /** Returns the share of all attachments that the most attached {@code fraction} of the policies carry, to 0.001. */
    private static double topShare(List<Integer> descending, int policies, double fraction, int total) {
        int top = Math.max(1, (int) Math.round(policies * fraction));
        int attachments = descending.stream().limit(top).mapToInt(Integer::intValue).sum();
        return Math.round(1000.0 * attachments / Math.max(1, total)) / 1000.0;
    }
}
