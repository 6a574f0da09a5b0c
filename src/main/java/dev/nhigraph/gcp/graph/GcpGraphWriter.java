package dev.nhigraph.gcp.graph;

import dev.nhigraph.db.Batches;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpInventory.Binding;
import dev.nhigraph.gcp.GcpInventory.DenyRule;
import dev.nhigraph.gcp.GcpInventory.Resource;
import dev.nhigraph.gcp.GcpInventory.Role;
import dev.nhigraph.gcp.GcpInventory.ServiceAccount;
import dev.nhigraph.gcp.GcpInventory.ServiceAccountKey;
import dev.nhigraph.gcp.GcpNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neo4j.driver.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link GcpInventory} into Neo4j as the raw GCP facts of the graph model in {@code cypher/schema/gcp.cypher}.
 *
 * <p>Runs in the caller's transaction, so a failure leaves the graph as it was. Writes use UNWIND over batches and
 * MERGE on the schema's unique ids, so loading the same output twice leaves the same graph. The bindings of every
 * resource whose allow policy is in the inventory replace the ones stored before, as a newer
 * {@code search-all-iam-policies} output replaces an older one. Likewise the RUNS_AS links of every workload whose
 * account the inventory states replace the ones stored before.
 *
 * <p>TODO: a resource whose policy was emptied since the last load keeps its old bindings, because an empty
 * policy does not appear in {@code search-all-iam-policies} output; load into a fresh --data-dir to drop them.
 */
public final class GcpGraphWriter {

    private static final Logger log = LoggerFactory.getLogger(GcpGraphWriter.class);

    private final GcpInventory inventory;
    private final String snapshotId;

    public GcpGraphWriter(GcpInventory inventory, String snapshotId) {
        this.inventory = inventory;
        this.snapshotId = snapshotId;
    }

    /** Writes every resource, account, key, custom role, binding and deny rule of the inventory. */
    public void writeAll(TransactionContext tx) {
        writeResources(tx);
        writeServiceAccounts(tx);
        writeKeys(tx);
        writeCustomRoles(tx);
        writeBindings(tx);
        writeDenyRules(tx);
        writeRunsAs(tx);
    }

    private void writeResources(TransactionContext tx) {
        Map<String, List<Map<String, Object>>> rowsByLabel = new LinkedHashMap<>();
        Map<String, String> numbersById = new HashMap<>();
        inventory.projectNumbers().forEach((number, id) -> numbersById.put(id, number));
        for (Resource resource : inventory.resources()) {
            if (resource.assetType() != null && resource.assetType().equals(GcpNames.SERVICE_ACCOUNT_TYPE)) {
                // A service account is a principal node, written with the accounts below.
                continue;
            }
            Map<String, Object> props = new HashMap<>();
            props.put("assetType", resource.assetType());
            props.put("projectId", resource.projectId());
            props.put("displayName", resource.displayName());
            props.put("state", resource.state());
            props.put("projectNumber", GcpNames.PROJECT_TYPE.equals(resource.assetType()) ? numbersById.get(resource.projectId()) : null);
            Map<String, Object> row = new HashMap<>();
            row.put("id", resource.name());
            row.put("props", props);
            row.put("parent", resource.parent());
            rowsByLabel.computeIfAbsent(containerLabel(resource.assetType()), k -> new ArrayList<>()).add(row);
        }
        for (Map.Entry<String, List<Map<String, Object>>> entry : rowsByLabel.entrySet()) {
            // The extra label comes from containerLabel's fixed set, never from input.
            String label = entry.getKey().isEmpty() ? "" : ", r:" + entry.getKey();
            run(tx, """
                    UNWIND $rows AS row
                    MERGE (r:GcpResource {id: row.id})
                    SET r += row.props, r.missing = null, r.snapshot = $snapshot%s""".formatted(label), entry.getValue());
        }
        List<Map<String, Object>> all = rowsByLabel.values().stream().flatMap(List::stream).toList();
        run(tx, """
                UNWIND $rows AS row
                MATCH (r:GcpResource {id: row.id})-[old:IN]->()
                DELETE old""", all);
        linkToParents(tx, all.stream().filter(row -> row.get("parent") != null).toList(), "GcpResource");
        log.info("Loaded {} GcpResource ({})", all.size(), rowsByLabel.entrySet().stream()
                .map(e -> e.getValue().size() + " " + (e.getKey().isEmpty() ? "resources" : e.getKey())).toList());
    }

    /** Returns the label a container carries besides GcpResource, or "" for a resource below projects. */
    static String containerLabel(String assetType) {
        if (GcpNames.ORGANIZATION_TYPE.equals(assetType)) {
            return "GcpOrganization";
        }
        if (GcpNames.FOLDER_TYPE.equals(assetType)) {
            return "GcpFolder";
        }
        if (GcpNames.PROJECT_TYPE.equals(assetType)) {
            return "GcpProject";
        }
        return "";
    }

    /** Links each row's node to its parent, creating a parent the bundle does not list as a missing GcpResource. */
    private void linkToParents(TransactionContext tx, List<Map<String, Object>> rows, String childLabel) {
        String match = childLabel.equals("Principal") ? "MATCH (child:Principal {id: row.id})" : "MATCH (child:GcpResource {id: row.id})";
        run(tx, match + """

                MERGE (parent:GcpResource {id: row.parent})
                ON CREATE SET parent.missing = true, parent.snapshot = $snapshot
                MERGE (child)-[r:IN]->(parent)
                SET r.snapshot = $snapshot""", rows);
        // Parents created above get their container label from the form of their name.
        run(tx, """
                UNWIND $rows AS row
                MATCH (parent:GcpResource {id: row.parent})
                WHERE parent.missing AND parent.assetType IS NULL
                FOREACH (_ IN CASE WHEN parent.id CONTAINS '/organizations/' THEN [1] ELSE [] END |
                    SET parent:GcpOrganization, parent.assetType = 'cloudresourcemanager.googleapis.com/Organization')
                FOREACH (_ IN CASE WHEN parent.id CONTAINS '/folders/' THEN [1] ELSE [] END |
                    SET parent:GcpFolder, parent.assetType = 'cloudresourcemanager.googleapis.com/Folder')
                FOREACH (_ IN CASE WHEN parent.id STARTS WITH '//cloudresourcemanager.googleapis.com/projects/' THEN [1] ELSE [] END |
                    SET parent:GcpProject, parent.assetType = 'cloudresourcemanager.googleapis.com/Project')""", rows);
    }

    private void run(TransactionContext tx, String cypher, List<?> rows) {
        String statement = cypher.startsWith("UNWIND") ? cypher : "UNWIND $rows AS row\n" + cypher;
        Batches.unwind(tx, statement, rows, Map.of("snapshot", snapshotId));
    }

    private void writeServiceAccounts(TransactionContext tx) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ServiceAccount account : inventory.serviceAccounts()) {
            Map<String, Object> props = new HashMap<>();
            props.put("name", account.email());
            props.put("email", account.email());
            props.put("resourceName", account.resourceName());
            props.put("project", account.projectId());
            props.put("uniqueId", account.uniqueId());
            props.put("displayName", account.displayName());
            props.put("disabled", account.disabled());
            rows.add(Map.of("id", account.member(), "props", props, "parent", GcpNames.projectName(account.projectId())));
        }
        run(tx, """
                UNWIND $rows AS row
                MERGE (p:Principal {id: row.id})
                SET p:GcpServiceAccount, p.kind = 'GcpServiceAccount', p += row.props, p.external = false,
                    p.missing = null, p.snapshot = $snapshot
                WITH p
                OPTIONAL MATCH (p)-[old:IN]->()
                DELETE old""", rows);
        linkToParents(tx, rows, "Principal");
        log.info("Loaded {} GcpServiceAccount", rows.size());
    }

    private void writeKeys(TransactionContext tx) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ServiceAccountKey key : inventory.keys()) {
            Map<String, Object> props = new HashMap<>();
            props.put("keyType", key.keyType());
            props.put("keyOrigin", key.keyOrigin());
            props.put("validAfter", key.validAfter());
            props.put("validBefore", key.validBefore());
            props.put("disabled", key.disabled());
            props.put("serviceAccount", key.serviceAccountEmail());
            rows.add(Map.of("id", key.keyId(), "props", props, "account", "serviceAccount:" + key.serviceAccountEmail(),
                    "email", key.serviceAccountEmail()));
        }
        run(tx, """
                UNWIND $rows AS row
                MERGE (k:GcpServiceAccountKey {id: row.id})
                SET k:Credential, k += row.props, k.snapshot = $snapshot
                MERGE (a:Principal {id: row.account})
                ON CREATE SET a:GcpServiceAccount, a.kind = 'GcpServiceAccount', a.name = row.email, a.email = row.email,
                              a.external = false, a.missing = true, a.snapshot = $snapshot
                MERGE (a)-[r:HAS_KEY]->(k)
                SET r.snapshot = $snapshot""", rows);
        log.info("Loaded {} GcpServiceAccountKey", rows.size());
    }

    private void writeCustomRoles(TransactionContext tx) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Role role : inventory.customRoles()) {
            Map<String, Object> props = new HashMap<>();
            props.put("title", role.title());
            props.put("stage", role.stage());
            props.put("deleted", role.deleted());
            props.put("custom", true);
            props.put("permissions", role.permissions());
            props.put("permissionCount", role.permissions().size());
            Map<String, Object> row = new HashMap<>();
            row.put("id", role.name());
            row.put("props", props);
            row.put("parent", GcpNames.canonical(role.name().substring(0, role.name().indexOf("/roles/")),
                    inventory.projectNumbers(), Map.of()));
            rows.add(row);
        }
        run(tx, """
                UNWIND $rows AS row
                MERGE (r:GcpRole {id: row.id})
                SET r += row.props, r.snapshot = $snapshot
                MERGE (parent:GcpResource {id: row.parent})
                ON CREATE SET parent.missing = true, parent.snapshot = $snapshot
                MERGE (r)-[i:IN]->(parent)
                SET i.snapshot = $snapshot""", rows);
        log.info("Loaded {} custom GcpRole", rows.size());
    }

    private void writeBindings(TransactionContext tx) {
        Set<String> members = new LinkedHashSet<>();
        Set<String> resourcesWithPolicy = new LinkedHashSet<>();
        List<Map<String, Object>> onResources = new ArrayList<>();
        List<Map<String, Object>> onAccounts = new ArrayList<>();
        for (Binding binding : inventory.bindings()) {
            resourcesWithPolicy.add(binding.resource());
            String accountTarget = accountMember(binding.resource());
            // A member listed twice in one binding is one grant.
            for (String member : new LinkedHashSet<>(binding.members())) {
                members.add(member);
                Map<String, Object> row = new HashMap<>();
                row.put("member", member);
                row.put("target", accountTarget == null ? binding.resource() : accountTarget);
                row.put("resource", binding.resource());
                row.put("role", binding.role());
                row.put("binding", binding.index());
                row.put("policy", binding.resource() + "#iam-policy");
                row.put("conditionTitle", binding.condition() == null ? null : binding.condition().title());
                row.put("conditionExpression", binding.condition() == null ? null : binding.condition().expression());
                row.put("conditionDescription", binding.condition() == null ? null : binding.condition().description());
                row.put("sourceFile", binding.sourceFile());
                (accountTarget == null ? onResources : onAccounts).add(row);
            }
        }
        writeMembers(tx, members);

        // Resources that only a policy names, such as a bucket without search-all-resources output, still get a node.
        run(tx, """
                UNWIND $rows AS id
                MERGE (r:GcpResource {id: id})
                ON CREATE SET r.missing = true, r.snapshot = $snapshot""",
                resourcesWithPolicy.stream().filter(name -> accountMember(name) == null).toList());
        run(tx, """
                UNWIND $rows AS id
                MATCH (r:GcpResource {id: id})<-[old:HAS_ROLE]-()
                DELETE old""", resourcesWithPolicy.stream().filter(name -> accountMember(name) == null).toList());
        run(tx, """
                UNWIND $rows AS id
                MATCH (a:Principal {id: id})<-[old:HAS_ROLE]-()
                DELETE old""", resourcesWithPolicy.stream().map(GcpGraphWriter::accountMember).filter(m -> m != null).toList());

        // The old bindings of these resources and accounts are gone, the inventory keeps one policy per resource, and
        // each row is one member of one binding, so CREATE suffices. MERGE checked every row against the target's
        // other bindings, which cost 2 of the 23 s of the 500,000 bindings of tier L's GCP half in a profile.
        String binding = """
                UNWIND $rows AS row
                MATCH (m:Principal {id: row.member})
                %s
                CREATE (m)-[b:HAS_ROLE {role: row.role, binding: row.binding, policy: row.policy}]->(t)
                SET b.conditionTitle = row.conditionTitle, b.conditionExpression = row.conditionExpression,
                    b.conditionDescription = row.conditionDescription, b.sourceFile = row.sourceFile,
                    b.snapshot = $snapshot""";
        run(tx, binding.formatted("MATCH (t:GcpResource {id: row.target})"), onResources);
        run(tx, binding.formatted("""
                MERGE (t:Principal {id: row.target})
                ON CREATE SET t:GcpServiceAccount, t.kind = 'GcpServiceAccount', t.name = substring(row.target, 15),
                              t.email = substring(row.target, 15), t.resourceName = row.resource,
                              t.external = false, t.missing = true, t.snapshot = $snapshot"""), onAccounts);
        log.info("Loaded {} HAS_ROLE from {} members on {} resources", onResources.size() + onAccounts.size(),
                members.size(), resourcesWithPolicy.size());
    }

    /** Returns {@code serviceAccount:EMAIL} when {@code resourceName} names a service account, else null. */
    static String accountMember(String resourceName) {
        int at = resourceName.indexOf("/serviceAccounts/");
        if (!resourceName.startsWith("//iam.googleapis.com/") || at < 0) {
            return null;
        }
        String account = resourceName.substring(at + "/serviceAccounts/".length());
        return account.contains("@") && !account.contains("/") ? "serviceAccount:" + account : null;
    }

    private void writeMembers(TransactionContext tx, Set<String> members) {
        List<Map<String, Object>> accounts = new ArrayList<>();
        List<Map<String, Object>> others = new ArrayList<>();
        for (String member : members) {
            // serviceAccount:PROJECT.svc.id.goog[NAMESPACE/KSA] is a Kubernetes service account of GKE's workload
            // identity, which has no email and cannot be impersonated: it is a member, not a service account.
            if (member.startsWith("serviceAccount:") && member.contains("@")) {
                String email = member.substring("serviceAccount:".length());
                String project = GcpNames.projectOfEmail(email);
                Map<String, Object> row = new HashMap<>();
                row.put("id", member);
                row.put("email", email);
                row.put("resourceName", project == null ? null : GcpNames.serviceAccountName(project, email));
                accounts.add(row);
                continue;
            }
            String type = memberType(member);
            Map<String, Object> row = new HashMap<>();
            row.put("id", member);
            row.put("memberType", type);
            row.put("name", member.contains(":") && !member.startsWith("principal") ? member.substring(member.indexOf(':') + 1) : member);
            // Members that anyone, or an identity outside the organisation's directory, can be are external.
            row.put("external", Set.of("allUsers", "allAuthenticatedUsers", "principal", "principalSet").contains(type));
            others.add(row);
        }
        run(tx, """
                UNWIND $rows AS row
                MERGE (p:Principal {id: row.id})
                ON CREATE SET p:GcpServiceAccount, p.kind = 'GcpServiceAccount', p.name = row.email, p.email = row.email,
                              p.resourceName = row.resourceName, p.external = false, p.missing = true,
                              p.snapshot = $snapshot""", accounts);
        run(tx, """
                UNWIND $rows AS row
                MERGE (p:Principal {id: row.id})
                SET p:GcpMember, p.kind = 'GcpMember', p.memberType = row.memberType, p.name = row.name,
                    p.external = row.external, p.snapshot = $snapshot""", others);
    }

    /** Returns the member's type: its prefix before the colon, or the whole name for allUsers and allAuthenticatedUsers. */
    static String memberType(String member) {
        if (member.startsWith("principalSet://")) {
            return "principalSet";
        }
        if (member.startsWith("principal://")) {
            return "principal";
        }
        if (member.startsWith("serviceAccount:") && member.contains(".svc.id.goog[")) {
            return "kubernetesServiceAccount";
        }
        int colon = member.indexOf(':');
        return colon < 0 ? member : member.substring(0, colon);
    }

    private void writeDenyRules(TransactionContext tx) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Integer> indexByPolicy = new HashMap<>();
        for (DenyRule rule : inventory.denyRules()) {
            int index = indexByPolicy.merge(rule.policyName(), 1, Integer::sum) - 1;
            Map<String, Object> props = new HashMap<>();
            props.put("policy", rule.policyName());
            props.put("deniedPrincipals", rule.deniedPrincipals());
            props.put("exceptionPrincipals", rule.exceptionPrincipals());
            props.put("deniedPermissions", rule.deniedPermissions());
            props.put("exceptionPermissions", rule.exceptionPermissions());
            props.put("conditionTitle", rule.condition() == null ? null : rule.condition().title());
            props.put("conditionExpression", rule.condition() == null ? null : rule.condition().expression());
            props.put("sourceFile", rule.sourceFile());
            rows.add(Map.of("id", rule.policyName() + "#" + index, "props", props, "parent", rule.attachmentPoint()));
        }
        run(tx, """
                UNWIND $rows AS row
                MERGE (d:GcpDenyRule {id: row.id})
                SET d += row.props, d.snapshot = $snapshot
                MERGE (parent:GcpResource {id: row.parent})
                ON CREATE SET parent.missing = true, parent.snapshot = $snapshot
                MERGE (d)-[a:ATTACHED_TO]->(parent)
                SET a.snapshot = $snapshot""", rows);
        log.info("Loaded {} GcpDenyRule", rows.size());
    }

    /**
     * Links each workload whose account the inventory states to the accounts it runs as. {@code runsAsKnown} marks
     * the workload, so that one known to run as no account reads back as such and not as unknown.
     */
    private void writeRunsAs(TransactionContext tx) {
        List<Map<String, Object>> workloads = new ArrayList<>();
        List<Map<String, Object>> links = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : inventory.runsAs().entrySet()) {
            workloads.add(Map.of("id", entry.getKey()));
            for (String email : entry.getValue()) {
                String project = GcpNames.projectOfEmail(email);
                Map<String, Object> row = new HashMap<>();
                row.put("workload", entry.getKey());
                row.put("account", "serviceAccount:" + email);
                row.put("email", email);
                row.put("resourceName", project == null ? null : GcpNames.serviceAccountName(project, email));
                links.add(row);
            }
        }
        run(tx, """
                UNWIND $rows AS row
                MERGE (w:GcpResource {id: row.id})
                ON CREATE SET w.missing = true, w.snapshot = $snapshot
                SET w.runsAsKnown = true
                WITH w
                OPTIONAL MATCH (w)-[old:RUNS_AS]->()
                DELETE old""", workloads);
        run(tx, """
                UNWIND $rows AS row
                MATCH (w:GcpResource {id: row.workload})
                MERGE (a:Principal {id: row.account})
                ON CREATE SET a:GcpServiceAccount, a.kind = 'GcpServiceAccount', a.name = row.email, a.email = row.email,
                              a.resourceName = row.resourceName, a.external = false, a.missing = true,
                              a.snapshot = $snapshot
                MERGE (w)-[r:RUNS_AS]->(a)
                SET r.snapshot = $snapshot""", links);
        log.info("Loaded {} RUNS_AS of {} workloads", links.size(), workloads.size());
    }
}
