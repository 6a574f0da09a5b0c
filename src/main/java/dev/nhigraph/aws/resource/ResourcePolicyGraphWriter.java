package dev.nhigraph.aws.resource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.nhigraph.db.Batches;
import org.neo4j.driver.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes resource-based policies into Neo4j as {@code (:AwsResource)-[:HAS_POLICY]->(:AwsPolicy {kind: 'resource'})}.
 *
 * <p>The graph model is described in {@code cypher/schema/organizations.cypher}. Writes use UNWIND over
 * batches and MERGE on the resource ARN and the policy id, so writing the same policies twice leaves the
 * same graph. A resource keeps one policy: a newer export replaces the document on the same AwsPolicy node.
 */
public final class ResourcePolicyGraphWriter {

    private static final Logger log = LoggerFactory.getLogger(ResourcePolicyGraphWriter.class);

    private final List<ResourcePolicy> policies;
    private final String snapshotId;

    public ResourcePolicyGraphWriter(List<ResourcePolicy> policies, String snapshotId) {
        this.policies = policies;
        this.snapshotId = snapshotId;
    }

    /** Writes every resource, its policy and its account in the caller's transaction. */
    public void writeAll(TransactionContext tx) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ResourcePolicy policy : policies) {
            Map<String, Object> row = new HashMap<>();
            row.put("id", policy.resourceArn());
            row.put("service", policy.service());
            row.put("account", policy.account());
            row.put("region", policy.region());
            row.put("name", policy.name());
            ResourcePolicyParser.Service service = ResourcePolicyParser.Service.ofPrefix(policy.service());
            String kind = service == null ? policy.service() + " policy" : service.policyName();
            row.put("policyName", kind + " of " + policy.name());
            row.put("policy", policy.policyId());
            row.put("document", policy.document());
            rows.add(row);
        }
        run(tx, """
                UNWIND $rows AS row
                MERGE (r:AwsResource {id: row.id})
                SET r.arn = row.id, r.service = row.service, r.account = coalesce(row.account, r.account),
                    r.region = row.region, r.name = row.name, r.snapshot = $snapshot
                MERGE (p:AwsPolicy {id: row.policy})
                SET p.kind = 'resource', p.name = row.policyName, p.resource = row.id,
                    p.service = row.service, p.account = coalesce(row.account, p.account), p.document = row.document,
                    p.missing = null, p.snapshot = $snapshot
                MERGE (r)-[e:HAS_POLICY]->(p)
                SET e.snapshot = $snapshot""", rows);
        run(tx, """
                UNWIND $rows AS row
                WITH row WHERE row.account IS NOT NULL
                MATCH (r:AwsResource {id: row.id})
                MERGE (a:Principal {id: row.account})
                ON CREATE SET a:AwsAccount, a.kind = 'AwsAccount', a.name = row.account, a.account = row.account,
                              a.arn = 'arn:aws:iam::' + row.account + ':root', a.snapshot = $snapshot
                MERGE (r)-[e:IN]->(a)
                SET e.snapshot = $snapshot""", rows);
        log.info("Loaded {} AwsResource with their resource policies", rows.size());
    }

    private void run(TransactionContext tx, String cypher, List<?> rows) {
        Batches.unwind(tx, cypher, rows, Map.of("snapshot", snapshotId));
    }
}
