package dev.nhigraph.analysis;

import dev.nhigraph.db.GraphStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Values;

/**
 * The digest of the graph after one load, kept beside its Snapshot so that two snapshots can be compared after
 * later loads have changed the graph. It lists the principals, credentials with their status, trust, the policies
 * attached to principals and their groups and boundaries, policy documents (as hashes), the derived steps, the administrators, and the principals that can reach one.
 *
 * <p>Each part is a sorted list of strings on one {@code SnapshotDigest} node, linked from its Snapshot by
 * {@code HAS_DIGEST}. A load of the same files replaces its digest. The graph keeps the digests of the last
 * {@value #DEFAULT_KEEP} snapshots and deletes older ones with their Snapshot nodes.
 *
 * <p>NOTE: CAN_ACCESS edges to resources are not kept, because they are the bulk of a large graph; a change of
 * access shows as a change of the policy documents and the steps that grant it.
 */
public final class SnapshotDigest {

    public static final int DEFAULT_KEEP = 30;

    /** The parts of a digest, in the order a diff lists them. */
    public static final List<String> PARTS = List.of("principals", "credentials", "trust", "attachments", "policies", "canAssume",
            "canEscalate", "canImpersonate", "administrators", "reachesAdministrator");

    /**
     * The words that text output uses for each part, where a person reads them. The JSON of a diff keeps the part
     * names of {@link #PARTS} as keys.
     */
    public static final Map<String, String> PART_LABELS = labels(
            "principals", "principals",
            "credentials", "credentials",
            "trust", "trust relationships",
            "attachments", "policy attachments, boundaries and group memberships",
            "policies", "policy documents",
            "canAssume", "CAN_ASSUME edges",
            "canEscalate", "CAN_ESCALATE edges",
            "canImpersonate", "CAN_IMPERSONATE edges",
            "administrators", "administrators",
            "reachesAdministrator", "principals that can reach an administrator");

    private SnapshotDigest() {
    }

    /**
     * Stores {@code parts} as the digest of {@code snapshotId}, replacing an older one, in the transaction that
     * records the Snapshot: a load stopped at any point then leaves either both or neither.
     */
    static void write(TransactionContext tx, String snapshotId, Map<String, List<String>> parts) {
        tx.run("""
                MATCH (s:Snapshot {id: $id})
                OPTIONAL MATCH (s)-[:HAS_DIGEST]->(old:SnapshotDigest)
                DETACH DELETE old
                WITH DISTINCT s
                CREATE (s)-[:HAS_DIGEST]->(d:SnapshotDigest {snapshot: $id, recordedAt: $now})
                SET d += $parts""",
                Values.parameters("id", snapshotId, "now", Instant.now().toString(), "parts", parts)).consume();
    }

    /** Returns the label of a part of {@link #PARTS}, or the part name itself for a part without a label. */
    public static String label(String part) {
        return PART_LABELS.getOrDefault(part, part);
    }

    private static Map<String, String> labels(String... partsAndLabels) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < partsAndLabels.length; i += 2) {
            labels.put(partsAndLabels[i], partsAndLabels[i + 1]);
        }
        return Collections.unmodifiableMap(labels);
    }

    /** Deletes the Snapshot nodes and digests beyond the latest {@code keep}, and returns how many went. */
    static int prune(GraphStore store, int keep) {
        return store.write(tx -> tx.run("""
                MATCH (s:Snapshot)
                WITH s ORDER BY s.loadedAt DESC
                SKIP $keep
                OPTIONAL MATCH (s)-[:HAS_DIGEST]->(d:SnapshotDigest)
                DETACH DELETE d, s
                RETURN count(*) AS deleted""", Values.parameters("keep", keep)).single().get("deleted").asInt());
    }

    /** Returns the number of items of a digest, for the log. */
    static int size(Map<String, List<String>> parts) {
        return parts.values().stream().mapToInt(List::size).sum();
    }

    /** Returns the parts of the digest of the graph as it is now. */
    static Map<String, List<String>> read(GraphStore store) {
        Map<String, List<String>> parts = new LinkedHashMap<>();
        parts.put("principals", strings(store, """
                MATCH (p:Principal) WHERE NOT coalesce(p.external, false) AND NOT coalesce(p.missing, false)
                RETURN p.id AS item"""));
        parts.put("credentials", strings(store, """
                MATCH (p:Principal)-[:HAS_KEY]->(k:Credential)
                RETURN k.id + ' of ' + p.id + ' ' + coalesce(k.status, CASE WHEN k.disabled THEN 'disabled' ELSE 'enabled' END) AS item"""));
        parts.put("trust", strings(store, """
                MATCH (role)-[:TRUSTS]->(trusted)
                RETURN role.id + ' trusts ' + trusted.id AS item"""));
        parts.put("attachments", strings(store, """
                MATCH (p:Principal)-[r:HAS_POLICY|HAS_BOUNDARY|MEMBER_OF]->(x)
                WHERE NOT coalesce(p.external, false)
                RETURN p.id + ' ' + type(r) + ' ' + x.id AS item"""));
        parts.put("policies", policyHashes(store));
        parts.put("canAssume", strings(store, """
                MATCH (a)-[e:CAN_ASSUME]->(b)
                RETURN a.id + ' -> ' + b.id + CASE WHEN e.conditional THEN ' (conditional)' ELSE '' END
                       + CASE WHEN size(coalesce(e.except, [])) > 0 THEN ' except ' + size(e.except) ELSE '' END AS item"""));
        parts.put("canEscalate", strings(store, """
                MATCH (a)-[e:CAN_ESCALATE]->(b)
                RETURN a.id + ' -[' + coalesce(e.technique, '?') + ']-> ' + b.id AS item"""));
        parts.put("canImpersonate", strings(store, """
                MATCH (a)-[e:CAN_IMPERSONATE]->(b)
                RETURN a.id + ' -> ' + b.id AS item"""));
        parts.put("administrators", strings(store, """
                MATCH (p:Principal) WHERE p.adminEquivalent IS NOT NULL
                RETURN p.id AS item"""));
        parts.put("reachesAdministrator", reachesAdministrator(store, new HashSet<>(parts.get("administrators"))));
        return parts;
    }

    /** Returns each policy as "id sha256-prefix", so that a changed document shows as a changed line. */
    private static List<String> policyHashes(GraphStore store) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-256, which every Java platform must provide.", e);
        }
        List<String> items = new ArrayList<>();
        List<org.neo4j.driver.Record> records = store.read(tx -> tx.run("""
                MATCH (p:AwsPolicy) WHERE p.document IS NOT NULL
                RETURN p.id AS id, p.document AS document""").list());
        for (org.neo4j.driver.Record record : records) {
            byte[] hash = sha.digest(record.get("document").asString().getBytes(StandardCharsets.UTF_8));
            items.add(record.get("id").asString() + " " + HexFormat.of().formatHex(hash, 0, 8));
        }
        return new ArrayList<>(new TreeSet<>(items));
    }

    /**
     * Returns the principals with a path of CAN_ASSUME, CAN_ESCALATE and CAN_IMPERSONATE steps to an administrator,
     * administrators excluded. The search runs backwards from the administrators in memory; a step to an
     * AssumeTargetSet reaches each member it INCLUDES but those in the edge's {@code except}.
     */
    private static List<String> reachesAdministrator(GraphStore store, Set<String> administrators) {
        Map<String, List<String>> callers = new HashMap<>();
        store.read(tx -> {
            tx.run("""
                    MATCH (a:Principal)-[:CAN_ASSUME|CAN_ESCALATE|CAN_IMPERSONATE]->(b:Principal)
                    RETURN DISTINCT a.id AS from, b.id AS to""")
                    .forEachRemaining(r -> callers.computeIfAbsent(r.get("to").asString(), k -> new ArrayList<>()).add(r.get("from").asString()));
            return null;
        });
        Map<String, List<String>> setsOfMember = new HashMap<>();
        Map<String, List<SetStep>> setCallers = new HashMap<>();
        store.read(tx -> {
            tx.run("MATCH (s:AssumeTargetSet)-[:INCLUDES]->(m) RETURN s.id AS set, m.id AS member")
                    .forEachRemaining(r -> setsOfMember.computeIfAbsent(r.get("member").asString(), k -> new ArrayList<>()).add(r.get("set").asString()));
            tx.run("MATCH (a:Principal)-[e:CAN_ASSUME]->(s:AssumeTargetSet) RETURN a.id AS from, s.id AS set, coalesce(e.except, []) AS except")
                    .forEachRemaining(r -> setCallers.computeIfAbsent(r.get("set").asString(), k -> new ArrayList<>())
                            .add(new SetStep(r.get("from").asString(), new HashSet<>(r.get("except").asList(v -> v.asString())))));
            return null;
        });

        Set<String> reached = new HashSet<>(administrators);
        Deque<String> queue = new ArrayDeque<>(administrators);
        while (!queue.isEmpty()) {
            String target = queue.poll();
            List<String> from = new ArrayList<>(callers.getOrDefault(target, List.of()));
            for (String set : setsOfMember.getOrDefault(target, List.of())) {
                for (SetStep step : setCallers.getOrDefault(set, List.of())) {
                    if (!step.except().contains(target)) {
                        from.add(step.from());
                    }
                }
            }
            for (String caller : from) {
                if (reached.add(caller)) {
                    queue.add(caller);
                }
            }
        }
        reached.removeAll(administrators);
        return new ArrayList<>(new TreeSet<>(reached));
    }

    private record SetStep(String from, Set<String> except) {
    }

    private static List<String> strings(GraphStore store, String query) {
        // An item built from a node without an id is null, and is left out.
        List<String> items = store.read(tx -> tx.run(query).list(r -> r.get("item").isNull() ? null : r.get("item").asString()));
        return new ArrayList<>(new TreeSet<>(items.stream().filter(item -> item != null).toList()));
    }
}
