package dev.nhigraph.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.nhigraph.NhigraphException;
import dev.nhigraph.aws.IamModel.Group;
import dev.nhigraph.aws.IamModel.InlinePolicy;
import dev.nhigraph.aws.IamModel.InstanceProfile;
import dev.nhigraph.aws.IamModel.ManagedPolicy;
import dev.nhigraph.aws.IamModel.PolicyAttachment;
import dev.nhigraph.aws.IamModel.Role;
import dev.nhigraph.aws.IamModel.User;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.PolicyDocuments;
import dev.nhigraph.policy.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import dev.nhigraph.db.Batches;
import dev.nhigraph.db.Messages;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link AuthorizationDetails} into Neo4j as the raw facts of the graph model.
 *
 * <p>Everything is written in one transaction, so a failure leaves the graph as it was. Writes use UNWIND over
 * batches of {@link dev.nhigraph.db.Batches#SIZE} rows and MERGE on the unique ids of the schema, so loading the same export
 * twice leaves the same graph. Before a principal is written, its outgoing raw relationships are removed, so a
 * newer export of the same account replaces attachments, memberships and trust instead of adding to them.
 *
 * <p>TODO: principals that disappear from a newer export of the same account are not removed yet; a load
 * only adds and updates. Until then, load a changed account into a fresh --data-dir.
 */
public final class AwsGraphLoader {

    /** Node labels that a trust policy can name; the label goes into Cypher text, so only these are allowed. */
    private static final Set<String> TRUSTED_KINDS = Set.of("AwsUser", "AwsRole", "AwsGroup", "AwsAccount",
            "AwsServicePrincipal", "FederatedProvider", "AnyPrincipal", "AwsUniqueId", "AwsPrincipal");
    private static final Logger log = LoggerFactory.getLogger(AwsGraphLoader.class);

    private final AuthorizationDetails details;
    private final String snapshotId;
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, List<String>> deleted = new TreeMap<>();
    private boolean keepMissing;

    public AwsGraphLoader(AuthorizationDetails details, String snapshotId) {
        this.details = details;
        this.snapshotId = snapshotId;
    }

    /** Returns the gaps found while writing, such as attached policies that the export does not contain. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Keeps the stored users, groups and roles that this load's exports do not list, instead of deleting them. It is
     * for exports that contain only part of an account, such as one made with a filter on principal names.
     */
    public AwsGraphLoader keepMissingPrincipals(boolean keep) {
        this.keepMissing = keep;
        return this;
    }

    /** Returns the users, groups and roles that the last {@link #writeAll} deleted, by account. */
    public Map<String, List<String>> deletedPrincipals() {
        return deleted;
    }

    /** Writes every entity of the export in the caller's transaction. */
    public void writeAll(TransactionContext tx) {
        if (!keepMissing) {
            removeDeletedPrincipals(tx);
        }
        removeRawRelationships(tx);
        writeAccounts(tx);
        writePrincipals(tx, "AwsUser", details.users().stream().map(this::userRow).toList());
        writePrincipals(tx, "AwsGroup", details.groups().stream().map(this::groupRow).toList());
        writePrincipals(tx, "AwsRole", details.roles().stream().map(this::roleRow).toList());
        writePolicies(tx);
        writeAttachments(tx);
        writeMemberships(tx);
        writeInstanceProfiles(tx);
        writeTrust(tx);
    }

    /**
     * Deletes the stored users, groups and roles that an account's export no longer lists, with their inline
     * policies and access keys, so that the graph and drift show the account as it is now. Only kinds whose list the
     * export contains are compared (see {@link AuthorizationDetails#completeKinds}). Principals known only from a trust
     * policy (external) or from a reference (missing) were never listed, so they stay.
     */
    private void removeDeletedPrincipals(TransactionContext tx) {
        Map<String, Set<String>> complete = details.completeKinds();
        if (!details.truncatedAccounts().isEmpty()) {
            log.info("Accounts {}: kept every stored principal, because a page of their export has IsTruncated=true"
                    + " and the other pages may be missing", details.truncatedAccounts());
        }
        if (complete.isEmpty()) {
            return;
        }
        Set<String> listed = new HashSet<>();
        details.users().forEach(u -> listed.add(u.arn()));
        details.groups().forEach(g -> listed.add(g.arn()));
        details.roles().forEach(r -> listed.add(r.arn()));

        // One scan of the stored principals of these accounts. The difference is taken here, where it is a hash lookup.
        List<String> deletedIds = new ArrayList<>();
        tx.run("""
                MATCH (p:Principal) WHERE p.account IN $accounts AND p.kind IN ['AwsUser', 'AwsGroup', 'AwsRole']
                  AND NOT coalesce(p.external, false) AND NOT coalesce(p.missing, false)
                RETURN p.id AS id, p.account AS account, p.kind AS kind""",
                Values.parameters("accounts", List.copyOf(complete.keySet())))
                .forEachRemaining(r -> {
                    String id = r.get("id").asString();
                    String account = r.get("account").asString();
                    if (complete.get(account).contains(r.get("kind").asString()) && !listed.contains(id)) {
                        deletedIds.add(id);
                        deleted.computeIfAbsent(account, a -> new ArrayList<>()).add(id);
                    }
                });
        if (deletedIds.isEmpty()) {
            return;
        }

        run(tx, """
                UNWIND $rows AS id
                MATCH (p:Principal {id: id})
                OPTIONAL MATCH (p)-[:HAS_POLICY]->(inline:AwsPolicy {kind: 'inline'})
                OPTIONAL MATCH (p)-[:HAS_KEY]->(key:AwsAccessKey)
                DETACH DELETE inline, key, p""", deletedIds);
        deleted.forEach((account, ids) -> {
            String principals = Messages.count(ids.size(), "user, group or role", "users, groups and roles");
            log.info("Account {}: deleted {} that its new export no longer lists", account, principals);
            warnings.add("Account " + account + " no longer lists " + principals + " of an earlier load, such as " + ids.get(0)
                    + "; they were deleted from the graph. If the export holds only part of the account, load it"
                    + " with --keep-missing.");
        });
    }

    private void removeRawRelationships(TransactionContext tx) {
        List<String> ids = new ArrayList<>();
        details.users().forEach(u -> ids.add(u.arn()));
        details.groups().forEach(g -> ids.add(g.arn()));
        details.roles().forEach(r -> ids.add(r.arn()));
        run(tx, """
                UNWIND $rows AS id
                MATCH (p:Principal {id: id})-[r:MEMBER_OF|HAS_POLICY|HAS_BOUNDARY|TRUSTS|IN]->()
                DELETE r""", ids);
        run(tx, """
                UNWIND $rows AS id
                MATCH (:AwsInstanceProfile)-[r:RUNS_AS]->(:Principal {id: id})
                DELETE r""", ids);
    }

    private void writeAccounts(TransactionContext tx) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String account : details.accounts()) {
            rows.add(Map.of("id", account, "arn", "arn:aws:iam::" + account + ":root"));
        }
        run(tx, """
                UNWIND $rows AS row
                MERGE (a:Principal {id: row.id})
                SET a:AwsAccount, a.kind = 'AwsAccount', a.name = row.id, a.account = row.id, a.arn = row.arn,
                    a.external = false, a.snapshot = $snapshot""", rows);
        log.info("Loaded {} AwsAccount", rows.size());
    }

    private void writePrincipals(TransactionContext tx, String label, List<Map<String, Object>> rows) {
        // The label comes from the fixed set of principal kinds above, never from input. Every MATCH keys on
        // Principal.id, the indexed property: a match by a kind label such as AwsAccount would scan that label.
        run(tx, """
                UNWIND $rows AS row
                MERGE (p:Principal {id: row.id})
                SET p:%s, p += row.props, p.kind = '%s', p.external = false, p.missing = null, p.snapshot = $snapshot
                WITH p, row
                MATCH (a:Principal {id: row.props.account})
                MERGE (p)-[r:IN]->(a)
                SET r.snapshot = $snapshot""".formatted(label, label), rows);
        log.info("Loaded {} {}", rows.size(), label);
    }

    private Map<String, Object> userRow(User user) {
        Map<String, Object> props = principalProps(user.arn(), user.name(), user.id(), user.path(), user.account(), user.createDate());
        props.put("userId", user.id());
        props.put("tags", tagList(user.tags()));
        return Map.of("id", user.arn(), "props", props);
    }

    private Map<String, Object> groupRow(Group group) {
        Map<String, Object> props = principalProps(group.arn(), group.name(), group.id(), group.path(), group.account(), group.createDate());
        return Map.of("id", group.arn(), "props", props);
    }

    private Map<String, Object> roleRow(Role role) {
        Map<String, Object> props = principalProps(role.arn(), role.name(), role.id(), role.path(), role.account(), role.createDate());
        props.put("trustPolicy", role.trustPolicy());
        props.put("tags", tagList(role.tags()));
        props.put("lastUsedDate", role.lastUsedDate());
        props.put("lastUsedRegion", role.lastUsedRegion());
        return Map.of("id", role.arn(), "props", props);
    }

    private static Map<String, Object> principalProps(String arn, String name, String uniqueId, String path,
                                                      String account, String createDate) {
        Map<String, Object> props = new HashMap<>();
        props.put("arn", arn);
        props.put("name", name);
        props.put("uniqueId", uniqueId);
        props.put("path", path);
        props.put("account", account);
        props.put("createDate", createDate);
        return props;
    }

    private static List<String> tagList(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private void writePolicies(TransactionContext tx) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ManagedPolicy policy : details.policies()) {
            Map<String, Object> props = new HashMap<>();
            props.put("arn", policy.arn());
            props.put("name", policy.name());
            props.put("kind", policy.awsManaged() ? "aws-managed" : "managed");
            props.put("account", policy.account());
            props.put("path", policy.path());
            props.put("policyId", policy.id());
            props.put("defaultVersionId", policy.defaultVersionId());
            props.put("versionCount", policy.versionCount());
            props.put("document", policy.document());
            props.put("attachmentCount", policy.attachmentCount());
            props.put("createDate", policy.createDate());
            props.put("updateDate", policy.updateDate());
            rows.add(Map.of("id", policy.arn(), "props", props));
        }
        for (InlinePolicy inline : allInlinePolicies()) {
            Map<String, Object> props = new HashMap<>();
            props.put("name", inline.name());
            props.put("kind", "inline");
            props.put("owner", inline.ownerArn());
            props.put("account", AuthorizationDetailsParser.account(inline.ownerArn()));
            props.put("document", inline.document());
            rows.add(Map.of("id", inline.id(), "props", props));
        }
        run(tx, """
                UNWIND $rows AS row
                MERGE (p:AwsPolicy {id: row.id})
                SET p += row.props, p.missing = null, p.snapshot = $snapshot""", rows);
        log.info("Loaded {} AwsPolicy ({} managed, {} inline)", rows.size(), details.policies().size(), rows.size() - details.policies().size());
    }

    private List<InlinePolicy> allInlinePolicies() {
        List<InlinePolicy> inline = new ArrayList<>();
        details.users().forEach(u -> inline.addAll(u.inlinePolicies()));
        details.groups().forEach(g -> inline.addAll(g.inlinePolicies()));
        details.roles().forEach(r -> inline.addAll(r.inlinePolicies()));
        return inline;
    }

    private void writeAttachments(TransactionContext tx) {
        Set<String> exported = new java.util.HashSet<>();
        details.policies().forEach(p -> exported.add(p.arn()));
        List<Map<String, Object>> attached = new ArrayList<>();
        List<Map<String, Object>> boundaries = new ArrayList<>();
        for (User user : details.users()) {
            addAttachments(attached, boundaries, exported, user.arn(), user.attachedPolicies(), user.inlinePolicies(), user.permissionsBoundaryArn());
        }
        for (Group group : details.groups()) {
            addAttachments(attached, boundaries, exported, group.arn(), group.attachedPolicies(), group.inlinePolicies(), null);
        }
        for (Role role : details.roles()) {
            addAttachments(attached, boundaries, exported, role.arn(), role.attachedPolicies(), role.inlinePolicies(), role.permissionsBoundaryArn());
        }
        String attach = """
                UNWIND $rows AS row
                MATCH (p:Principal {id: row.principal})
                MERGE (pol:AwsPolicy {id: row.policy})
                ON CREATE SET pol.arn = row.policy, pol.name = row.name, pol.kind = row.kind, pol.missing = true,
                              pol.snapshot = $snapshot
                MERGE (p)-[r:%s]->(pol)
                SET r.snapshot = $snapshot""";
        run(tx, attach.formatted("HAS_POLICY"), attached);
        run(tx, attach.formatted("HAS_BOUNDARY"), boundaries);
        log.info("Loaded {} HAS_POLICY and {} HAS_BOUNDARY", attached.size(), boundaries.size());
    }

    private void addAttachments(List<Map<String, Object>> attached, List<Map<String, Object>> boundaries, Set<String> exported,
                                String principal, List<PolicyAttachment> managed, List<InlinePolicy> inline, String boundary) {
        for (PolicyAttachment attachment : managed) {
            if (!exported.contains(attachment.arn())) {
                warnings.add("Policy " + attachment.arn() + " attached to " + principal
                        + " is not in the export, so its grants are unknown; export with the default filter to include it");
            }
            attached.add(attachmentRow(principal, attachment.arn(), attachment.name()));
        }
        for (InlinePolicy policy : inline) {
            attached.add(attachmentRow(principal, policy.id(), policy.name()));
        }
        if (boundary != null) {
            if (!exported.contains(boundary)) {
                warnings.add("Permissions boundary " + boundary + " of " + principal
                        + " is not in the export, so the boundary cannot be applied");
            }
            boundaries.add(attachmentRow(principal, boundary, boundary.substring(boundary.lastIndexOf('/') + 1)));
        }
    }

    private static Map<String, Object> attachmentRow(String principal, String policy, String name) {
        Map<String, Object> row = new HashMap<>();
        row.put("principal", principal);
        row.put("policy", policy);
        row.put("name", name);
        row.put("kind", policy.contains(":iam::aws:policy/") ? "aws-managed" : policy.contains("#inline/") ? "inline" : "managed");
        return row;
    }

    private void writeMemberships(TransactionContext tx) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (User user : details.users()) {
            for (String groupName : user.groupNames()) {
                String groupArn = details.groupArn(user.account(), AuthorizationDetailsParser.partition(user.arn()), groupName);
                rows.add(Map.of("user", user.arn(), "group", groupArn, "name", groupName, "account", user.account()));
            }
        }
        run(tx, """
                UNWIND $rows AS row
                MATCH (u:Principal {id: row.user})
                MERGE (g:Principal {id: row.group})
                ON CREATE SET g:AwsGroup, g.kind = 'AwsGroup', g.name = row.name, g.account = row.account,
                              g.arn = row.group, g.missing = true, g.snapshot = $snapshot
                MERGE (u)-[r:MEMBER_OF]->(g)
                SET r.snapshot = $snapshot""", rows);
        log.info("Loaded {} MEMBER_OF", rows.size());
    }

    private void writeInstanceProfiles(TransactionContext tx) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Role role : details.roles()) {
            for (InstanceProfile profile : role.instanceProfiles()) {
                Map<String, Object> row = new HashMap<>();
                row.put("id", profile.arn());
                row.put("name", profile.name());
                row.put("path", profile.path());
                row.put("role", role.arn());
                rows.add(row);
            }
        }
        run(tx, """
                UNWIND $rows AS row
                MERGE (ip:AwsInstanceProfile {id: row.id})
                SET ip.arn = row.id, ip.name = row.name, ip.path = row.path, ip.snapshot = $snapshot
                WITH ip, row
                MATCH (r:Principal {id: row.role})
                MERGE (ip)-[e:RUNS_AS]->(r)
                SET e.snapshot = $snapshot""", rows);
        log.info("Loaded {} AwsInstanceProfile", rows.size());
    }

    /**
     * Writes one TRUSTS relationship per role and principal named in its trust policy, with the statements as evidence,
     * and one per provider subject that the conditions of an OIDC or SAML statement admit ({@link FederatedSubjects}).
     */
    private void writeTrust(TransactionContext tx) {
        Map<String, String> rolesByKey = new HashMap<>();
        details.roles().forEach(r -> rolesByKey.put(r.account() + "/" + r.name(), r.arn()));

        Map<String, List<Map<String, Object>>> rowsByKind = new TreeMap<>();
        List<Map<String, Object>> subjectRows = new ArrayList<>();
        for (Role role : details.roles()) {
            if (role.trustPolicy() == null) {
                continue;
            }
            Policy trust = Policy.parse(role.arn() + "#trust", "trust policy of " + role.name(), "trust", role.trustPolicy());
            Map<TrustedPrincipal, List<Evidence>> named = new LinkedHashMap<>();
            // By subject id: two statements can admit the same subject with different audiences.
            Map<String, FederatedSubject> subjects = new LinkedHashMap<>();
            Map<String, List<Evidence>> subjectEvidence = new HashMap<>();
            for (Statement statement : trust.statements()) {
                for (Map.Entry<String, List<String>> entry : statement.principals().entrySet()) {
                    for (String value : entry.getValue()) {
                        TrustedPrincipal principal = TrustedPrincipal.of(entry.getKey(), value, rolesByKey);
                        if (principal != null) {
                            named.computeIfAbsent(principal, p -> new ArrayList<>())
                                    .add(Evidence.of(trust, null, statement, List.of(entry.getKey() + ": " + value),
                                            statement.notPrincipal() ? "NotPrincipal: every principal except this one" : null));
                        }
                        if (entry.getKey().equals("Federated") && !value.equals("*")) {
                            for (FederatedSubject subject : FederatedSubjects.admittedBy(value, statement)) {
                                subjects.putIfAbsent(subject.id(), subject);
                                subjectEvidence.computeIfAbsent(subject.id(), id -> new ArrayList<>())
                                        .add(Evidence.of(trust, null, statement, List.of(entry.getKey() + ": " + value),
                                                "the conditions admit " + subject.description()));
                            }
                        }
                    }
                }
            }
            subjects.forEach((id, subject) -> subjectRows.add(subjectRow(role, subject, subjectEvidence.get(id))));
            for (Map.Entry<TrustedPrincipal, List<Evidence>> entry : named.entrySet()) {
                TrustedPrincipal principal = entry.getKey();
                Map<String, Object> row = new HashMap<>();
                row.put("role", role.arn());
                row.put("id", principal.id());
                row.put("name", principal.name());
                row.put("account", principal.account());
                row.put("evidence", toJson(entry.getValue()));
                rowsByKind.computeIfAbsent(principal.kind(), k -> new ArrayList<>()).add(row);
            }
        }
        for (Map.Entry<String, List<Map<String, Object>>> entry : rowsByKind.entrySet()) {
            String kind = entry.getKey();
            if (!TRUSTED_KINDS.contains(kind)) {
                throw new IllegalStateException("unexpected principal kind " + kind);
            }
            run(tx, """
                    UNWIND $rows AS row
                    MATCH (role:Principal {id: row.role})
                    MERGE (p:Principal {id: row.id})
                    ON CREATE SET p:%s, p.kind = '%s', p.name = row.name, p.account = row.account, p.external = true,
                                  p.snapshot = $snapshot
                    MERGE (role)-[t:TRUSTS]->(p)
                    SET t.evidence = row.evidence, t.snapshot = $snapshot""".formatted(kind, kind), entry.getValue());
        }
        log.info("Loaded {} TRUSTS", rowsByKind.values().stream().mapToInt(List::size).sum());
        writeFederatedSubjects(tx, subjectRows);
    }

    private static Map<String, Object> subjectRow(Role role, FederatedSubject subject, List<Evidence> evidence) {
        Map<String, Object> row = new HashMap<>();
        row.put("role", role.arn());
        row.put("id", subject.id());
        row.put("provider", subject.provider());
        row.put("props", subject.properties());
        row.put("evidence", toJson(evidence));
        return row;
    }

    /**
     * Writes the subjects of OIDC and SAML providers that trust policies admit, each with TRUSTS from the role and
     * ISSUED_BY to its provider. The provider nodes exist already, since the provider is a principal of the statement.
     */
    private void writeFederatedSubjects(TransactionContext tx, List<Map<String, Object>> rows) {
        run(tx, """
                UNWIND $rows AS row
                MATCH (role:Principal {id: row.role})
                MATCH (provider:Principal {id: row.provider})
                MERGE (s:Principal {id: row.id})
                SET s:FederatedSubject, s += row.props, s.kind = 'FederatedSubject', s.external = true,
                    s.snapshot = $snapshot
                MERGE (role)-[t:TRUSTS]->(s)
                SET t.evidence = row.evidence, t.snapshot = $snapshot
                MERGE (s)-[i:ISSUED_BY]->(provider)
                SET i.snapshot = $snapshot""", rows);
        log.info("Loaded {} TRUSTS to FederatedSubject", rows.size());
    }

    static String toJson(Object value) {
        try {
            return PolicyDocuments.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new NhigraphException("Failed to serialise evidence: " + e.getMessage(), e);
        }
    }

    private void run(TransactionContext tx, String cypher, List<?> rows) {
        Batches.unwind(tx, cypher, rows, Map.of("snapshot", snapshotId));
    }
}
