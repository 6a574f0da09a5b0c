package dev.nhigraph.gcp.graph;

import dev.nhigraph.db.GraphStore;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpInventory.Binding;
import dev.nhigraph.gcp.GcpInventory.Condition;
import dev.nhigraph.gcp.GcpInventory.DenyRule;
import dev.nhigraph.gcp.GcpInventory.Resource;
import dev.nhigraph.gcp.GcpInventory.Role;
import dev.nhigraph.gcp.GcpInventory.ServiceAccount;
import dev.nhigraph.gcp.GcpInventory.ServiceAccountKey;
import dev.nhigraph.gcp.GcpNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.neo4j.driver.Record;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the GCP facts of the whole graph back into a {@link GcpInventory}, so that analysis covers every project
 * loaded so far and not only the last bundle.
 */
public final class GcpGraphReader {

    private static final Logger log = LoggerFactory.getLogger(GcpGraphReader.class);

    private GcpGraphReader() {
    }

    /** Reads the inventory in one read transaction. The inventory is empty when the graph contains no GCP facts. */
    public static GcpInventory read(GraphStore store) {
        long started = System.nanoTime();
        GcpInventory inventory = store.read(GcpGraphReader::read);
        log.info("Read GCP inventory in {} ms: {} resources, {} service accounts, {} custom roles, {} bindings,"
                        + " {} workloads with a known service account", (System.nanoTime() - started) / 1_000_000,
                inventory.resources().size(), inventory.serviceAccounts().size(), inventory.customRoles().size(),
                inventory.bindings().size(), inventory.runsAs().size());
        return inventory;
    }

    static GcpInventory read(TransactionContext tx) {
        List<Resource> resources = new ArrayList<>();
        Map<String, String> projectNumbers = new HashMap<>();
        tx.run("""
                MATCH (r:GcpResource)
                OPTIONAL MATCH (r)-[:IN]->(parent:GcpResource)
                RETURN r.id AS id, r.assetType AS assetType, parent.id AS parent, r.projectId AS projectId,
                       r.displayName AS displayName, r.state AS state, r.projectNumber AS projectNumber""")
                .forEachRemaining(r -> {
                    resources.add(new Resource(r.get("id").asString(), text(r, "assetType"), text(r, "parent"),
                            text(r, "projectId"), text(r, "displayName"), text(r, "state"), null));
                    if (text(r, "projectNumber") != null && text(r, "projectId") != null) {
                        projectNumbers.put(text(r, "projectNumber"), text(r, "projectId"));
                    }
                });

        List<ServiceAccount> accounts = new ArrayList<>();
        tx.run("""
                MATCH (a:GcpServiceAccount)
                OPTIONAL MATCH (a)-[:IN]->(project:GcpProject)
                RETURN a.email AS email, coalesce(a.project, project.projectId) AS project, a.uniqueId AS uniqueId,
                       a.displayName AS displayName, coalesce(a.disabled, false) AS disabled""")
                .forEachRemaining(r -> {
                    String email = text(r, "email");
                    String project = text(r, "project") != null ? text(r, "project") : GcpNames.projectOfEmail(email);
                    if (email != null) {
                        accounts.add(new ServiceAccount(email, project, text(r, "uniqueId"), text(r, "displayName"),
                                r.get("disabled").asBoolean(), null));
                        // The hierarchy walk needs the account as a resource under its project.
                        if (project != null) {
                            resources.add(new Resource(GcpNames.serviceAccountName(project, email), GcpNames.SERVICE_ACCOUNT_TYPE,
                                    GcpNames.projectName(project), project, text(r, "displayName"), null, null));
                        }
                    }
                });

        List<ServiceAccountKey> keys = new ArrayList<>();
        tx.run("""
                MATCH (a:GcpServiceAccount)-[:HAS_KEY]->(k:GcpServiceAccountKey)
                RETURN k.id AS id, a.email AS email, k.keyType AS keyType, k.validAfter AS validAfter,
                       k.validBefore AS validBefore, coalesce(k.disabled, false) AS disabled, k.keyOrigin AS keyOrigin""")
                .forEachRemaining(r -> keys.add(new ServiceAccountKey(r.get("id").asString(), text(r, "email"), text(r, "keyType"),
                        text(r, "validAfter"), text(r, "validBefore"), r.get("disabled").asBoolean(), text(r, "keyOrigin"), null)));

        List<Role> roles = new ArrayList<>();
        tx.run("""
                MATCH (r:GcpRole)
                RETURN r.id AS id, r.title AS title, r.stage AS stage, coalesce(r.deleted, false) AS deleted,
                       coalesce(r.permissions, []) AS permissions""")
                .forEachRemaining(r -> roles.add(new Role(r.get("id").asString(), text(r, "title"), text(r, "stage"),
                        r.get("deleted").asBoolean(), r.get("permissions").asList(Value::asString), null)));

        List<Binding> bindings = readBindings(tx);

        List<DenyRule> denyRules = new ArrayList<>();
        tx.run("""
                MATCH (d:GcpDenyRule)-[:ATTACHED_TO]->(r:GcpResource)
                RETURN r.id AS attachment, d.policy AS policy, d.deniedPrincipals AS denied, d.exceptionPrincipals AS exceptions,
                       d.deniedPermissions AS permissions, d.exceptionPermissions AS exceptionPermissions,
                       d.conditionTitle AS title, d.conditionExpression AS expression, d.sourceFile AS file
                ORDER BY d.id""")
                .forEachRemaining(r -> denyRules.add(new DenyRule(r.get("attachment").asString(), text(r, "policy"),
                        strings(r, "denied"), strings(r, "exceptions"), strings(r, "permissions"), strings(r, "exceptionPermissions"),
                        text(r, "expression") == null ? null : new Condition(text(r, "title"), null, text(r, "expression")),
                        text(r, "file"))));

        Map<String, List<String>> runsAs = new HashMap<>();
        tx.run("""
                MATCH (w:GcpResource)
                WHERE w.runsAsKnown
                OPTIONAL MATCH (w)-[:RUNS_AS]->(a:GcpServiceAccount)
                RETURN w.id AS workload, [email IN collect(a.email) WHERE email IS NOT NULL] AS emails""")
                .forEachRemaining(r -> runsAs.put(r.get("workload").asString(), strings(r, "emails")));

        return new GcpInventory(resources, accounts, keys, roles, bindings, denyRules, projectNumbers, List.of(), List.of(),
                runsAs);
    }

    /** Groups the HAS_ROLE relationships back into one binding per policy, index, role and condition. */
    private static List<Binding> readBindings(TransactionContext tx) {
        record Key(String resource, int index, String role, String title, String expression) {
        }
        Map<Key, List<String>> members = new LinkedHashMap<>();
        Map<Key, String[]> details = new HashMap<>();
        tx.run("""
                MATCH (m:Principal)-[b:HAS_ROLE]->(t)
                RETURN m.id AS member, coalesce(t.resourceName, t.id) AS resource, b.binding AS binding, b.role AS role,
                       b.conditionTitle AS title, b.conditionExpression AS expression,
                       b.conditionDescription AS description, b.sourceFile AS file
                ORDER BY resource, binding, member""")
                .forEachRemaining(r -> {
                    Key key = new Key(r.get("resource").asString(), r.get("binding").asInt(0), r.get("role").asString(),
                            text(r, "title"), text(r, "expression"));
                    members.computeIfAbsent(key, k -> new ArrayList<>()).add(r.get("member").asString());
                    details.putIfAbsent(key, new String[] {text(r, "description"), text(r, "file")});
                });
        List<Binding> bindings = new ArrayList<>(members.size());
        members.forEach((key, list) -> {
            String[] extra = details.get(key);
            Condition condition = key.expression() == null ? null : new Condition(key.title(), extra[0], key.expression());
            bindings.add(new Binding(key.resource(), key.role(), List.copyOf(list), condition, key.index(), extra[1]));
        });
        return bindings;
    }

    private static String text(Record record, String key) {
        Value value = record.get(key);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static List<String> strings(Record record, String key) {
        Value value = record.get(key);
        return value == null || value.isNull() ? List.of() : value.asList(Value::asString).stream().filter(Objects::nonNull).toList();
    }
}
