package dev.nhigraph.aws.compute;

import dev.nhigraph.db.Batches;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neo4j.driver.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes workloads into Neo4j as {@code AwsWorkload} nodes (also labelled AwsEc2Instance, AwsLambdaFunction or
 * AwsEcsTaskDefinition) with {@code RUNS_AS} to the role their code runs as.
 *
 * <p>{@code RUNS_AS.use} names how: "instance" through the instance profile named in {@code RUNS_AS.instanceProfile},
 * "function", "task" for an ECS task role, or "execution" for an ECS execution role, which the ECS agent uses and the
 * task's code does not. An instance's role is read from its profile's RUNS_AS in the graph, so the IAM export that
 * lists the profile must be loaded with or before it. A role that the graph does not hold is created with
 * {@code missing = true}, like an attached policy that the export lacks. Each workload's RUNS_AS links are replaced.
 */
public final class WorkloadGraphWriter {

    /** The workload labels; the label goes into Cypher text, so only these are allowed. */
    private static final Set<String> LABELS = Set.of("AwsEc2Instance", "AwsLambdaFunction", "AwsEcsTaskDefinition");
    private static final Logger log = LoggerFactory.getLogger(WorkloadGraphWriter.class);

    private final List<Workload> workloads;
    private final String snapshotId;

    public WorkloadGraphWriter(List<Workload> workloads, String snapshotId) {
        this.workloads = workloads;
        this.snapshotId = snapshotId;
    }

    /** Writes every workload and its RUNS_AS links in the caller's transaction. */
    public void writeAll(TransactionContext tx) {
        if (workloads.isEmpty()) {
            return;
        }
        Map<String, List<Map<String, Object>>> rowsByLabel = new HashMap<>();
        List<Map<String, Object>> roleLinks = new ArrayList<>();
        List<Map<String, Object>> profileLinks = new ArrayList<>();
        for (Workload workload : workloads) {
            if (!LABELS.contains(workload.label())) {
                throw new IllegalStateException("unexpected workload label " + workload.label());
            }
            Map<String, Object> props = new HashMap<>();
            props.put("arn", workload.id());
            props.put("name", workload.name());
            props.put("account", workload.account());
            props.put("region", workload.region());
            props.put("state", workload.state());
            props.put("runtime", workload.runtime());
            props.put("instanceProfile", workload.instanceProfile());
            rowsByLabel.computeIfAbsent(workload.label(), l -> new ArrayList<>()).add(Map.of("id", workload.id(), "props", props));
            if (workload.instanceProfile() != null) {
                profileLinks.add(Map.of("id", workload.id(), "profile", workload.instanceProfile()));
            }
            String use = workload.label().equals("AwsLambdaFunction") ? "function" : "task";
            addRoleLink(roleLinks, workload, workload.role(), use);
            addRoleLink(roleLinks, workload, workload.executionRole(), "execution");
        }

        for (Map.Entry<String, List<Map<String, Object>>> entry : rowsByLabel.entrySet()) {
            run(tx, """
                    UNWIND $rows AS row
                    MERGE (w:AwsWorkload {id: row.id})
                    SET w:%s, w += row.props, w.kind = '%s', w.snapshot = $snapshot
                    WITH w
                    OPTIONAL MATCH (w)-[old:RUNS_AS|HAS_PROFILE]->()
                    DELETE old""".formatted(entry.getKey(), entry.getKey()), entry.getValue());
            log.info("Loaded {} {}", entry.getValue().size(), entry.getKey());
        }
        run(tx, """
                UNWIND $rows AS row
                MATCH (w:AwsWorkload {id: row.id})
                MERGE (r:Principal {id: row.role})
                ON CREATE SET r:AwsRole, r.kind = 'AwsRole', r.arn = row.role, r.name = row.name, r.account = row.account,
                              r.external = false, r.missing = true, r.snapshot = $snapshot
                MERGE (w)-[e:RUNS_AS {use: row.use}]->(r)
                SET e.snapshot = $snapshot""", roleLinks);
        run(tx, """
                UNWIND $rows AS row
                MATCH (w:AwsWorkload {id: row.id})
                MERGE (ip:AwsInstanceProfile {id: row.profile})
                ON CREATE SET ip.arn = row.profile, ip.name = split(row.profile, '/')[-1], ip.missing = true,
                              ip.snapshot = $snapshot
                MERGE (w)-[h:HAS_PROFILE]->(ip)
                SET h.snapshot = $snapshot
                WITH w, ip, row
                MATCH (ip)-[:RUNS_AS]->(r:AwsRole)
                MERGE (w)-[e:RUNS_AS {use: 'instance'}]->(r)
                SET e.instanceProfile = row.profile, e.snapshot = $snapshot""", profileLinks);
        log.info("Loaded {} RUNS_AS of functions and task definitions and {} instance profiles of instances",
                roleLinks.size(), profileLinks.size());
    }

    private static void addRoleLink(List<Map<String, Object>> links, Workload workload, String role, String use) {
        if (role == null) {
            return;
        }
        String[] parts = role.split(":", 6);
        Map<String, Object> row = new HashMap<>();
        row.put("id", workload.id());
        row.put("role", role);
        row.put("use", use);
        row.put("name", role.substring(role.lastIndexOf('/') + 1));
        row.put("account", parts.length > 4 ? parts[4] : null);
        links.add(row);
    }

    private void run(TransactionContext tx, String cypher, List<?> rows) {
        Batches.unwind(tx, cypher, rows, Map.of("snapshot", snapshotId));
    }
}
