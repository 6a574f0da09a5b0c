package dev.nhigraph.analysis;

import dev.nhigraph.BadInputException;
import dev.nhigraph.db.GraphStore;
import dev.nhigraph.db.Messages;
import dev.nhigraph.policy.AccessSummarizer;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.policy.eval.ConditionContext;
import dev.nhigraph.policy.eval.EvaluationResult;
import dev.nhigraph.policy.eval.Tri;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.gcp.GcpRoleCatalog;
import dev.nhigraph.gcp.analysis.GcpAuthorization;
import dev.nhigraph.gcp.graph.GcpGraphReader;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.eval.UnresolvedCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.neo4j.driver.Values;

/**
 * The read side shared by the API, the CLI and the reports: principal search, blast radius, paths, health.
 *
 * <p>The projection is read from Neo4j once and kept until a new load changes the latest Snapshot, so repeated
 * blast-radius requests cost only the in-memory search.
 */
public final class GraphService {

    /** How many principals an ambiguous or unknown reference lists. */
    private static final int MAX_SUGGESTIONS = 5;

    /** A principal as the search returns it. */
    public record PrincipalSummary(String id, String kind, String name, String account) {
    }

    private final GraphStore store;
    private final ActionCatalog catalog;
    private final AccessSummarizer summarizer;
    private AwsProjection projection;
    private AwsAuthorization authorization;
    private AccessSummaries summaries;
    private AdminReachability adminReachability;
    private String projectionVersion;
    /** The store's commit count when {@link #projectionVersion} was last checked, or -1 when it keeps none. */
    private long projectionCommits = -1;
    private GcpAuthorization gcpAuthorization;
    /** The GCP facts that {@link #gcpAuthorization} was built from, and the name maps of {@link #canGcp}. */
    private GcpInventory gcpInventory;
    private Map<String, String> gcpAccountsByUniqueId;

    public GraphService(GraphStore store, ActionCatalog catalog) {
        this.store = store;
        this.catalog = catalog;
        this.summarizer = new AccessSummarizer(catalog);
    }

    /**
     * Finds principals whose id or name contains {@code text}, ignoring case; an empty text lists all. For a GCP
     * service account, the account field contains its project.
     */
    public List<PrincipalSummary> searchPrincipals(String text, int limit) {
        return store.read(tx -> tx.run("""
                        MATCH (p:Principal)
                        WHERE p.kind IN ['AwsUser', 'AwsRole', 'AwsGroup', 'AwsServicePrincipal', 'FederatedProvider', 'FederatedSubject',
                                         'GcpServiceAccount', 'GcpMember']
                          AND (toLower(p.id) CONTAINS toLower($text) OR toLower(coalesce(p.name, '')) CONTAINS toLower($text))
                        RETURN p.id AS id, p.kind AS kind, p.name AS name, coalesce(p.account, p.project) AS account
                        ORDER BY coalesce(p.external, false), size(p.name), p.name, p.id
                        LIMIT $limit""", Values.parameters("text", text, "limit", limit))
                .list(r -> new PrincipalSummary(r.get("id").asString(), r.get("kind").asString(null),
                        r.get("name").asString(null), r.get("account").asString(null))));
    }

    /** Computes the blast radius of {@code principalId} over the current graph. */
    public BlastRadius.Result blastRadius(String principalId, int maxDepth) {
        return new BlastRadius(summaries()).compute(principalId, maxDepth);
    }

    /**
     * Resolves a principal given by ARN, unique id (AIDA..., AROA...), exact name or the id of one of its access keys
     * (AKIA...; a root user's key resolves to its AwsAccount), or for GCP by member ({@code serviceAccount:EMAIL}),
     * email, full resource name or the id of one of its service-account keys; returns the id or null.
     */
    public String resolvePrincipal(String reference) {
        // One indexed lookup per kind of name, since the planner may answer one MATCH with OR over four properties by
        // scanning every principal.
        // Rank 0 is an exact id, which wins over a name that another principal happens to share.
        List<org.neo4j.driver.Record> matches = store.read(tx -> tx.run("""
                MATCH (p:Principal {id: $ref}) RETURN p.id AS id, 0 AS rank
                UNION
                MATCH (p:Principal {name: $ref}) RETURN p.id AS id, 1 AS rank
                UNION
                MATCH (p:Principal {uniqueId: $ref}) RETURN p.id AS id, 1 AS rank
                UNION
                MATCH (p:Principal {resourceName: $ref}) RETURN p.id AS id, 1 AS rank
                UNION
                MATCH (p:GcpServiceAccount)-[:HAS_KEY]->(:GcpServiceAccountKey {id: $ref}) RETURN p.id AS id, 1 AS rank
                UNION
                MATCH (p:Principal)-[:HAS_KEY]->(:AwsAccessKey {id: $ref}) RETURN p.id AS id, 1 AS rank""",
                Values.parameters("ref", reference)).list());
        if (matches.stream().anyMatch(r -> r.get("rank").asInt() == 0)) {
            return reference;
        }
        List<String> named = matches.stream().map(r -> r.get("id").asString()).distinct().sorted().toList();
        if (named.size() > 1) {
            String listed = String.join(", ", named.subList(0, Math.min(MAX_SUGGESTIONS, named.size())))
                    + (named.size() > MAX_SUGGESTIONS ? " and " + (named.size() - MAX_SUGGESTIONS) + " more" : "");
            throw new IllegalArgumentException("\"" + reference + "\" names more than one principal (" + listed
                    + "); give the full ARN or GCP member name.");
        }
        return named.isEmpty() ? null : named.get(0);
    }

    /**
     * Returns the id of the principal that {@code reference} names, as {@link #resolvePrincipal} finds it.
     *
     * @param hint what to do when the reference matches no principal and none has a similar name
     * @throws BadInputException when the reference names more than one principal, or none (with similar names)
     */
    public String requirePrincipal(String reference, String hint) {
        String resolved;
        try {
            resolved = resolvePrincipal(reference);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        if (resolved != null) {
            return resolved;
        }
        List<String> similar = suggestPrincipals(reference);
        throw new BadInputException("No principal " + reference + " in the graph. " + (similar.isEmpty() ? hint
                : "Principals with similar names: " + String.join(", ", similar) + "."));
    }

    /**
     * A credential that a question named instead of its principal, for the answer to say so.
     *
     * @param text one sentence, such as "Key AKIA... of user arn:...:user/ci, status Active, last used ..."
     */
    public record CredentialNote(String keyId, String principal, String status, String createdAt, String lastUsedAt,
                                 String lastUsedService, String lastUsedRegion, boolean inactive, String text) {

        /**
         * Returns {@code answer} as a JSON object whose first field, {@code credential}, is this note, for the
         * command line's --json and the API.
         */
        public Map<String, Object> attachTo(Object answer) {
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            fields.put("credential", this);
            fields.putAll(dev.nhigraph.policy.PolicyDocuments.JSON.convertValue(answer,
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }));
            return fields;
        }
    }

    /**
     * Returns what the graph holds about the AWS access key {@code reference}, or null when it is not an access key
     * id in the graph. An inactive key's note states that the answer is what the key would reach if it were
     * activated again.
     */
    public CredentialNote describeCredential(String reference) {
        List<org.neo4j.driver.Record> keys = store.read(tx -> tx.run("""
                MATCH (p:Principal)-[:HAS_KEY]->(k:AwsAccessKey {id: $ref})
                RETURN p.id AS principal, p.kind AS kind, k.status AS status, k.createdAt AS createdAt,
                       k.lastUsedAt AS lastUsedAt, k.lastUsedService AS service, k.lastUsedRegion AS region,
                       k.usageKnown AS usageKnown
                LIMIT 1""", Values.parameters("ref", reference)).list());
        if (keys.isEmpty()) {
            return describeGcpKey(reference);
        }

        org.neo4j.driver.Record key = keys.get(0);
        String principal = key.get("principal").asString();
        String status = key.get("status").asString(null);
        String lastUsed = key.get("lastUsedAt").asString(null);
        String service = key.get("service").asString(null);
        String region = key.get("region").asString(null);
        boolean inactive = status != null && !status.equalsIgnoreCase("Active");

        String owner = "AwsAccount".equals(key.get("kind").asString(null)) ? "the root user of account " + principal
                : "user " + principal;
        String use;
        if (lastUsed != null) {
            use = "last used " + lastUsed + (service == null ? "" : " with " + service) + (region == null ? "" : " in " + region);
        } else if (key.get("usageKnown").asBoolean(false)) {
            use = "never used";
        } else {
            use = "last use unknown (the bundle has no credential report or get-access-key-last-used output for it)";
        }

        String text = "Key " + reference + " of " + owner + ", status " + (status == null ? "unknown" : status) + ", "
                + use + (inactive ? ". The key is inactive: the answer is what it would reach if it were activated again."
                : ". The answer is for " + principal + ".");
        return new CredentialNote(reference, principal, status, key.get("createdAt").asString(null), lastUsed, service,
                region, inactive, text);
    }

    /**
     * Returns the graph's facts about the GCP service account key {@code reference}, or null when the graph has no
     * such key. For a disabled key, the note describes what the key would reach if it were enabled again.
     *
     * <p>NOTE: a key past its validBefore time is described as enabled; the note gives the window for the reader.
     */
    private CredentialNote describeGcpKey(String reference) {
        List<org.neo4j.driver.Record> keys = store.read(tx -> tx.run("""
                MATCH (p:GcpServiceAccount)-[:HAS_KEY]->(k:GcpServiceAccountKey {id: $ref})
                RETURN p.id AS principal, k.keyType AS keyType, coalesce(k.disabled, false) AS disabled,
                       k.validAfter AS validAfter, k.validBefore AS validBefore
                LIMIT 1""", Values.parameters("ref", reference)).list());
        if (keys.isEmpty()) {
            return null;
        }

        org.neo4j.driver.Record key = keys.get(0);
        String principal = key.get("principal").asString();
        boolean disabled = key.get("disabled").asBoolean();
        String validAfter = key.get("validAfter").asString(null);
        String validBefore = key.get("validBefore").asString(null);
        String keyType = key.get("keyType").asString(null);
        String status = disabled ? "Disabled" : "Enabled";
        String text = "Key " + reference + " of " + principal + " (" + (keyType == null ? "type unknown" : keyType)
                + "), " + status.toLowerCase(Locale.ROOT) + ", valid from " + (validAfter == null ? "an unknown time" : validAfter)
                + " to " + (validBefore == null ? "an unknown time" : validBefore) + "; the bundle holds no last use of GCP keys."
                + (disabled ? " The key is disabled: the answer is what it would reach if it were enabled again."
                : " The answer is for " + principal + ".");
        return new CredentialNote(reference, principal, status, validAfter, null, null, null, disabled, text);
    }

    /**
     * Returns up to five principal ids that contain the most of {@code reference}'s words, longer words counting
     * more, for a "did you mean" after a reference matched nothing. Words are split at separators such as - _ / : @ and dots, and words
     * shorter than three letters are ignored.
     */
    public List<String> suggestPrincipals(String reference) {
        List<String> words = Arrays.stream(reference.toLowerCase(Locale.ROOT).split("[-_/:@.\\s]+"))
                .filter(word -> word.length() >= 3).distinct().toList();
        if (words.isEmpty()) {
            return List.of();
        }
        return store.read(tx -> tx.run("""
                MATCH (p:Principal)
                WITH p, reduce(hits = 0, word IN $words | hits + CASE WHEN toLower(p.id) CONTAINS word THEN size(word) ELSE 0 END) AS hits
                WHERE hits > 0
                RETURN p.id AS id ORDER BY hits DESC, size(p.id), p.id LIMIT $limit""",
                Values.parameters("words", words, "limit", MAX_SUGGESTIONS)).list(r -> r.get("id").asString()));
    }

    /** Returns the latest Snapshot's properties, or null when nothing was loaded. */
    public Map<String, Object> latestSnapshot() {
        return store.read(tx -> {
            var records = tx.run("MATCH (s:Snapshot) RETURN properties(s) AS s ORDER BY s.loadedAt DESC LIMIT 1").list();
            return records.isEmpty() ? null : records.get(0).get("s").asMap();
        });
    }

    /** Returns the store, for analyses that read the graph with their own queries. */
    public GraphStore store() {
        return store;
    }

    public String neo4jUri() {
        return store.uri();
    }

    public ActionCatalog catalog() {
        return catalog;
    }

    /** Returns the access summaries of the current projection, kept as long as the projection is. */
    public synchronized AccessSummaries summaries() {
        projection();
        return summaries;
    }

    /**
     * Returns which principals reach an administrator, computed once per projection because every principal's
     * result comes from the same two searches.
     */
    public synchronized AdminReachability adminReachability() {
        projection();
        if (adminReachability == null) {
            adminReachability = AdminReachability.compute(projection, summaries);
        }
        return adminReachability;
    }

    /** Returns the path queries over the current projection; see {@link PathAnswers}. */
    public PathAnswers pathAnswers() {
        AdminReachability admins = adminReachability();
        return new PathAnswers(admins.projection(), admins);
    }

    /**
     * Computes what to revoke so that {@code principalId} reaches no administrator, or not {@code to}; see
     * {@link RevokePlan}.
     *
     * @param leakedKeyId the key id that the question named, or null
     */
    public RevokePlan.Plan revokePlan(String principalId, String to, int maxDepth, String leakedKeyId) {
        return new RevokePlan(adminReachability(), store).compute(principalId, to, maxDepth, leakedKeyId);
    }

    /**
     * Returns the time that {@code request.time} conditions are decided against: when the data was collected, as the
     * credential report's GeneratedTime states it, or else {@code fallback}. A collection time that is not an
     * ISO-8601 instant counts as missing.
     */
    public static Instant snapshotTime(String collectedAt, Instant fallback) {
        if (collectedAt == null) {
            return fallback;
        }
        try {
            return Instant.parse(collectedAt);
        } catch (java.time.format.DateTimeParseException e) {
            return fallback;
        }
    }

    /** Returns the snapshot time of the latest load, as {@link #snapshotTime(String, Instant)} gives it, or now. */
    private Instant latestSnapshotTime() {
        Map<String, Object> snapshot = latestSnapshot();
        if (snapshot == null) {
            return Instant.now();
        }
        Instant loadedAt = snapshotTime((String) snapshot.get("loadedAt"), Instant.now());
        return snapshotTime((String) snapshot.get("collectedAt"), loadedAt);
    }

    /**
     * Decides a GCP permission on a resource from the bindings on it and its ancestors, with {@code request.time}
     * conditions decided against the snapshot time, as the load decided them for the derived edges.
     */
    private EvaluationResult canGcp(String principal, String permission, String resourceName,
                                    Map<String, List<String>> context) {
        Instant requestTime = gcpRequestTime(context);
        GcpAuthorization authorization;
        GcpInventory inventory;
        Map<String, String> accountsByUniqueId;
        synchronized (this) {
            projection();
            if (gcpAuthorization == null) {
                gcpInventory = GcpGraphReader.read(store);
                gcpAccountsByUniqueId = GcpInventory.accountsByUniqueId(gcpInventory.serviceAccounts());
                gcpAuthorization = new GcpAuthorization(gcpInventory, GcpRoleCatalog.loadDefault(), latestSnapshotTime());
            }
            authorization = gcpAuthorization;
            inventory = gcpInventory;
            accountsByUniqueId = gcpAccountsByUniqueId;
        }
        if (requestTime != null) {
            // A request time of the caller's own decides the conditions anew, so this one decision is not cached.
            authorization = new GcpAuthorization(inventory, GcpRoleCatalog.loadDefault(), requestTime);
        }
        // Bundles also name projects by number and service accounts by unique id, so both resolve to canonical names.
        String canonical = GcpNames.canonical(resourceName, inventory.projectNumbers(), accountsByUniqueId);
        GcpAuthorization.Decision decision = authorization.decide(principal, permission, canonical);
        List<Evidence> statements = new ArrayList<>(decision.allowing());
        statements.addAll(decision.denying());
        if (decision.result() == Tri.FALSE && decision.denying().isEmpty()) {
            statements.addAll(decision.notMet());
        }
        statements.addAll(membershipsBehind(authorization, principal, statements));
        List<UnresolvedCondition> conditions = decision.undecidedConditions().stream()
                .map(expression -> new UnresolvedCondition("CEL", expression, List.of())).toList();
        // A time condition is decided for one moment, so the reason names that moment.
        String decidedAt = requestTime == null && statements.stream().anyMatch(statement -> statement.condition() != null)
                ? " Conditions were decided at " + authorization.snapshotTime() + ", the time of the snapshot; give"
                + " --context request.time=INSTANT for another time." : "";
        return switch (decision.result()) {
            case TRUE -> new EvaluationResult(EvaluationResult.Decision.ALLOWED, null,
                    "A binding on the resource or an ancestor grants " + permission + " and no deny rule applies." + decidedAt,
                    statements, List.of());
            case UNKNOWN -> new EvaluationResult(EvaluationResult.Decision.CONDITIONAL, null,
                    "The grant or a deny rule depends on IAM conditions that cannot be decided offline.", statements, conditions);
            case FALSE -> decision.denying().isEmpty()
                    ? new EvaluationResult(EvaluationResult.Decision.DENIED, "implicit",
                            (decision.notMet().isEmpty()
                                    ? "No binding on the resource or its ancestors grants " + permission + " to " + principal + "."
                                    : Messages.count(decision.notMet().size(), "binding", "bindings") + " on the resource or its"
                                    + " ancestors would grant " + permission + " to " + principal + ", but their condition is"
                                    + " false at " + authorization.snapshotTime() + "; the statements list them.")
                                    + gapsOfDenial(authorization, permission, canonical), statements, List.of())
                    : new EvaluationResult(EvaluationResult.Decision.DENIED, "explicit",
                            "A deny rule on the resource or an ancestor denies " + permission + ".", statements, List.of());
        };
    }

    /**
     * Returns the basic-role bindings behind the convenience members (projectEditor:P and the like) that the
     * statements grant to, once each, so that the result shows why the principal is one of them.
     */
    private static List<Evidence> membershipsBehind(GcpAuthorization authorization, String principal,
                                                    List<Evidence> statements) {
        Set<String> members = new LinkedHashSet<>();
        for (Evidence statement : statements) {
            if (statement.principals() != null) {
                members.addAll(statement.principals());
            }
        }
        List<Evidence> memberships = new ArrayList<>();
        for (String member : members) {
            for (Evidence binding : authorization.membershipEvidence(principal, member)) {
                if (!memberships.contains(binding)) {
                    memberships.add(binding);
                }
            }
        }
        return memberships;
    }

    /**
     * Returns the {@code request.time} of a GCP decision's context, or null when it gives none.
     *
     * @throws IllegalArgumentException for another key, which no GCP condition that is decided offline reads, or a
     *                                  time that is not an ISO-8601 instant
     */
    private static Instant gcpRequestTime(Map<String, List<String>> context) {
        Instant time = null;
        for (Map.Entry<String, List<String>> entry : context.entrySet()) {
            if (!entry.getKey().equals("request.time") || entry.getValue().size() != 1) {
                throw new IllegalArgumentException("A GCP decision takes one context value, request.time=INSTANT such as"
                        + " request.time=2026-01-01T00:00:00Z; got " + entry.getKey() + "=" + entry.getValue() + ".");
            }
            try {
                time = Instant.parse(entry.getValue().get(0));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("request.time=" + entry.getValue().get(0) + " is not an ISO-8601 instant;"
                        + " write it as 2026-01-01T00:00:00Z.");
            }
        }
        return time;
    }

    /**
     * Returns what could make an implicit GCP denial wrong: a permission that no role contains, likely misspelled,
     * or a resource the graph does not place under a project, whose inherited bindings were therefore not applied.
     */
    private static String gapsOfDenial(GcpAuthorization authorization, String permission, String resourceName) {
        StringBuilder gaps = new StringBuilder();
        if (!authorization.anyRoleContains(permission)) {
            gaps.append(" No predefined role and no custom role in the graph contains ").append(permission)
                    .append(", so check its spelling.");
        }
        if (!authorization.knowsParentOf(resourceName)) {
            gaps.append(" The graph does not place ").append(resourceName).append(" in a project, so bindings on its")
                    .append(" project, folders and organization were not applied. Load the output of `gcloud asset")
                    .append(" search-all-resources` that lists it.");
        }
        return gaps.toString();
    }

    /** Returns the projection, read again when a load happened since the last read. */
    public synchronized AwsProjection projection() {
        // The embedded database counts its commits, so a request that follows no write skips the snapshot query, which
        // took a third of a blast radius's median time on tier S. The count is read first: a commit after it only
        // makes the next call ask again.
        long commits = store.commitCount();
        if (projection != null && commits >= 0 && commits == projectionCommits) {
            return projection;
        }
        String version = store.read(tx -> tx.run(
                "MATCH (s:Snapshot) RETURN count(s) + ':' + coalesce(max(s.loadedAt), '') AS version").single().get("version").asString());
        if (projection == null || !version.equals(projectionVersion)) {
            UnfinishedLoad.requireNone(store);
            projection = AwsProjection.read(store);
            authorization = new AwsAuthorization(projection);
            summaries = new AccessSummaries(projection, summarizer, authorization);
            adminReachability = null;
            gcpAuthorization = null;
            projectionVersion = version;
        }
        projectionCommits = commits;
        return projection;
    }

    /**
     * Decides whether a principal may perform {@code action} on {@code resourceArn}.
     *
     * @param principal an ARN, unique id or exact name, resolved as {@link #resolvePrincipal} does
     * @param context   condition key values to assume, such as aws:MultiFactorAuthPresent=true; keys given here
     *                  override those derived from the principal
     * @throws java.util.NoSuchElementException when the principal is not loaded
     */
    public EvaluationResult can(String principal, String action, String resourceArn, Map<String, List<String>> context) {
        String resolved = resolvePrincipal(principal);
        if (resolved == null) {
            throw new java.util.NoSuchElementException("No principal " + principal + " in the graph; give its ARN, unique id"
                    + " or name, or for GCP its member name such as serviceAccount:EMAIL.");
        }
        AwsProjection.PrincipalNode node = projection().principal(resolved);
        boolean gcp = node != null && AdminReachability.isGcp(node);
        if (gcp || resourceArn.startsWith("//")) {
            if (!gcp || action.contains(":")) {
                throw new IllegalArgumentException("A GCP decision needs a GCP principal (serviceAccount:EMAIL, user:EMAIL, ...),"
                        + " a permission such as storage.objects.get and a full resource name such as"
                        + " //storage.googleapis.com/BUCKET; got " + resolved + ", " + action + " and " + resourceArn + ".");
            }
            return canGcp(resolved, action, resourceArn, context);
        }
        if (!action.contains(":")) {
            throw new IllegalArgumentException("ACTION \"" + action + "\" is not of the form service:Action, such as"
                    + " s3:GetObject; " + resolved + " is an AWS principal.");
        }
        Map<String, List<String>> lowerKeys = new java.util.HashMap<>();
        context.forEach((key, values) -> lowerKeys.put(key.toLowerCase(java.util.Locale.ROOT), values));
        ConditionContext supplied = key -> lowerKeys.get(key.toLowerCase(java.util.Locale.ROOT));
        projection();
        synchronized (this) {
            return authorization.decide(resolved, action, resourceArn, supplied);
        }
    }
}
