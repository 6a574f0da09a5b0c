package dev.nhigraph.aws.keys;

import dev.nhigraph.aws.keys.AccessKeyFacts.AccessKey;
import dev.nhigraph.aws.keys.AccessKeyFacts.ReportUser;
import dev.nhigraph.db.Batches;
import dev.nhigraph.db.SecretRedaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link AccessKeyFacts} into Neo4j: credential report facts on AwsUser nodes, the root user's facts on the
 * AwsAccount node (whose arn, arn:aws:iam::ACCOUNT:root, is the root user's ARN), and
 * {@code (:AwsUser|AwsAccount)-[:HAS_KEY]->(:AwsAccessKey:Credential)}.
 *
 * <p>The keys of every user and root user that this bundle has key facts for are replaced, so a newer listing drops a
 * deleted key. Users the graph does not hold are counted in {@link #warnings()}; their keys are stored without
 * HAS_KEY, and a later load of the user's IAM export does not link them, so load both together.
 */
public final class AccessKeyGraphWriter {

    private static final Logger log = LoggerFactory.getLogger(AccessKeyGraphWriter.class);

    private final AccessKeyFacts facts;
    private final String snapshotId;
    private final List<String> warnings = new ArrayList<>();

    public AccessKeyGraphWriter(AccessKeyFacts facts, String snapshotId) {
        this.facts = facts;
        this.snapshotId = snapshotId;
    }

    /** Returns the gaps found while writing, such as keys of users that the graph does not hold. */
    public List<String> warnings() {
        return warnings;
    }

    /** Writes the users' report facts and the keys in the caller's transaction. */
    public void writeAll(TransactionContext tx) {
        if (facts.isEmpty()) {
            return;
        }
        removeReplacedKeys(tx);
        writeUsers(tx);
        writeRootUsers(tx);
        writeKeys(tx);
    }

    /*
     * The owner queries force the index on Principal(name). Planned in the load's own transaction, when the statistics
     * still count no principals, they used the index on account instead, which returns every principal of the account
     * for each row: 51 s of a tier Q load with 4,440 keys.
     */
    private void removeReplacedKeys(TransactionContext tx) {
        Set<Map<String, Object>> owners = new LinkedHashSet<>();
        facts.users().forEach(u -> owners.add(owner(u.account(), u.name())));
        facts.keys().forEach(k -> owners.add(owner(k.account(), k.userName())));
        run(tx, """
                UNWIND $rows AS row
                CALL {
                  WITH row
                  MATCH (a:Principal {id: row.account})-[:HAS_KEY]->(k:AwsAccessKey)
                  WHERE row.user IS NULL
                  RETURN k
                  UNION
                  WITH row
                  MATCH (u:Principal {name: row.user, account: row.account})-[:HAS_KEY]->(k:AwsAccessKey)
                  USING INDEX u:Principal(name)
                  RETURN k
                }
                DETACH DELETE k""", List.copyOf(owners));
    }

    private static Map<String, Object> owner(String account, String user) {
        Map<String, Object> row = new HashMap<>();
        row.put("account", account);
        row.put("user", user);
        return row;
    }

    private void writeUsers(TransactionContext tx) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ReportUser user : facts.users()) {
            if (!user.root()) {
                rows.add(Map.of("id", user.arn(), "props", reportProps(user)));
            }
        }
        long found = count(tx, """
                UNWIND $rows AS row
                MATCH (u:Principal {id: row.id})
                WHERE u:AwsUser
                SET u += row.props
                RETURN count(u) AS n""", rows);
        if (found < rows.size()) {
            warnings.add((rows.size() - found) + " user(s) of the credential report are not in the graph, so their"
                    + " password and MFA facts were not stored; load the account's authorization details with it");
        }
        log.info("Loaded credential report facts of {} AwsUser", found);
    }

    private void writeRootUsers(TransactionContext tx) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ReportUser user : facts.users()) {
            if (user.root()) {
                Map<String, Object> props = new HashMap<>();
                props.put("rootMfaActive", user.mfaActive());
                props.put("rootPasswordLastUsed", user.passwordLastUsed());
                props.put("rootAccessKeys", (int) user.keys().stream().filter(AccessKeyFacts.ReportKey::active).count());
                props.put("credentialReportAt", user.reportGeneratedAt());
                rows.add(Map.of("id", user.account(), "props", props));
            }
        }
        run(tx, """
                UNWIND $rows AS row
                MERGE (a:Principal {id: row.id})
                ON CREATE SET a:AwsAccount, a.kind = 'AwsAccount', a.name = row.id, a.account = row.id,
                              a.arn = 'arn:aws:iam::' + row.id + ':root', a.external = false
                SET a += row.props, a.snapshot = $snapshot""", rows);
        log.info("Loaded root user facts of {} AwsAccount", rows.size());
    }

    private static Map<String, Object> reportProps(ReportUser user) {
        Map<String, Object> props = new HashMap<>();
        props.put("passwordEnabled", user.passwordEnabled());
        props.put("passwordLastUsed", user.passwordLastUsed());
        props.put("passwordLastChanged", user.passwordLastChanged());
        props.put("mfaActive", user.mfaActive());
        props.put("credentialReportAt", user.reportGeneratedAt());
        return props;
    }

    private void writeKeys(TransactionContext tx) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AccessKey key : facts.keys()) {
            Map<String, Object> props = new HashMap<>();
            props.put("status", key.status());
            props.put("createdAt", key.createdAt());
            props.put("lastUsedAt", key.lastUsedAt());
            props.put("lastUsedService", key.lastUsedService());
            props.put("lastUsedRegion", key.lastUsedRegion());
            props.put("usageKnown", key.usageKnown());
            props.put("idKnown", key.idKnown());
            props.put("reportSlot", key.slot());
            props.put("account", key.account());
            props.put("userName", key.userName());
            props.put("root", key.root());
            Map<String, Object> row = new HashMap<>();
            row.put("id", key.id());
            row.put("account", key.account());
            row.put("user", key.userName());
            row.put("props", props);
            rows.add(row);
        }
        run(tx, """
                UNWIND $rows AS row
                MERGE (k:AwsAccessKey {id: row.id})
                SET k:Credential, k += row.props, k.kind = 'AwsAccessKey', k.snapshot = $snapshot""", rows);
        long linked = count(tx, """
                UNWIND $rows AS row
                CALL {
                  WITH row
                  MATCH (a:Principal {id: row.account})
                  WHERE row.user IS NULL AND a:AwsAccount
                  RETURN a AS owner
                  UNION
                  WITH row
                  MATCH (u:Principal {name: row.user})
                  USING INDEX u:Principal(name)
                  WHERE u:AwsUser AND u.account = row.account
                  RETURN u AS owner
                }
                MATCH (k:AwsAccessKey {id: row.id})
                MERGE (owner)-[r:HAS_KEY]->(k)
                SET r.snapshot = $snapshot
                RETURN count(r) AS n""", rows);
        if (linked < rows.size()) {
            warnings.add((rows.size() - linked) + " access key(s) belong to users that are not in the graph, so they"
                    + " are stored without HAS_KEY and no question about them reaches a user; load the account's"
                    + " authorization details with them");
        }
        log.info("Loaded {} AwsAccessKey, {} of them linked by HAS_KEY", rows.size(), linked);
    }

    private void run(TransactionContext tx, String cypher, List<?> rows) {
        Batches.unwind(tx, cypher, rows, Map.of("snapshot", snapshotId));
    }

    /** Runs a write that returns one count per batch, and returns their sum; rows are redacted as {@link Batches} does. */
    private long count(TransactionContext tx, String cypher, List<Map<String, Object>> rows) {
        long total = 0;
        for (int start = 0; start < rows.size(); start += Batches.SIZE) {
            List<Map<String, Object>> batch = rows.subList(start, Math.min(rows.size(), start + Batches.SIZE));
            Object redacted = SecretRedaction.redactDeep(batch);
            total += tx.run(cypher, Values.parameters("rows", redacted, "snapshot", snapshotId)).single().get("n").asLong();
        }
        return total;
    }
}
