package dev.nhigraph.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The synthetic organisation: its AWS Organizations tree, its SCPs and its accounts.
 *
 * <p>The tree follows the tier: the management account under the root, one OU per kind of account, and the
 * AWS-managed FullAWSAccess SCP on the root, every OU and every account, as AWS Organizations attaches it.
 */
final class SyntheticOrg {

    /** Regions that the region guard SCP allows; everything else is denied outside the global services. */
    static final List<String> APPROVED_REGIONS = List.of("us-east-1", "eu-west-1");

    /** Services whose actions are global, so the region guard leaves them out with NotAction. */
    static final List<String> GLOBAL_SERVICES = List.of("iam", "sts", "organizations", "account", "support",
            "cloudfront", "route53", "budgets", "health", "trustedadvisor");

    static final String REGION_GUARD_SID = "DenyOutsideApprovedRegions";
    static final String RESTRICTED_ROLES_SID = "DenyAssumeRestrictedRoles";
    static final String LEAVE_ORGANIZATION_SID = "DenyLeaveOrganization";

    /** A root or organizational unit; {@code parentId} is null for the root. */
    record Unit(String key, String id, String name, String parentId) {
    }

    /** A service control policy with the ids of the roots, OUs and accounts it is attached to. */
    record ControlPolicy(String id, String arn, String name, String description, boolean awsManaged,
                         ObjectNode content, List<String> targets) {
    }

    final Tier tier;
    final long seed;
    final String organizationId;
    final String rootId;
    final String managementAccountId;
    final Map<String, Unit> units = new LinkedHashMap<>();
    final Map<String, SyntheticAccount> accounts = new LinkedHashMap<>();
    final List<ControlPolicy> policies = new ArrayList<>();
    /** The account outside the bundle whose roles the hub-and-spoke trusts of Q name, or null in S. */
    final String externalHubAccount;
    /** The accounts of third parties that integration roles trust, by vendor name. */
    final Map<String, String> vendorAccounts = new LinkedHashMap<>();

    SyntheticOrg(Tier tier, long seed, AwsIdentifiers ids) {
        this.tier = tier;
        this.seed = seed;
        this.organizationId = ids.organizationId();
        this.rootId = ids.rootId();
        units.put("root", new Unit("root", rootId, "Root", null));
        for (Tier.OuPlan plan : tier.units()) {
            String parent = plan.parent() == null ? rootId : units.get(plan.parent()).id();
            units.put(plan.key(), new Unit(plan.key(), ids.organizationalUnitId(rootId), plan.name(), parent));
        }
        for (Tier.AccountPlan plan : tier.accounts()) {
            SyntheticAccount account = new SyntheticAccount(plan, ids.accountId());
            account.organizationalUnitId = plan.ou() == null ? rootId : units.get(plan.ou()).id();
            accounts.put(plan.key(), account);
        }
        this.managementAccountId = accounts.get("management").id;
        this.externalHubAccount = tier.scenarioAccounts().hub().equals(tier.scenarioAccounts().workload())
                ? ids.accountId() : null;
        for (String vendor : Vocabulary.VENDORS) {
            vendorAccounts.put(vendor, ids.accountId());
        }
        addControlPolicies(ids);
    }

    SyntheticAccount account(String key) {
        return accounts.get(key);
    }

    /**
     * Returns the account that hosts {@code hub}: the security account in S, the security, tooling or CI account
     * in M and L, and the account outside the bundle in Q.
     */
    String hubAccountId(TrustPolicies.HubRole hub) {
        if (externalHubAccount != null) {
            return externalHubAccount;
        }
        return account(hubAccountKey(hub)).id;
    }

    /** Tells whether {@code account} hosts hub roles that spoke roles of other accounts trust. */
    boolean hostsHubRoles(SyntheticAccount account) {
        return externalHubAccount == null
                && TrustPolicies.HUB_ROLES.stream().anyMatch(hub -> hubAccountKey(hub).equals(account.key()));
    }

    /** Tells whether {@code account} hosts {@code hub}; false for every account of Q, whose hub is outside the bundle. */
    boolean hostsHubRole(SyntheticAccount account, TrustPolicies.HubRole hub) {
        return externalHubAccount == null && hubAccountKey(hub).equals(account.key());
    }

    private String hubAccountKey(TrustPolicies.HubRole hub) {
        return tier.streamed() ? LargeTierLayout.HUB_ACCOUNTS.get(hub.name()) : tier.scenarioAccounts().hub();
    }

    /** Returns the accounts that have an IAM export in the bundle, in the tier's order. */
    List<SyntheticAccount> exported() {
        return accounts.values().stream().filter(a -> a.plan.exported()).toList();
    }

    /** Tells whether the region guard SCP limits the principals of {@code account}. */
    boolean regionGuarded(SyntheticAccount account) {
        String workloads = units.get("workloads").id();
        for (String unit = account.organizationalUnitId; unit != null; unit = parentOf(unit)) {
            if (unit.equals(workloads)) {
                return true;
            }
        }
        return false;
    }

    /** Tells whether a request for {@code action} by a principal of {@code account} needs aws:RequestedRegion to be decided. */
    boolean needsRegion(SyntheticAccount account, String action) {
        String service = action.substring(0, action.indexOf(':'));
        return regionGuarded(account) && !GLOBAL_SERVICES.contains(service);
    }

    ControlPolicy policyNamed(String name) {
        return policies.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    String organizationsArn(String resource) {
        return "arn:aws:organizations::" + managementAccountId + ":" + resource;
    }

    private String parentOf(String unitId) {
        for (Unit unit : units.values()) {
            if (unit.id().equals(unitId)) {
                return unit.parentId();
            }
        }
        return null;
    }

    private void addControlPolicies(AwsIdentifiers ids) {
        List<String> everywhere = new ArrayList<>();
        units.values().forEach(unit -> everywhere.add(unit.id()));
        accounts.values().forEach(account -> everywhere.add(account.id));
        policies.add(new ControlPolicy("p-FullAWSAccess",
                "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess", "FullAWSAccess",
                "Allows access to every operation", true,
                PolicyStatement.document(PolicyStatement.allow().actions("*").resources("*").build()), everywhere));

        addCustomerPolicy(ids, "DenyLeaveOrganization", "Keeps member accounts in the organization",
                PolicyStatement.deny().sid(LEAVE_ORGANIZATION_SID).actions("organizations:LeaveOrganization")
                        .resources("*"), rootId);
        addCustomerPolicy(ids, "RestrictRegions", "Denies regional services outside the approved regions",
                PolicyStatement.deny().sid(REGION_GUARD_SID).notActions(GLOBAL_SERVICES.stream().map(s -> s + ":*")
                                .toArray(String[]::new)).resources("*")
                        .condition("StringNotEquals", "aws:RequestedRegion", APPROVED_REGIONS.toArray(String[]::new)),
                units.get("workloads").id());
        addCustomerPolicy(ids, "DenyAssumeRestrictedRoles", "Keeps these accounts out of roles under /restricted/",
                PolicyStatement.deny().sid(RESTRICTED_ROLES_SID).actions("sts:AssumeRole")
                        .resources("arn:aws:iam::*:role/restricted/*"), units.get(tier.restrictedOu()).id());
    }

    private void addCustomerPolicy(AwsIdentifiers ids, String name, String description, PolicyStatement statement,
                                   String target) {
        String id = ids.policyId();
        policies.add(new ControlPolicy(id, organizationsArn("policy/" + organizationId + "/service_control_policy/" + id),
                name, description, false, PolicyStatement.document(statement.build()), List.of(target)));
    }
}
