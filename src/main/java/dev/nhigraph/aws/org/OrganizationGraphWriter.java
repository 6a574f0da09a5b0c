package dev.nhigraph.aws.org;

import dev.nhigraph.aws.org.OrganizationModel.Account;
import dev.nhigraph.aws.org.OrganizationModel.ControlPolicy;
import dev.nhigraph.aws.org.OrganizationModel.ControlPolicyKind;
import dev.nhigraph.aws.org.OrganizationModel.OrganizationalUnit;
import dev.nhigraph.aws.org.OrganizationModel.PolicyTarget;
import dev.nhigraph.aws.org.OrganizationModel.TargetType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.nhigraph.db.Batches;
import org.neo4j.driver.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an {@link Organization} into Neo4j: the organization, its roots and OUs, the accounts in them, and
 * the SCPs and RCPs with the roots, OUs and accounts they are attached to.
 *
 * <p>The graph model is described in {@code cypher/schema/organizations.cypher}. Writes use UNWIND over
 * batches and MERGE on the unique ids, so writing the same organization twice leaves the same graph.
 *
 * <p>A newer export replaces the tree and the attachments instead of adding to them. Before writing, the
 * writer removes the CHILD_OF and IN_OU relationships of the OUs and accounts whose parent the bundle gives.
 * It also removes the HAS_SCP and HAS_RCP relationships of the policies whose targets the bundle gives.
 *
 * <p>TODO: OUs, accounts and policies missing from a newer export are not removed; a load only adds and updates.
 */
public final class OrganizationGraphWriter {

    private static final Logger log = LoggerFactory.getLogger(OrganizationGraphWriter.class);

    private final Organization organization;
    private final String snapshotId;
    private final List<String> warnings = new ArrayList<>();

    public OrganizationGraphWriter(Organization organization, String snapshotId) {
        this.organization = organization;
        this.snapshotId = snapshotId;
    }

    /** Returns the gaps found while writing, such as a policy attached to an OU that the bundle does not list. */
    public List<String> warnings() {
        return warnings;
    }

    /** Writes the whole organization in the caller's transaction. */
    public void writeAll(TransactionContext tx) {
        removeReplacedRelationships(tx);
        writeOrganization(tx);
        writeUnits(tx);
        writeAccounts(tx);
        writeManagementAccount(tx);
        writePolicies(tx);
        writeTargets(tx);
    }

    private void removeReplacedRelationships(TransactionContext tx) {
        List<String> placedUnits = organization.units().stream().filter(u -> u.parentId() != null).map(OrganizationalUnit::id).toList();
        run(tx, """
                UNWIND $rows AS id
                MATCH (:AwsOrganizationalUnit {id: id})-[r:CHILD_OF]->()
                DELETE r""", placedUnits);
        List<String> placedAccounts = organization.accounts().stream().filter(a -> a.parentId() != null).map(Account::id).toList();
        run(tx, """
                UNWIND $rows AS id
                MATCH (:Principal {id: id})-[r:IN_OU]->()
                DELETE r""", placedAccounts);
        List<String> attachedPolicies = organization.policies().stream().filter(p -> p.targets() != null).map(ControlPolicy::arn).toList();
        run(tx, """
                UNWIND $rows AS id
                MATCH ()-[r:HAS_SCP|HAS_RCP]->(:AwsPolicy {id: id})
                DELETE r""", attachedPolicies);
    }

    private void writeOrganization(TransactionContext tx) {
        if (organization.id() == null) {
            warnings.add("The organization id is unknown (no describe-organization output and no ARN that names it),"
                    + " so no AwsOrganization node is written");
            return;
        }
        Map<String, Object> row = new HashMap<>();
        row.put("id", organization.id());
        row.put("arn", organization.arn());
        row.put("managementAccount", organization.managementAccount());
        row.put("featureSet", organization.featureSet());
        run(tx, """
                UNWIND $rows AS row
                MERGE (o:AwsOrganization {id: row.id})
                SET o.arn = coalesce(row.arn, o.arn), o.managementAccount = coalesce(row.managementAccount, o.managementAccount),
                    o.featureSet = coalesce(row.featureSet, o.featureSet), o.snapshot = $snapshot""", List.of(row));
    }

    private void writeUnits(TransactionContext tx) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (OrganizationalUnit unit : organization.units()) {
            Map<String, Object> row = new HashMap<>();
            row.put("id", unit.id());
            row.put("arn", unit.arn());
            row.put("name", unit.name());
            row.put("root", unit.root());
            row.put("parent", unit.parentId());
            row.put("parentIsRoot", unit.parentId() != null && unit.parentId().startsWith("r-"));
            rows.add(row);
        }
        run(tx, """
                UNWIND $rows AS row
                MERGE (u:AwsOrganizationalUnit {id: row.id})
                SET u.arn = row.arn, u.name = row.name, u.root = row.root, u.organization = $organization,
                    u.snapshot = $snapshot""", rows);
        // A parent that the bundle names but does not list gets a node with its id only; the parser warned.
        run(tx, """
                UNWIND $rows AS row
                WITH row WHERE row.parent IS NOT NULL
                MATCH (u:AwsOrganizationalUnit {id: row.id})
                MERGE (p:AwsOrganizationalUnit {id: row.parent})
                ON CREATE SET p.root = row.parentIsRoot, p.organization = $organization, p.snapshot = $snapshot
                MERGE (u)-[r:CHILD_OF]->(p)
                SET r.snapshot = $snapshot""", rows);
        run(tx, """
                UNWIND $rows AS row
                WITH row WHERE row.root AND $organization IS NOT NULL
                MATCH (u:AwsOrganizationalUnit {id: row.id}), (o:AwsOrganization {id: $organization})
                MERGE (u)-[r:IN_ORGANIZATION]->(o)
                SET r.snapshot = $snapshot""", rows);
        log.info("Loaded {} AwsOrganizationalUnit (roots included)", rows.size());
    }

    private void writeAccounts(TransactionContext tx) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Account account : organization.accounts()) {
            Map<String, Object> row = new HashMap<>();
            row.put("id", account.id());
            row.put("organizationsArn", account.arn());
            row.put("name", account.name());
            row.put("email", account.email());
            row.put("status", account.status());
            row.put("state", account.state());
            row.put("joinedMethod", account.joinedMethod());
            row.put("joinedTimestamp", account.joinedTimestamp());
            row.put("parent", account.parentId());
            row.put("parentIsRoot", account.parentId() != null && account.parentId().startsWith("r-"));
            rows.add(row);
        }
        run(tx, """
                UNWIND $rows AS row
                MERGE (a:Principal {id: row.id})
                ON CREATE SET a.arn = 'arn:aws:iam::' + row.id + ':root'
                SET a:AwsAccount, a.kind = 'AwsAccount', a.account = row.id, a.name = coalesce(row.name, a.name, row.id),
                    a.email = coalesce(row.email, a.email), a.status = coalesce(row.status, a.status),
                    a.state = coalesce(row.state, a.state), a.joinedMethod = coalesce(row.joinedMethod, a.joinedMethod),
                    a.joinedTimestamp = coalesce(row.joinedTimestamp, a.joinedTimestamp),
                    a.organizationsArn = coalesce(row.organizationsArn, a.organizationsArn),
                    a.organization = coalesce($organization, a.organization), a.snapshot = $snapshot""", rows);
        run(tx, """
                UNWIND $rows AS row
                WITH row WHERE row.parent IS NOT NULL
                MATCH (a:Principal {id: row.id})
                MERGE (p:AwsOrganizationalUnit {id: row.parent})
                ON CREATE SET p.root = row.parentIsRoot, p.organization = $organization, p.snapshot = $snapshot
                MERGE (a)-[r:IN_OU]->(p)
                SET r.snapshot = $snapshot""", rows);
        run(tx, """
                UNWIND $rows AS row
                WITH row WHERE $organization IS NOT NULL
                MATCH (a:Principal {id: row.id}), (o:AwsOrganization {id: $organization})
                MERGE (a)-[r:IN_ORGANIZATION]->(o)
                SET r.snapshot = $snapshot""", rows);
        log.info("Loaded {} AwsAccount of the organization", rows.size());
    }

    private void writeManagementAccount(TransactionContext tx) {
        String management = organization.managementAccount();
        if (management == null) {
            return;
        }
        run(tx, """
                UNWIND $rows AS id
                MERGE (a:Principal {id: id})
                ON CREATE SET a.arn = 'arn:aws:iam::' + id + ':root', a.name = id
                SET a:AwsAccount, a.kind = 'AwsAccount', a.account = id, a.isManagementAccount = true,
                    a.organization = $organization, a.snapshot = $snapshot""", List.of(management));
    }

    private void writePolicies(TransactionContext tx) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ControlPolicy policy : organization.policies()) {
            Map<String, Object> props = new HashMap<>();
            props.put("arn", policy.arn());
            props.put("policyId", policy.id());
            props.put("name", policy.name());
            props.put("description", policy.description());
            props.put("kind", policy.kind().graphKind());
            props.put("awsManaged", policy.awsManaged());
            props.put("account", policy.awsManaged() ? "aws" : organization.managementAccount());
            props.put("organization", organization.id());
            props.put("document", policy.document());
            Map<String, Object> row = new HashMap<>();
            row.put("id", policy.arn());
            row.put("props", props);
            // The document is unknown without describe-policy output; "missing" marks that, as for policies
            // that an authorization-details export attaches but does not contain.
            row.put("missing", policy.document() == null ? Boolean.TRUE : null);
            rows.add(row);
        }
        run(tx, """
                UNWIND $rows AS row
                MERGE (p:AwsPolicy {id: row.id})
                SET p += row.props, p.missing = row.missing, p.snapshot = $snapshot""", rows);
        log.info("Loaded {} AwsPolicy of kind scp or rcp", rows.size());
    }

    private void writeTargets(TransactionContext tx) {
        Set<String> inTree = new HashSet<>();
        organization.units().forEach(u -> inTree.add(u.id()));
        organization.accounts().forEach(a -> inTree.add(a.id()));

        Map<ControlPolicyKind, List<Map<String, Object>>> unitRows = new HashMap<>();
        Map<ControlPolicyKind, List<Map<String, Object>>> accountRows = new HashMap<>();
        for (ControlPolicy policy : organization.policies()) {
            if (policy.targets() == null) {
                continue;
            }
            for (PolicyTarget target : policy.targets()) {
                if (!inTree.contains(target.id())) {
                    warnings.add(policy.kind().graphKind().toUpperCase() + " " + policy.id() + " is attached to "
                            + target.id() + " (" + target.name() + "), which the bundle's roots, OUs and accounts do"
                            + " not contain, so the policy cannot reach the accounts below it");
                }
                Map<String, Object> row = new HashMap<>();
                row.put("policy", policy.arn());
                row.put("target", target.id());
                row.put("name", target.name());
                row.put("arn", target.arn());
                row.put("root", target.type() == TargetType.ROOT);
                (target.type() == TargetType.ACCOUNT ? accountRows : unitRows)
                        .computeIfAbsent(policy.kind(), kind -> new ArrayList<>()).add(row);
            }
        }
        for (ControlPolicyKind kind : ControlPolicyKind.values()) {
            // The relationship type comes from the fixed enum, never from input.
            run(tx, """
                    UNWIND $rows AS row
                    MATCH (p:AwsPolicy {id: row.policy})
                    MERGE (t:AwsOrganizationalUnit {id: row.target})
                    ON CREATE SET t.name = row.name, t.arn = row.arn, t.root = row.root, t.organization = $organization,
                                  t.snapshot = $snapshot
                    MERGE (t)-[r:%s]->(p)
                    SET r.snapshot = $snapshot""".formatted(kind.relationship()), unitRows.getOrDefault(kind, List.of()));
            run(tx, """
                    UNWIND $rows AS row
                    MATCH (p:AwsPolicy {id: row.policy})
                    MERGE (t:Principal {id: row.target})
                    ON CREATE SET t.arn = 'arn:aws:iam::' + row.target + ':root', t.name = coalesce(row.name, row.target),
                                  t.snapshot = $snapshot
                    SET t:AwsAccount, t.kind = 'AwsAccount', t.account = row.target
                    MERGE (t)-[r:%s]->(p)
                    SET r.snapshot = $snapshot""".formatted(kind.relationship()), accountRows.getOrDefault(kind, List.of()));
            log.info("Loaded {} {}", unitRows.getOrDefault(kind, List.of()).size() + accountRows.getOrDefault(kind, List.of()).size(),
                    kind.relationship());
        }
    }

    private void run(TransactionContext tx, String cypher, List<?> rows) {
        Batches.unwind(tx, cypher, rows, Map.of("snapshot", snapshotId, "organization", organization.id()));
    }
}
