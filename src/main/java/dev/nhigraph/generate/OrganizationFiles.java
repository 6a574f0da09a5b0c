package dev.nhigraph.generate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.generate.SyntheticOrg.ControlPolicy;
import dev.nhigraph.generate.SyntheticOrg.Unit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the AWS Organizations outputs of the bundle, at the paths that collectors/aws/collect-organization.sh
 * uses: describe-organization, list-roots, list-accounts, the OUs and accounts of every parent, list-policies, and
 * describe-policy with list-targets-for-policy for every SCP.
 */
final class OrganizationFiles {

    private final SyntheticOrg org;
    private final AwsIdentifiers ids;

    private OrganizationFiles(SyntheticOrg org, AwsIdentifiers ids) {
        this.org = org;
        this.ids = ids;
    }

    /** Returns the files by path below the bundle folder, in a fixed order. */
    static Map<String, ObjectNode> build(SyntheticOrg org, AwsIdentifiers ids) {
        return new OrganizationFiles(org, ids).files();
    }

    private Map<String, ObjectNode> files() {
        Map<String, ObjectNode> files = new LinkedHashMap<>();
        files.put("organizations/organization.json", describeOrganization());
        files.put("organizations/roots.json", listRoots());

        ObjectNode allAccounts = PolicyStatement.NODES.objectNode();
        ArrayNode accountList = allAccounts.putArray("Accounts");
        Map<String, ObjectNode> accountEntries = new LinkedHashMap<>();
        for (SyntheticAccount account : org.accounts.values()) {
            ObjectNode entry = accountEntry(account);
            accountEntries.put(account.id, entry);
            accountList.add(entry);
        }
        files.put("organizations/accounts.json", allAccounts);

        for (Unit parent : org.units.values()) {
            ObjectNode units = PolicyStatement.NODES.objectNode();
            ArrayNode unitList = units.putArray("OrganizationalUnits");
            org.units.values().stream().filter(u -> parent.id().equals(u.parentId()))
                    .forEach(u -> unitList.add(unitEntry(u)));
            files.put("organizations/children/" + parent.id() + "/ous.json", units);
            ObjectNode accounts = PolicyStatement.NODES.objectNode();
            ArrayNode children = accounts.putArray("Accounts");
            org.accounts.values().stream().filter(a -> a.organizationalUnitId.equals(parent.id()))
                    .forEach(a -> children.add(accountEntries.get(a.id).deepCopy()));
            files.put("organizations/children/" + parent.id() + "/accounts.json", accounts);
        }

        ObjectNode policyList = PolicyStatement.NODES.objectNode();
        ArrayNode summaries = policyList.putArray("Policies");
        for (ControlPolicy policy : org.policies) {
            summaries.add(summary(policy));
            files.put("organizations/policies/" + policy.id() + "/policy.json", describePolicy(policy));
            files.put("organizations/policies/" + policy.id() + "/targets.json", targets(policy));
        }
        files.put("organizations/policies/service-control-policy-list.json", policyList);
        return files;
    }

    private ObjectNode describeOrganization() {
        ObjectNode root = PolicyStatement.NODES.objectNode();
        ObjectNode organization = root.putObject("Organization");
        organization.put("Id", org.organizationId);
        organization.put("Arn", org.organizationsArn("organization/" + org.organizationId));
        organization.put("FeatureSet", "ALL");
        organization.put("MasterAccountArn", accountArn(org.managementAccountId));
        organization.put("MasterAccountId", org.managementAccountId);
        organization.put("MasterAccountEmail", org.account("management").email);
        organization.putArray("AvailablePolicyTypes").add(scpEnabled());
        return root;
    }

    private ObjectNode listRoots() {
        ObjectNode root = PolicyStatement.NODES.objectNode();
        ObjectNode entry = root.putArray("Roots").addObject();
        entry.put("Id", org.rootId);
        entry.put("Arn", org.organizationsArn("root/" + org.organizationId + "/" + org.rootId));
        entry.put("Name", "Root");
        entry.putArray("PolicyTypes").add(scpEnabled());
        return root;
    }

    private static ObjectNode scpEnabled() {
        ObjectNode type = PolicyStatement.NODES.objectNode();
        type.put("Type", "SERVICE_CONTROL_POLICY");
        type.put("Status", "ENABLED");
        return type;
    }

    private ObjectNode unitEntry(Unit unit) {
        ObjectNode entry = PolicyStatement.NODES.objectNode();
        entry.put("Id", unit.id());
        entry.put("Arn", unitArn(unit));
        entry.put("Name", unit.name());
        return entry;
    }

    private ObjectNode accountEntry(SyntheticAccount account) {
        ObjectNode entry = PolicyStatement.NODES.objectNode();
        entry.put("Id", account.id);
        entry.put("Arn", accountArn(account.id));
        entry.put("Email", account.email);
        entry.put("Name", account.plan.name());
        entry.put("Status", "ACTIVE");
        entry.put("JoinedMethod", account.id.equals(org.managementAccountId) ? "INVITED" : "CREATED");
        entry.put("JoinedTimestamp", ids.joinedTimestamp());
        return entry;
    }

    private ObjectNode summary(ControlPolicy policy) {
        ObjectNode summary = PolicyStatement.NODES.objectNode();
        summary.put("Id", policy.id());
        summary.put("Arn", policy.arn());
        summary.put("Name", policy.name());
        summary.put("Description", policy.description());
        summary.put("Type", "SERVICE_CONTROL_POLICY");
        summary.put("AwsManaged", policy.awsManaged());
        return summary;
    }

    private ObjectNode describePolicy(ControlPolicy policy) {
        ObjectNode root = PolicyStatement.NODES.objectNode();
        ObjectNode detail = root.putObject("Policy");
        detail.set("PolicySummary", summary(policy));
        detail.put("Content", JsonOutput.compact(policy.content()));
        return root;
    }

    private ObjectNode targets(ControlPolicy policy) {
        ObjectNode root = PolicyStatement.NODES.objectNode();
        ArrayNode list = root.putArray("Targets");
        for (String target : policy.targets()) {
            ObjectNode entry = list.addObject();
            entry.put("TargetId", target);
            Unit unit = org.units.values().stream().filter(u -> u.id().equals(target)).findFirst().orElse(null);
            if (unit != null) {
                entry.put("Arn", unitArn(unit));
                entry.put("Name", unit.name());
                entry.put("Type", unit.parentId() == null ? "ROOT" : "ORGANIZATIONAL_UNIT");
            } else {
                SyntheticAccount account = org.accounts.values().stream().filter(a -> a.id.equals(target)).findFirst().orElseThrow();
                entry.put("Arn", accountArn(account.id));
                entry.put("Name", account.plan.name());
                entry.put("Type", "ACCOUNT");
            }
        }
        return root;
    }

    private String unitArn(Unit unit) {
        return unit.parentId() == null ? org.organizationsArn("root/" + org.organizationId + "/" + unit.id())
                : org.organizationsArn("ou/" + org.organizationId + "/" + unit.id());
    }

    private String accountArn(String accountId) {
        return org.organizationsArn("account/" + org.organizationId + "/" + accountId);
    }
}
