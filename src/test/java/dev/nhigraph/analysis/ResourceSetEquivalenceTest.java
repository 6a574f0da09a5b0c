package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.generate.SyntheticOrganization;
import dev.nhigraph.generate.Tier;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * CAN_ACCESS through resource sets gives every answer the per-resource derivation gives: the same principal and
 * resource pairs, access levels, action counts, conditions and evidence. Checked on the derived result expanded in
 * memory, and on what {@link AwsProjection#resourceAccess} reads back from Neo4j after a load, for a generated
 * tier S organisation and for a seeded bundle shaped like tier M: many KMS keys and buckets per account delegating
 * to the account, principals whose grants name key ARNs or test resource tags, and keys that also name roles.
 */
class ResourceSetEquivalenceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ACCOUNTS = List.of("111111111111", "222222222222", "333333333333");
    private static final int ROLES_PER_ACCOUNT = 24;
    private static final int KEYS_PER_ACCOUNT = 40;
    private static final int BUCKETS_PER_ACCOUNT = 12;

    /** One CAN_ACCESS answer as users see it. */
    private record Answer(String principal, String resource, List<String> levels, int actions, boolean conditional,
                          List<Evidence> evidence) implements Comparable<Answer> {

        @Override
        public int compareTo(Answer other) {
            int byPrincipal = principal.compareTo(other.principal);
            return byPrincipal != 0 ? byPrincipal : resource.compareTo(other.resource);
        }
    }

    @Test
    void tierS_expandedSetsEqualPerResource() throws IOException {
        Path out = Files.createTempDirectory("nhigraph-sets-s");
        SyntheticOrganization.Result result = SyntheticOrganization.generate(Tier.S, 7L, out);
        SharedGraph.resetAndLoad(result.bundle());

        assertSameAnswers(AwsProjection.read(SharedGraph.store()));
    }

    @Test
    void mLikeBundle_expandedSetsEqualPerResource() throws IOException {
        Path bundle = writeMLikeBundle(Files.createTempDirectory("nhigraph-sets-m"), 11L);
        SharedGraph.resetAndLoad(bundle);

        AwsProjection projection = AwsProjection.read(SharedGraph.store());
        assertSameAnswers(projection);

        // The fixture has principals whose grants depend on the key, so some pairs must stay per resource.
        ResourceAccessAnalysis.Result derived = ResourceAccessAnalysis.derive(projection, ActionCatalog.loadDefault());
        assertTrue(derived.sets().stream().anyMatch(set -> set.service().equals("kms")), "KMS keys must form a set");
        long perResourceToKeys = derived.edges().stream().filter(edge -> edge.resource().contains(":kms:")).count();
        assertTrue(perResourceToKeys > 0, "grants that name keys or test their tags keep edges to single keys");
    }

    @Test
    void mLikeBundle_setEdgesStandForMany() throws IOException {
        Path bundle = writeMLikeBundle(Files.createTempDirectory("nhigraph-sets-m"), 12L);
        SharedGraph.resetAndLoad(bundle);

        AwsProjection projection = AwsProjection.read(SharedGraph.store());
        ResourceAccessAnalysis.Result derived = ResourceAccessAnalysis.derive(projection, ActionCatalog.loadDefault());
        long stored = SharedGraph.count("MATCH (:Principal)-[e:CAN_ACCESS]->(:AwsResource|AwsResourceSet) RETURN count(e) AS c");
        long sets = SharedGraph.count("MATCH (s:AwsResourceSet) RETURN count(s) AS c");
        int expanded = derived.expanded(projection).size();

        assertEquals(derived.relationships(), stored);
        assertEquals(derived.sets().size(), sets);
        assertEquals(expanded, derived.pairs(), "pairs counted without expanding");
        assertFalse(derived.setEdges().isEmpty(), "the keys that trust their account root must have set edges");
        // Every set has at least MIN_SET_SIZE members, and only the few roles a key names by ARN are left out.
        int fromSets = expanded - derived.edges().size();
        assertTrue(fromSets > 5 * derived.setEdges().size(),
                derived.setEdges().size() + " set edges stand for " + fromSets + " answers");
    }

    @Test
    void mLikeBundle_cypherPatternListsEveryPair() throws IOException {
        Path bundle = writeMLikeBundle(Files.createTempDirectory("nhigraph-sets-m"), 13L);
        SharedGraph.resetAndLoad(bundle);

        AwsProjection projection = AwsProjection.read(SharedGraph.store());
        List<String> expected = ResourceAccessAnalysis.derivePerResource(projection, ActionCatalog.loadDefault()).stream()
                .map(edge -> edge.principal() + " " + edge.resource()).sorted().toList();
        // The pattern that cypher/schema/organizations.cypher and the README give for every resource a principal reaches.
        List<String> matched = SharedGraph.store().read(tx -> tx.run("""
                MATCH (p:Principal)-[e:CAN_ACCESS]->()-[:INCLUDES*0..1]->(r:AwsResource)
                WHERE NOT r.id IN coalesce(e.except, [])
                RETURN p.id + ' ' + r.id AS pair""").list(r -> r.get("pair").asString()))
                .stream().sorted().toList();

        assertEquals(expected.size(), matched.size(), "pairs matched");
        assertEquals(expected, matched);
    }

    private static void assertSameAnswers(AwsProjection projection) {
        ActionCatalog catalog = ActionCatalog.loadDefault();
        List<Answer> perResource = ResourceAccessAnalysis.derivePerResource(projection, catalog).stream()
                .map(e -> new Answer(e.principal(), e.resource(), e.accessLevels(), e.actionCount(), e.conditional(),
                        ResourceAccessAnalysis.stored(e.evidence())))
                .sorted().toList();
        assertFalse(perResource.isEmpty(), "the organisation must have CAN_ACCESS edges to compare");

        List<Answer> expanded = ResourceAccessAnalysis.derive(projection, catalog).expanded(projection).stream()
                .map(e -> new Answer(e.principal(), e.resource(), e.accessLevels(), e.actionCount(), e.conditional(),
                        ResourceAccessAnalysis.stored(e.evidence())))
                .sorted().toList();
        assertEquals(perResource.size(), expanded.size(), "expanded edges");
        assertEquals(perResource, expanded);

        // The graph was loaded with sets; reading it back and expanding must give the same answers.
        List<Answer> read = new ArrayList<>();
        for (String principal : projection.principals().keySet()) {
            for (AwsProjection.ResourceAccess access : projection.resourceAccess(principal)) {
                if (!access.resource().startsWith("//")) {
                    read.add(new Answer(access.principal(), access.resource(), access.accessLevels(), access.actionCount(),
                            access.conditional(), ResourceAccessAnalysis.stored(access.evidence())));
                }
            }
        }
        assertEquals(perResource.size(), read.size(), "edges read back and expanded");
        assertEquals(perResource, read.stream().sorted().toList());
    }

    /**
     * Writes an offline bundle of three accounts, each with roles of varied identity policies, KMS keys whose
     * policies mostly trust the account root and name a few roles, and buckets shared through the account, another
     * account's root or {@code "*"}. Returns the bundle folder.
     */
    static Path writeMLikeBundle(Path dir, long seed) throws IOException {
        Random random = new Random(seed);
        ObjectNode details = JSON.createObjectNode();
        ArrayNode users = details.putArray("UserDetailList");
        details.putArray("GroupDetailList");
        ArrayNode roles = details.putArray("RoleDetailList");
        details.putArray("Policies");
        for (String account : ACCOUNTS) {
            for (int i = 0; i < ROLES_PER_ACCOUNT; i++) {
                roles.add(role(account, i, random));
            }
            users.add(user(account, random));
        }
        Files.createDirectories(dir.resolve("iam"));
        JSON.writeValue(dir.resolve("iam/authorization-details.json").toFile(), details);

        for (String account : ACCOUNTS) {
            String other = ACCOUNTS.get((ACCOUNTS.indexOf(account) + 1) % ACCOUNTS.size());
            Path keys = Files.createDirectories(dir.resolve("resource-policies/kms/" + account + "/us-east-1"));
            for (int k = 0; k < KEYS_PER_ACCOUNT; k++) {
                ObjectNode file = JSON.createObjectNode();
                file.put("Policy", JSON.writeValueAsString(keyPolicy(account, other, random)));
                file.put("PolicyName", "default");
                JSON.writeValue(keys.resolve("k" + k + ".json").toFile(), file);
            }
            Path buckets = Files.createDirectories(dir.resolve("resource-policies/s3/" + account));
            for (int b = 0; b < BUCKETS_PER_ACCOUNT; b++) {
                String bucket = "bucket-" + account + "-" + b;
                ObjectNode file = JSON.createObjectNode();
                file.put("Policy", JSON.writeValueAsString(bucketPolicy(account, other, bucket, random)));
                JSON.writeValue(buckets.resolve(bucket + ".json").toFile(), file);
            }
        }
        return dir;
    }

    private static ObjectNode role(String account, int index, Random random) {
        String name = "role-" + index;
        ObjectNode role = JSON.createObjectNode();
        role.put("Path", "/");
        role.put("RoleName", name);
        role.put("RoleId", "AROA" + account + String.format("%08d", index));
        role.put("Arn", "arn:aws:iam::" + account + ":role/" + name);
        role.put("CreateDate", "2024-01-01T00:00:00Z");
        ObjectNode trust = document();
        trust.withArray("Statement").add(JSON.createObjectNode().put("Effect", "Allow")
                .set("Principal", JSON.createObjectNode().put("Service", "ec2.amazonaws.com")));
        ((ObjectNode) trust.withArray("Statement").get(0)).put("Action", "sts:AssumeRole");
        role.set("AssumeRolePolicyDocument", trust);
        role.putArray("InstanceProfileList");
        ArrayNode inline = role.putArray("RolePolicyList");
        inline.add(JSON.createObjectNode().put("PolicyName", "grants").set("PolicyDocument", identityPolicy(account, random)));
        role.putArray("AttachedManagedPolicies");
        role.putArray("Tags");
        role.putObject("RoleLastUsed");
        return role;
    }

    private static ObjectNode user(String account, Random random) {
        ObjectNode user = JSON.createObjectNode();
        user.put("Path", "/");
        user.put("UserName", "operator");
        user.put("UserId", "AIDA" + account + "00000001");
        user.put("Arn", "arn:aws:iam::" + account + ":user/operator");
        user.put("CreateDate", "2024-01-01T00:00:00Z");
        user.putArray("GroupList");
        user.putArray("AttachedManagedPolicies");
        user.putArray("Tags");
        user.putArray("UserPolicyList").add(JSON.createObjectNode().put("PolicyName", "grants")
                .set("PolicyDocument", identityPolicy(account, random)));
        return user;
    }

    /**
     * Returns an identity policy of one of the kinds that matter here: grants on every resource, grants naming one
     * key or bucket, grants that test a resource tag, a Deny beside a broad grant, or nothing for these services.
     */
    private static ObjectNode identityPolicy(String account, Random random) {
        ObjectNode policy = document();
        ArrayNode statements = policy.withArray("Statement");
        switch (random.nextInt(7)) {
            case 0 -> statements.add(allow(List.of("kms:*"), List.of("*")));
            case 1 -> statements.add(allow(List.of("kms:Decrypt", "kms:Encrypt"),
                    List.of("arn:aws:kms:us-east-1:" + account + ":key/k" + random.nextInt(KEYS_PER_ACCOUNT))));
            case 2 -> {
                ObjectNode tagged = allow(List.of("kms:*"), List.of("*"));
                tagged.putObject("Condition").putObject("StringEquals").put("aws:ResourceTag/team", "payments");
                statements.add(tagged);
            }
            case 3 -> statements.add(allow(List.of("s3:GetObject", "s3:ListBucket"), List.of("*")));
            case 4 -> statements.add(allow(List.of("s3:*"),
                    List.of("arn:aws:s3:::bucket-" + account + "-" + random.nextInt(BUCKETS_PER_ACCOUNT) + "/*")));
            case 5 -> {
                statements.add(allow(List.of("kms:*", "s3:*"), List.of("*")));
                statements.add(JSON.createObjectNode().put("Effect", "Deny").put("Action", "kms:ScheduleKeyDeletion")
                        .put("Resource", "*"));
            }
            default -> statements.add(allow(List.of("iam:ListRoles"), List.of("*")));
        }
        return policy;
    }

    /** Returns a key policy in the shape of the KMS default policy: the root, key administrators and key users. */
    private static ObjectNode keyPolicy(String account, String other, Random random) {
        ObjectNode policy = document();
        ArrayNode statements = policy.withArray("Statement");
        if (random.nextInt(10) < 9) {
            statements.add(allow(List.of("kms:*"), List.of("*")).put("Sid", "Enable IAM User Permissions")
                    .set("Principal", JSON.createObjectNode().put("AWS", "arn:aws:iam::" + account + ":root")));
        }
        statements.add(allow(List.of("kms:Describe*", "kms:Put*", "kms:ScheduleKeyDeletion"), List.of("*"))
                .put("Sid", "Allow access for Key Administrators")
                .set("Principal", JSON.createObjectNode().put("AWS", roleArn(account, random))));
        ObjectNode use = allow(List.of("kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"), List.of("*"))
                .put("Sid", "Allow use of the key");
        use.set("Principal", JSON.createObjectNode().put("AWS", roleArn(account, random)));
        if (random.nextInt(10) < 3) {
            use.putObject("Condition").putObject("StringEquals").put("kms:ViaService", "s3.us-east-1.amazonaws.com");
        }
        statements.add(use);
        if (random.nextInt(10) < 2) {
            statements.add(allow(List.of("kms:Decrypt", "kms:DescribeKey"), List.of("*")).put("Sid", "Allow use from another account")
                    .set("Principal", JSON.createObjectNode().put("AWS", "arn:aws:iam::" + other + ":root")));
        }
        return policy;
    }

    /** Returns a bucket policy that shares the bucket with a role, another account's root or any principal. */
    private static ObjectNode bucketPolicy(String account, String other, String bucket, Random random) {
        ObjectNode policy = document();
        ArrayNode statements = policy.withArray("Statement");
        String arn = "arn:aws:s3:::" + bucket;
        if (random.nextBoolean()) {
            ObjectNode deny = JSON.createObjectNode().put("Sid", "DenyInsecureTransport").put("Effect", "Deny")
                    .put("Principal", "*").put("Action", "s3:*");
            deny.putArray("Resource").add(arn).add(arn + "/*");
            deny.putObject("Condition").putObject("Bool").put("aws:SecureTransport", "false");
            statements.add(deny);
        }
        ObjectNode share = allow(List.of("s3:GetObject", "s3:ListBucket"), List.of(arn, arn + "/*")).put("Sid", "Share");
        switch (random.nextInt(3)) {
            case 0 -> share.set("Principal", JSON.createObjectNode().put("AWS", "arn:aws:iam::" + other + ":root"));
            case 1 -> share.put("Principal", "*");
            default -> share.set("Principal", JSON.createObjectNode().put("AWS", roleArn(account, random)));
        }
        statements.add(share);
        return policy;
    }

    private static String roleArn(String account, Random random) {
        return "arn:aws:iam::" + account + ":role/role-" + random.nextInt(ROLES_PER_ACCOUNT);
    }

    private static ObjectNode document() {
        ObjectNode policy = JSON.createObjectNode();
        policy.put("Version", "2012-10-17");
        policy.putArray("Statement");
        return policy;
    }

    private static ObjectNode allow(List<String> actions, List<String> resources) {
        ObjectNode statement = JSON.createObjectNode();
        statement.put("Effect", "Allow");
        ArrayNode action = statement.putArray("Action");
        actions.forEach(action::add);
        ArrayNode resource = statement.putArray("Resource");
        resources.forEach(resource::add);
        return statement;
    }
}
