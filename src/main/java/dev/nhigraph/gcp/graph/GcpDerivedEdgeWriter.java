package dev.nhigraph.gcp.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.nhigraph.NhigraphException;
import dev.nhigraph.db.Batches;
import dev.nhigraph.db.GraphStore;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpInventory.Resource;
import dev.nhigraph.gcp.GcpInventory.ServiceAccount;
import dev.nhigraph.gcp.analysis.GcpAnalysis;
import dev.nhigraph.gcp.analysis.GcpAnalysis.AdminGrant;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.PolicyDocuments;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the result of the GCP analysis: CAN_IMPERSONATE and CAN_ESCALATE between principals, the same with
 * {@code scopeWide: true} from a principal to an organization, folder or project (a step to every enabled service
 * account below it, which {@code AwsProjection} expands), CAN_ACCESS to GCP resources, INCLUDED_IN from each holder
 * of a basic role to the convenience member whose access it gets, the administrator mark with its scopes, and the
 * marks on service accounts that findings use and the expansion reads.
 *
 * <p>Runs after the AWS analysis, whose writer clears every CAN_ESCALATE relationship and administrator mark, so
 * the GCP ones are written again here each time. The old GCP edges are removed first, then the new ones are
 * written in transactions of at most {@value #EDGES_PER_TRANSACTION} relationships, because an organization with
 * tens of thousands of service accounts yields millions of them and one transaction holding all of them exhausts
 * the heap. A load that stops between these transactions leaves some edges missing. Readers can detect that
 * because {@code LoadService} deletes the UnfinishedLoad marker only when it records the Snapshot, after this
 * writer returns.
 */
public final class GcpDerivedEdgeWriter {

    private static final Logger log = LoggerFactory.getLogger(GcpDerivedEdgeWriter.class);

    /** Relationships created or deleted per transaction: bounded so that the transaction state fits the heap. */
    static final int EDGES_PER_TRANSACTION = 50_000;

    private GcpDerivedEdgeWriter() {
    }

    /** The number of relationships and marks written, for the load summary. */
    public record Counts(int impersonate, int escalate, int access, int admins) {
    }

    /**
     * Replaces the derived GCP relationships and marks with {@code result}.
     *
     * <p>NOTE: if a transaction fails, the graph keeps the edges written before it, and the exception names the
     * range that failed. Loading the same files again derives every edge anew.
     */
    public static Counts write(GraphStore store, GcpInventory inventory, GcpAnalysis.Result result) {
        return write(store, inventory, result, EDGES_PER_TRANSACTION);
    }

    /** Writes as {@link #write(GraphStore, GcpInventory, GcpAnalysis.Result)} does, {@code perTransaction} at a time. */
    static Counts write(GraphStore store, GcpInventory inventory, GcpAnalysis.Result result, int perTransaction) {
        long started = System.nanoTime();
        Batches.deleteInTransactions(store,
                "MATCH (:Principal)-[e:CAN_IMPERSONATE]->() WITH e LIMIT $limit DELETE e RETURN count(*) AS n", perTransaction);
        Batches.deleteInTransactions(store,
                "MATCH (:Principal)-[e:CAN_ACCESS]->(:GcpResource) WITH e LIMIT $limit DELETE e RETURN count(*) AS n", perTransaction);
        Batches.deleteInTransactions(store,
                "MATCH (:Principal)-[e:INCLUDED_IN]->(:GcpMember) WITH e LIMIT $limit DELETE e RETURN count(*) AS n", perTransaction);
        // The AWS writer clears every CAN_ESCALATE and administrator mark before a load's GCP analysis. This writer
        // also runs alone: in tests, and in a load of a graph without AWS facts, which skips the AWS stages.
        Batches.deleteInTransactions(store,
                "MATCH (:Principal)-[e:CAN_ESCALATE]->(:GcpResource) WITH e LIMIT $limit DELETE e RETURN count(*) AS n", perTransaction);
        Batches.deleteInTransactions(store, """
                MATCH (:Principal)-[e:CAN_ESCALATE]->(b:Principal) WHERE b:GcpServiceAccount OR b:GcpMember
                WITH e LIMIT $limit DELETE e RETURN count(*) AS n""", perTransaction);
        Batches.deleteInTransactions(store, """
                MATCH (p:Principal) WHERE p.adminScopes IS NOT NULL
                WITH p LIMIT $limit REMOVE p.adminScopes, p.adminEquivalent, p.adminTechniques, p.adminEvidence
                RETURN count(*) AS n""", perTransaction);

        List<GcpAnalysis.Step> impersonate = new ArrayList<>();
        List<GcpAnalysis.Step> escalate = new ArrayList<>();
        for (GcpAnalysis.Step step : result.directSteps()) {
            if (!step.source().equals(step.target())) {
                (step.kind().equals("CAN_IMPERSONATE") ? impersonate : escalate).add(step);
            }
        }
        String step = """
                UNWIND $rows AS row
                MATCH (a:Principal {id: row.source})
                MATCH (b:Principal {id: row.target})
                CREATE (a)-[e:%s]->(b)
                SET e.technique = row.technique, e.conditional = row.conditional, e.evidence = row.evidence""";
        Batches.unwindInTransactions(store, "GCP CAN_IMPERSONATE", step.formatted("CAN_IMPERSONATE"), impersonate,
                GcpDerivedEdgeWriter::stepRow, perTransaction);
        Batches.unwindInTransactions(store, "GCP CAN_ESCALATE", step.formatted("CAN_ESCALATE"), escalate,
                GcpDerivedEdgeWriter::stepRow, perTransaction);
        List<GcpAnalysis.ScopeStep> scopeImpersonate = new ArrayList<>();
        List<GcpAnalysis.ScopeStep> scopeEscalate = new ArrayList<>();
        result.scopeSteps().forEach(scoped -> (scoped.kind().equals("CAN_IMPERSONATE") ? scopeImpersonate : scopeEscalate)
                .add(scoped));
        String scopeStep = """
                UNWIND $rows AS row
                MATCH (a:Principal {id: row.source})
                MATCH (c:GcpResource {id: row.scope})
                CREATE (a)-[e:%s]->(c)
                SET e.scopeWide = true, e.exceptScopes = row.exceptScopes, e.technique = row.technique,
                    e.conditional = row.conditional, e.evidence = row.evidence""";
        Batches.unwindInTransactions(store, "GCP scope-wide CAN_IMPERSONATE", scopeStep.formatted("CAN_IMPERSONATE"),
                scopeImpersonate, GcpDerivedEdgeWriter::scopeStepRow, perTransaction);
        Batches.unwindInTransactions(store, "GCP scope-wide CAN_ESCALATE", scopeStep.formatted("CAN_ESCALATE"),
                scopeEscalate, GcpDerivedEdgeWriter::scopeStepRow, perTransaction);
        Batches.unwindInTransactions(store, "GCP CAN_ACCESS", """
                UNWIND $rows AS row
                MATCH (p:Principal {id: row.principal})
                MATCH (r:GcpResource {id: row.resource})
                CREATE (p)-[e:CAN_ACCESS]->(r)
                SET e.accessLevels = row.levels, e.actionCount = row.count, e.conditional = row.conditional,
                    e.evidence = row.evidence""", result.access(), GcpDerivedEdgeWriter::accessRow, perTransaction);

        List<Membership> memberships = new ArrayList<>();
        result.memberSets().forEach((member, holders) -> holders.forEach((holder, evidence) ->
                memberships.add(new Membership(holder, member, evidence))));
        Batches.unwindInTransactions(store, "GCP INCLUDED_IN", """
                UNWIND $rows AS row
                MATCH (h:Principal {id: row.holder})
                MATCH (m:Principal {id: row.member})
                WHERE m:GcpMember
                CREATE (h)-[e:INCLUDED_IN]->(m)
                SET e.evidence = row.evidence""", memberships,
                membership -> Map.of("holder", membership.holder(), "member", membership.member(),
                        "evidence", json(membership.evidence())), perTransaction);

        List<Map<String, Object>> admins = adminRows(result.admins());
        List<Map<String, Object>> accounts = accountRows(inventory);
        Batches.unwindInTransactions(store, "GCP administrator marks", """
                UNWIND $rows AS row
                MATCH (p:Principal {id: row.principal})
                SET p.adminEquivalent = row.reaches, p.adminTechniques = row.techniques, p.adminScopes = row.scopes,
                    p.adminEvidence = row.evidence""", admins, row -> row, perTransaction);
        Batches.unwindInTransactions(store, "GCP service account marks", """
                UNWIND $rows AS row
                MATCH (a:Principal {id: row.id})
                WHERE a:GcpServiceAccount
                SET a.ancestors = coalesce(row.ancestors, a.ancestors), a.userManagedKeys = row.userManagedKeys,
                    a.defaultAccountWithEditor = row.defaultWithEditor""", accounts, row -> row, perTransaction);

        Counts counts = new Counts(impersonate.size() + scopeImpersonate.size(), escalate.size() + scopeEscalate.size(),
                result.access().size(), admins.size());
        log.info("Stage GCP edges: {} CAN_IMPERSONATE ({} scope-wide), {} CAN_ESCALATE ({} scope-wide), {} CAN_ACCESS,"
                        + " {} INCLUDED_IN and {} administrators stored in {} ms", counts.impersonate(),
                scopeImpersonate.size(), counts.escalate(), scopeEscalate.size(), counts.access(), memberships.size(),
                counts.admins(), (System.nanoTime() - started) / 1_000_000);
        return counts;
    }

    /** A holder of a basic role included in the convenience member of its project, such as projectEditor:P. */
    private record Membership(String holder, String member, List<Evidence> evidence) {
    }

    private static Map<String, Object> stepRow(GcpAnalysis.Step step) {
        Map<String, Object> row = new HashMap<>();
        row.put("source", step.source());
        row.put("target", step.target());
        row.put("technique", step.technique());
        row.put("conditional", step.conditional());
        row.put("evidence", json(step.evidence()));
        return row;
    }

    private static Map<String, Object> scopeStepRow(GcpAnalysis.ScopeStep step) {
        Map<String, Object> row = new HashMap<>();
        row.put("source", step.source());
        row.put("scope", step.scope());
        row.put("exceptScopes", step.exceptScopes());
        row.put("technique", step.technique());
        row.put("conditional", step.conditional());
        row.put("evidence", json(step.evidence()));
        return row;
    }

    private static Map<String, Object> accessRow(GcpAnalysis.Access edge) {
        Map<String, Object> row = new HashMap<>();
        row.put("principal", edge.principal());
        row.put("resource", edge.resource());
        row.put("levels", edge.accessLevels());
        row.put("count", edge.permissionCount());
        row.put("conditional", edge.conditional());
        row.put("evidence", json(edge.evidence()));
        return row;
    }

    /** Returns one row per administrator: YES when any scope is unconditional, the scopes and the evidence of each. */
    private static List<Map<String, Object>> adminRows(List<AdminGrant> grants) {
        Map<String, List<AdminGrant>> byPrincipal = new LinkedHashMap<>();
        grants.forEach(grant -> byPrincipal.computeIfAbsent(grant.principal(), p -> new ArrayList<>()).add(grant));
        List<Map<String, Object>> rows = new ArrayList<>();
        byPrincipal.forEach((principal, list) -> {
            boolean unconditional = list.stream().anyMatch(grant -> !grant.conditional());
            Set<String> scopes = new LinkedHashSet<>();
            Set<String> techniques = new LinkedHashSet<>();
            List<Evidence> evidence = new ArrayList<>();
            for (AdminGrant grant : list) {
                scopes.add(grant.scope());
                techniques.add(grant.via());
                evidence.addAll(grant.evidence());
            }
            Map<String, Object> row = new HashMap<>();
            row.put("principal", principal);
            row.put("reaches", unconditional ? "YES" : "CONDITIONAL");
            row.put("scopes", List.copyOf(scopes));
            row.put("techniques", List.copyOf(techniques));
            row.put("evidence", json(evidence));
            rows.add(row);
        });
        return rows;
    }

    /**
     * Returns, per service account, its ancestors from its project up, so that path answers can tell which
     * administrators control it, and the marks that findings use: user-managed keys, and whether it is a default
     * account with Editor. Default accounts that only bindings name get the marks too.
     */
    private static List<Map<String, Object>> accountRows(GcpInventory inventory) {
        Map<String, String> parents = new HashMap<>();
        for (Resource resource : inventory.resources()) {
            if (resource.parent() != null) {
                parents.put(resource.name(), resource.parent());
            }
        }
        Map<String, GcpAnalysis.UserManagedKeys> keys = GcpAnalysis.userManagedKeyCounts(inventory);
        Map<String, GcpAnalysis.DefaultAccountWithEditor> defaults = new HashMap<>();
        GcpAnalysis.defaultAccountsWithEditor(inventory).forEach(account -> defaults.put(account.email(), account));

        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        for (ServiceAccount account : inventory.serviceAccounts()) {
            List<String> ancestors = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (String at = parents.get(account.resourceName()); at != null && seen.add(at); at = parents.get(at)) {
                ancestors.add(at);
            }
            row(rows, account.email(), keys, defaults).put("ancestors", ancestors);
        }
        defaults.keySet().forEach(email -> row(rows, email, keys, defaults));
        return new ArrayList<>(rows.values());
    }

    private static Map<String, Object> row(Map<String, Map<String, Object>> rows, String email,
                                           Map<String, GcpAnalysis.UserManagedKeys> keys,
                                           Map<String, GcpAnalysis.DefaultAccountWithEditor> defaults) {
        return rows.computeIfAbsent(email, e -> {
            Map<String, Object> row = new HashMap<>();
            GcpAnalysis.UserManagedKeys count = keys.get(e);
            GcpAnalysis.DefaultAccountWithEditor editor = defaults.get(e);
            row.put("id", "serviceAccount:" + e);
            row.put("ancestors", null);
            row.put("userManagedKeys", count == null ? 0 : count.enabled());
            row.put("defaultWithEditor", editor == null ? null : editor.conditional() ? "CONDITIONAL" : "YES");
            return row;
        });
    }

    private static String json(Object value) {
        try {
            return PolicyDocuments.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new NhigraphException("Failed to serialise GCP evidence: " + e.getMessage(), e);
        }
    }
}
