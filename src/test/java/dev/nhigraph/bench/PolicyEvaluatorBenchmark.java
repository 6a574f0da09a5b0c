package dev.nhigraph.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.policy.ActionCatalog.Action;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.eval.AccessRequest;
import dev.nhigraph.policy.eval.CompiledPolicy;
import dev.nhigraph.policy.eval.ConditionContext;
import dev.nhigraph.policy.eval.EvaluationPolicies;
import dev.nhigraph.policy.eval.EvaluationResult;
import dev.nhigraph.policy.eval.EvaluationResult.Decision;
import dev.nhigraph.policy.eval.PolicyEvaluator;
import dev.nhigraph.policy.eval.RequestPrincipal;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of {@link PolicyEvaluator#evaluate} for one role session with 20 attached policies full of
 * wildcards, a permissions boundary, SCPs at three levels and, for S3, STS and KMS requests, a bucket, trust or
 * key policy.
 *
 * <p>The fixture is generated from {@link #SEED}, so every run decides the same requests. Its requests take
 * their actions from the bundled {@link ActionCatalog}: 60 % from 16 common services and 40 % from the whole
 * catalogue, so the per-action statement index of {@link CompiledPolicy} has entries for thousands of actions.
 *
 * <ul>
 *   <li>{@link #decideWarmIndex} cycles through {@value #POOL_SIZE} requests. After the first pass every
 *       action is in the index, so this is the steady state of a long-running analysis.</li>
 *   <li>{@link #decideColdIndex} decides {@value #COLD_BATCH} requests with distinct actions against freshly
 *       compiled policies, so every decision first fills the index for its action. This is the first pass of a
 *       scan that requests one decision for each action.</li>
 * </ul>
 *
 * <p>{@link CatalogueHeap} measures the heap that the loaded catalogue retains. It is a plain main, not a JMH
 * benchmark. The commands that run both are in {@code docs/benchmarks.md}.
 */
public class PolicyEvaluatorBenchmark {

    static final long SEED = 20261204L;
    /** Number of requests that the warm benchmark cycles through, a power of two so that the cursor wraps with a mask. */
    static final int POOL_SIZE = 4096;
    /** Number of requests with distinct actions in one shot of the cold benchmark. */
    static final int COLD_BATCH = 2048;
    static final int IDENTITY_POLICIES = 20;

    static final String ACCOUNT = "111122223333";
    static final String OTHER_ACCOUNT = "444455556666";
    static final String MANAGEMENT_ACCOUNT = "999988887777";
    static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/app-role";

    /** Decisions per second with every action of the pool already in the index. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(1)
    public EvaluationResult decideWarmIndex(WarmIndex state) {
        Case next = state.next();
        return PolicyEvaluator.evaluate(next.request(), next.policies());
    }

    /**
     * Time per decision when each decision is the first for its action. JMH reports microseconds per decision:
     * decisions per second are 1,000,000 divided by that score.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(COLD_BATCH)
    @Warmup(iterations = 20, batchSize = 1)
    @Measurement(iterations = 30, batchSize = 1)
    @Threads(1)
    public void decideColdIndex(ColdIndex state, Blackhole blackhole) {
        for (Case each : state.cases) {
            blackhole.consume(PolicyEvaluator.evaluate(each.request(), each.policies()));
        }
    }

    /** The request pool, compiled once per trial. */
    @State(Scope.Thread)
    public static class WarmIndex {

        /**
         * Number of distinct actions to cycle through, or 0 for the whole pool. A small value such as
         * {@code -p poolActions=32} keeps the index entries in the CPU caches, as a control for how much of the
         * cost is memory access.
         */
        @Param({"0"})
        public int poolActions;

        private Case[] cases;
        private int cursor;

        @Setup(Level.Trial)
        public void build() {
            Fixture fixture = Fixture.generate(SEED, ActionCatalog.loadDefault());
            List<RequestSpec> specs = fixture.pool;
            if (poolActions > 0) {
                List<RequestSpec> distinct = fixture.distinctActions(poolActions);
                specs = new ArrayList<>(POOL_SIZE);
                for (int i = 0; i < POOL_SIZE; i++) {
                    specs.add(distinct.get(i % distinct.size()));
                }
            }
            cases = fixture.cases(specs, fixture.compile());
            System.out.println(fixture.describe(cases));
        }

        Case next() {
            Case next = cases[cursor];
            cursor = (cursor + 1) & (POOL_SIZE - 1);
            return next;
        }
    }

    /** Requests with distinct actions, against policies compiled anew before every iteration. */
    @State(Scope.Thread)
    public static class ColdIndex {

        private Fixture fixture;
        private List<RequestSpec> distinctActions;
        private Case[] cases;

        @Setup(Level.Trial)
        public void build() {
            fixture = Fixture.generate(SEED, ActionCatalog.loadDefault());
            distinctActions = fixture.distinctActions(COLD_BATCH);
        }

        @Setup(Level.Iteration)
        public void recompile() {
            cases = fixture.cases(distinctActions, fixture.compile());
        }
    }

    /** One request with the policies that take part in deciding it. */
    record Case(AccessRequest request, EvaluationPolicies policies) {
    }

    /** The resource-based policy that a request is decided with. */
    enum ResourcePolicy { NONE, BUCKET, TRUST, KEY }

    /** One request before compilation, so that the cold benchmark can pair it with freshly compiled policies. */
    record RequestSpec(AccessRequest request, ResourcePolicy resourcePolicy) {
    }

    /** The compiled policies, with one {@link EvaluationPolicies} for each kind of resource policy. */
    record CompiledFixture(Map<ResourcePolicy, EvaluationPolicies> byResourcePolicy) {
    }

    /** The parsed policies and the request pool, generated from a seed. */
    static final class Fixture {

        final List<Policy> identity;
        final Policy boundary;
        final List<List<Policy>> scpLevels;
        final Policy bucketPolicy;
        final Policy trustPolicy;
        final Policy keyPolicy;
        final List<RequestSpec> pool;

        private Fixture(List<Policy> identity, Policy boundary, List<List<Policy>> scpLevels, Policy bucketPolicy,
                        Policy trustPolicy, Policy keyPolicy, List<RequestSpec> pool) {
            this.identity = identity;
            this.boundary = boundary;
            this.scpLevels = scpLevels;
            this.bucketPolicy = bucketPolicy;
            this.trustPolicy = trustPolicy;
            this.keyPolicy = keyPolicy;
            this.pool = pool;
        }

        static Fixture generate(long seed, ActionCatalog catalog) {
            return new Generator(new Random(seed), catalog).fixture();
        }

        /** Compiles every policy anew, so that the per-action indexes start empty. */
        CompiledFixture compile() {
            List<CompiledPolicy> identityCompiled = identity.stream().map(CompiledPolicy::compile).toList();
            List<List<CompiledPolicy>> scps = scpLevels.stream()
                    .map(level -> level.stream().map(CompiledPolicy::compile).toList())
                    .toList();
            EvaluationPolicies base = EvaluationPolicies.identityOnly(identityCompiled, CompiledPolicy.compile(boundary))
                    .withOrganization(scps, List.of(), MANAGEMENT_ACCOUNT);

            Map<ResourcePolicy, EvaluationPolicies> byResourcePolicy = new EnumMap<>(ResourcePolicy.class);
            byResourcePolicy.put(ResourcePolicy.NONE, base);
            byResourcePolicy.put(ResourcePolicy.BUCKET, base.withResourcePolicy(CompiledPolicy.compile(bucketPolicy), false));
            // Trust and key policies must name the caller themselves, as AWS requires for roles and KMS keys.
            byResourcePolicy.put(ResourcePolicy.TRUST, base.withResourcePolicy(CompiledPolicy.compile(trustPolicy), true));
            byResourcePolicy.put(ResourcePolicy.KEY, base.withResourcePolicy(CompiledPolicy.compile(keyPolicy), true));
            return new CompiledFixture(byResourcePolicy);
        }

        Case[] cases(List<RequestSpec> specs, CompiledFixture compiled) {
            Case[] cases = new Case[specs.size()];
            for (int i = 0; i < cases.length; i++) {
                RequestSpec spec = specs.get(i);
                cases[i] = new Case(spec.request(), compiled.byResourcePolicy().get(spec.resourcePolicy()));
            }
            return cases;
        }

        /**
         * Returns the first {@code count} requests of the pool whose actions differ from every earlier one.
         *
         * @throws IllegalStateException when the pool has fewer distinct actions
         */
        List<RequestSpec> distinctActions(int count) {
            Set<String> seen = new HashSet<>();
            List<RequestSpec> distinct = new ArrayList<>(count);
            for (RequestSpec spec : pool) {
                if (distinct.size() < count && seen.add(spec.request().action().toLowerCase(Locale.ROOT))) {
                    distinct.add(spec);
                }
            }
            if (distinct.size() < count) {
                throw new IllegalStateException("The request pool has " + distinct.size() + " distinct actions, fewer"
                        + " than the " + count + " requested. Raise POOL_SIZE, or lower COLD_BATCH or poolActions.");
            }
            return distinct;
        }

        /** Summarizes the fixture and the decisions on its pool, printed once per trial. */
        String describe(Case[] cases) {
            Map<Decision, Integer> decisions = new EnumMap<>(Decision.class);
            Set<String> actions = new HashSet<>();
            Set<String> services = new HashSet<>();
            for (Case each : cases) {
                decisions.merge(PolicyEvaluator.evaluate(each.request(), each.policies()).decision(), 1, Integer::sum);
                String action = each.request().action().toLowerCase(Locale.ROOT);
                actions.add(action);
                services.add(action.substring(0, action.indexOf(':')));
            }
            int statements = identity.stream().mapToInt(policy -> policy.statements().size()).sum();
            return String.format(Locale.ROOT, "Fixture: %d identity policies with %d statements, %d requests over %d"
                            + " actions of %d services; decisions %s", identity.size(), statements, cases.length,
                    actions.size(), services.size(), decisions);
        }
    }

    /**
     * Builds the fixture's policy documents as JSON and draws its requests. Every choice comes from one
     * {@link Random}, in a fixed order, so a seed always gives the same fixture for the same catalogue.
     */
    private static final class Generator {

        private static final ObjectMapper JSON = new ObjectMapper();
        private static final String[] COMMON_SERVICES = {"s3", "ec2", "iam", "sts", "kms", "lambda", "dynamodb", "sqs",
            "sns", "logs", "ssm", "secretsmanager", "ecr", "ecs", "rds", "cloudwatch"};
        private static final String[] ACTION_PATTERNS = {"s3:Get*", "s3:List*", "s3:Put*", "s3:*Object*",
            "ec2:*VpcPeering*", "ec2:Describe*", "ec2:*Instances", "iam:*", "iam:Get*", "iam:List*", "iam:PassRole",
            "lambda:*", "lambda:Invoke*", "dynamodb:*Item", "dynamodb:Query", "dynamodb:Scan", "kms:Decrypt",
            "kms:Encrypt", "kms:GenerateDataKey*", "sts:AssumeRole", "sqs:*", "sns:Publish", "logs:*", "cloudwatch:*",
            "ssm:GetParameter*", "secretsmanager:GetSecretValue", "*:Describe*", "*:List*", "*:Get*", "ecr:*", "ecs:*",
            "rds:Describe*"};
        private static final String[] SERVICE_SUFFIXES = {"*", "List*", "Describe*", "Get*", "*Tag*", "Create*"};
        private static final String[] DENIED_PATTERNS = {"iam:Delete*", "s3:DeleteBucket*", "ec2:Terminate*",
            "kms:ScheduleKeyDeletion", "*:Delete*", "organizations:*", "ec2:*VpcPeering*", "iam:*AccessKey*"};
        private static final String[] REGIONS = {"us-east-1", "eu-west-1", "ap-southeast-2"};

        private final Random random;
        private final ActionCatalog catalog;
        private final List<String> services;

        Generator(Random random, ActionCatalog catalog) {
            this.random = random;
            this.catalog = catalog;
            this.services = List.copyOf(catalog.services());
        }

        Fixture fixture() {
            List<Policy> identity = new ArrayList<>();
            for (int i = 0; i < IDENTITY_POLICIES; i++) {
                identity.add(identityPolicy(i));
            }
            List<RequestSpec> pool = new ArrayList<>(POOL_SIZE);
            RequestPrincipal principal = new RequestPrincipal(ROLE_ARN, RequestPrincipal.Kind.ROLE_SESSION, ACCOUNT,
                    "app-role", "AROAEXAMPLEAPPROLE01", Map.of("team", "platform", "env", "prod"), false, null);
            for (int i = 0; i < POOL_SIZE; i++) {
                pool.add(request(principal));
            }
            return new Fixture(List.copyOf(identity), boundary(), scpLevels(), bucketPolicy(), trustPolicy(),
                    keyPolicy(), List.copyOf(pool));
        }

        // ---- identity policies -------------------------------------------------------------------------------

        private Policy identityPolicy(int number) {
            ArrayNode statements = JSON.createArrayNode();
            int count = 5 + random.nextInt(6);
            for (int i = 0; i < count; i++) {
                statements.add(identityStatement(i));
            }
            return parse("arn:aws:iam::" + ACCOUNT + ":policy/bench-" + number, "bench-" + number, "managed", statements);
        }

        /** Draws one statement kind by weight, out of 100. */
        private ObjectNode identityStatement(int index) {
            int kind = random.nextInt(100);
            ObjectNode statement;
            if (kind < 45) {
                statement = statement("Allow", "Action", actionPatterns(), resourcePatterns());
            } else if (kind < 53) {
                // NotAction with Allow covers nearly every action, so the per-action index selects it everywhere.
                statement = statement("Allow", "NotAction", strings("iam:*", "organizations:*", "account:*"), strings("*"));
                if (random.nextBoolean()) {
                    statement.set("Condition",
                            condition("StringEquals", "aws:RequestedRegion", strings("us-east-1", "eu-west-1")));
                }
            } else if (kind < 65) {
                ArrayNode denied = strings(pick(DENIED_PATTERNS), pick(DENIED_PATTERNS));
                statement = statement("Deny", "Action", denied, resourcePatterns());
            } else if (kind < 78) {
                statement = statement("Allow", "Action", actionPatterns(), resourcePatterns());
                statement.set("Condition", principalCondition());
            } else if (kind < 90) {
                statement = statement("Allow", "Action", actionPatterns(), resourcePatterns());
                statement.set("Condition", requestCondition());
            } else {
                statement = statement("Deny", "Action", strings(pick(DENIED_PATTERNS), "iam:*"), strings("*"));
                statement.set("Condition", random.nextBoolean()
                        ? condition("NotIpAddress", "aws:SourceIp", strings("10.0.0.0/8"))
                        : condition("Bool", "aws:MultiFactorAuthPresent", strings("false")));
            }
            statement.put("Sid", "S" + index);
            return statement;
        }

        /** Returns a condition on a key that the principal's tags decide offline. */
        private ObjectNode principalCondition() {
            return switch (random.nextInt(3)) {
                case 0 -> condition("StringEquals", "aws:PrincipalTag/team", strings("platform"));
                case 1 -> condition("StringEquals", "aws:PrincipalTag/team", strings("data", "security"));
                default -> condition("StringLike", "aws:PrincipalTag/env", strings("prod*"));
            };
        }

        /** Returns a condition on a key that only the request carries, known for some requests of the pool. */
        private ObjectNode requestCondition() {
            return switch (random.nextInt(3)) {
                case 0 -> condition("IpAddress", "aws:SourceIp", strings("10.0.0.0/8", "192.0.2.0/24"));
                case 1 -> condition("StringEquals", "aws:RequestedRegion", strings(pick(REGIONS)));
                default -> condition("Bool", "aws:MultiFactorAuthPresent", strings("true"));
            };
        }

        private ArrayNode actionPatterns() {
            ArrayNode patterns = JSON.createArrayNode();
            int count = 1 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                int kind = random.nextInt(4);
                if (kind < 2) {
                    patterns.add(pick(ACTION_PATTERNS));
                } else if (kind == 2) {
                    patterns.add(services.get(random.nextInt(services.size())) + ":" + pick(SERVICE_SUFFIXES));
                } else {
                    patterns.add(catalog.all().get(random.nextInt(catalog.size())).fullName());
                }
            }
            return patterns;
        }

        private ArrayNode resourcePatterns() {
            ArrayNode patterns = JSON.createArrayNode();
            if (random.nextInt(10) < 4) {
                return patterns.add("*");
            }
            int count = 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                patterns.add(switch (random.nextInt(8)) {
                    case 0 -> "arn:aws:s3:::bucket-" + random.nextInt(8) + "*";
                    case 1 -> "arn:aws:s3:::bucket-" + random.nextInt(8) + "/*";
                    case 2 -> "arn:aws:ec2:*:" + ACCOUNT + ":*";
                    case 3 -> "arn:aws:iam::" + ACCOUNT + ":role/app-*";
                    case 4 -> "arn:aws:" + services.get(random.nextInt(services.size())) + ":*:" + ACCOUNT + ":*";
                    case 5 -> "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/table-*";
                    case 6 -> "arn:aws:kms:*:" + ACCOUNT + ":key/*";
                    default -> "arn:aws:*:*:" + ACCOUNT + ":*";
                });
            }
            return patterns;
        }

        // ---- boundary, SCPs and resource policies ------------------------------------------------------------

        private Policy boundary() {
            ArrayNode statements = JSON.createArrayNode();
            statements.add(statement("Allow", "NotAction",
                    strings("iam:CreateUser", "iam:CreateAccessKey", "iam:*Policy*", "organizations:*"), strings("*")));
            statements.add(statement("Allow", "Action", strings("iam:Get*", "iam:List*"), strings("*")));
            statements.add(statement("Deny", "Action",
                    strings("iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary"), strings("*")));
            return parse("arn:aws:iam::" + ACCOUNT + ":policy/bench-boundary", "bench-boundary", "boundary", statements);
        }

        /**
         * Returns SCPs at three levels: FullAWSAccess at the root, FullAWSAccess and a region guard on the OU, and an
         * allow list on the account.
         */
        private List<List<Policy>> scpLevels() {
            ArrayNode fullAccess = JSON.createArrayNode().add(statement("Allow", "Action", strings("*"), strings("*")));

            ArrayNode regionGuard = JSON.createArrayNode();
            ObjectNode outsideRegions = statement("Deny", "NotAction",
                    strings("iam:*", "organizations:*", "sts:*", "cloudfront:*", "route53:*", "support:*"), strings("*"));
            outsideRegions.set("Condition",
                    condition("StringNotEquals", "aws:RequestedRegion", strings("us-east-1", "eu-west-1")));
            regionGuard.add(outsideRegions);

            ArrayNode allowList = JSON.createArrayNode();
            ArrayNode allowedActions = JSON.createArrayNode();
            for (String service : COMMON_SERVICES) {
                allowedActions.add(service + ":*");
            }
            allowedActions.add("*:Describe*").add("*:List*").add("*:Get*");
            allowList.add(statement("Allow", "Action", allowedActions, strings("*")));
            ObjectNode peering = statement("Deny", "Action", strings("ec2:*VpcPeering*"), strings("*"));
            peering.set("Condition", condition("StringNotEquals", "aws:PrincipalTag/team", strings("platform", "network")));
            allowList.add(peering);
            allowList.add(statement("Deny", "Action", strings("organizations:LeaveOrganization"), strings("*")));

            return List.of(
                    List.of(parse("p-FullAWSAccess", "FullAWSAccess", "scp", fullAccess)),
                    List.of(parse("p-FullAWSAccess", "FullAWSAccess", "scp", fullAccess),
                            parse("p-region-guard", "RegionGuard", "scp", regionGuard)),
                    List.of(parse("p-allow-list", "AllowList", "scp", allowList)));
        }

        private Policy bucketPolicy() {
            ArrayNode statements = JSON.createArrayNode();
            ArrayNode buckets = strings("arn:aws:s3:::bucket-*", "arn:aws:s3:::bucket-*/*");
            ObjectNode role = statement("Allow", "Action", strings("s3:GetObject", "s3:PutObject", "s3:ListBucket"), buckets);
            role.set("Principal", JSON.createObjectNode().put("AWS", ROLE_ARN));
            statements.add(role);
            ObjectNode account = statement("Allow", "Action", strings("s3:Get*"), buckets);
            account.set("Principal", JSON.createObjectNode().put("AWS", ACCOUNT));
            statements.add(account);
            ObjectNode tls = statement("Deny", "Action", strings("s3:*"), buckets);
            tls.put("Principal", "*");
            tls.set("Condition", condition("Bool", "aws:SecureTransport", strings("false")));
            statements.add(tls);
            return parse("arn:aws:s3:::bucket-0#resource", "bucket-0", "resource", statements);
        }

        private Policy trustPolicy() {
            ArrayNode statements = JSON.createArrayNode();
            ObjectNode account = JSON.createObjectNode().put("Effect", "Allow");
            account.set("Principal", JSON.createObjectNode().put("AWS", "arn:aws:iam::" + ACCOUNT + ":root"));
            account.set("Action", strings("sts:AssumeRole", "sts:TagSession"));
            account.set("Condition", condition("StringEquals", "aws:PrincipalTag/team", strings("platform")));
            statements.add(account);
            ObjectNode service = JSON.createObjectNode().put("Effect", "Allow");
            service.set("Principal", JSON.createObjectNode().put("Service", "ec2.amazonaws.com"));
            service.put("Action", "sts:AssumeRole");
            statements.add(service);
            return parse("arn:aws:iam::" + ACCOUNT + ":role/target#trust", "target", "trust", statements);
        }

        private Policy keyPolicy() {
            ArrayNode statements = JSON.createArrayNode();
            ObjectNode root = statement("Allow", "Action", strings("kms:*"), strings("*"));
            root.set("Principal", JSON.createObjectNode().put("AWS", "arn:aws:iam::" + ACCOUNT + ":root"));
            statements.add(root);
            ObjectNode viaS3 = statement("Allow", "Action", strings("kms:Decrypt", "kms:GenerateDataKey*"), strings("*"));
            viaS3.set("Principal", JSON.createObjectNode().put("AWS", ROLE_ARN));
            viaS3.set("Condition", condition("StringEquals", "kms:ViaService", strings("s3.us-east-1.amazonaws.com")));
            statements.add(viaS3);
            return parse("arn:aws:kms:us-east-1:" + ACCOUNT + ":key/bench#resource", "bench-key", "resource", statements);
        }

        // ---- requests ------------------------------------------------------------------------------------------

        /** Draws one request: 60 % from the common services, 40 % from the whole catalogue. */
        private RequestSpec request(RequestPrincipal principal) {
            Action action;
            if (random.nextInt(10) < 6) {
                List<Action> ofService = catalog.match(pick(COMMON_SERVICES) + ":*");
                action = ofService.get(random.nextInt(ofService.size()));
            } else {
                action = catalog.all().get(random.nextInt(catalog.size()));
            }
            String region = pick(REGIONS);
            String service = action.service();
            String lowerName = action.name().toLowerCase(Locale.ROOT);

            String resourceArn;
            String resourceAccount;
            ResourcePolicy resourcePolicy = ResourcePolicy.NONE;
            if (service.equals("sts") && lowerName.startsWith("assumerole")) {
                resourceArn = "arn:aws:iam::" + ACCOUNT + ":role/target";
                resourceAccount = ACCOUNT;
                resourcePolicy = ResourcePolicy.TRUST;
            } else if (action.resourceTypes().isEmpty()) {
                resourceArn = "*";
                resourceAccount = null;
            } else if (service.equals("s3")) {
                String bucket = "arn:aws:s3:::bucket-" + random.nextInt(8);
                boolean object = resourceType(action).startsWith("object");
                resourceArn = object ? bucket + "/data/file-" + random.nextInt(100) + ".json" : bucket;
                // One S3 request in eight goes to a bucket of another account, so both accounts must allow it.
                resourceAccount = random.nextInt(8) == 0 ? OTHER_ACCOUNT : ACCOUNT;
                // Every cross-account request and half of the others go to a bucket with a bucket policy.
                boolean withBucketPolicy = random.nextBoolean() || !resourceAccount.equals(ACCOUNT);
                resourcePolicy = withBucketPolicy ? ResourcePolicy.BUCKET : ResourcePolicy.NONE;
            } else if (service.equals("iam")) {
                resourceArn = "arn:aws:iam::" + ACCOUNT + ":" + resourceType(action) + "/app-" + random.nextInt(4);
                resourceAccount = ACCOUNT;
            } else {
                String type = resourceType(action);
                String resourceId = type + "/" + type + "-" + random.nextInt(16);
                resourceArn = "arn:aws:" + service + ":" + region + ":" + ACCOUNT + ":" + resourceId;
                resourceAccount = ACCOUNT;
                if (service.equals("kms")) {
                    resourcePolicy = ResourcePolicy.KEY;
                }
            }
            return new RequestSpec(new AccessRequest(principal, action.fullName(), resourceArn, resourceAccount,
                    requestContext(region)), resourcePolicy);
        }

        /** Returns the first resource type of an action without the trailing {@code *} that marks it required. */
        private static String resourceType(Action action) {
            String type = action.resourceTypes().get(0);
            return type.endsWith("*") ? type.substring(0, type.length() - 1) : type;
        }

        /**
         * Draws what the request carries: half the requests carry the region, source IP, TLS and MFA, three in ten
         * only the region, and the rest nothing, so conditions on request keys stay unresolved.
         */
        private ConditionContext requestContext(String region) {
            int kind = random.nextInt(10);
            if (kind >= 8) {
                return ConditionContext.UNKNOWN;
            }
            Map<String, List<String>> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            values.put("aws:RequestedRegion", List.of(region));
            if (kind < 5) {
                values.put("aws:SourceIp", List.of(random.nextBoolean() ? "10.1.2.3" : "203.0.113.7"));
                values.put("aws:SecureTransport", List.of("true"));
                values.put("aws:MultiFactorAuthPresent", List.of(String.valueOf(random.nextBoolean())));
            }
            return values::get;
        }

        // ---- JSON helpers --------------------------------------------------------------------------------------

        private static ObjectNode statement(String effect, String actionElement, ArrayNode actions, ArrayNode resources) {
            ObjectNode statement = JSON.createObjectNode().put("Effect", effect);
            statement.set(actionElement, actions);
            statement.set("Resource", resources);
            return statement;
        }

        private static ObjectNode condition(String operator, String key, ArrayNode values) {
            ObjectNode condition = JSON.createObjectNode();
            condition.putObject(operator).set(key, values);
            return condition;
        }

        private static ArrayNode strings(String... values) {
            ArrayNode array = JSON.createArrayNode();
            for (String value : values) {
                array.add(value);
            }
            return array;
        }

        private static Policy parse(String id, String name, String kind, ArrayNode statements) {
            ObjectNode document = JSON.createObjectNode().put("Version", Policy.VERSION_2012);
            document.set("Statement", statements);
            return Policy.parse(id, name, kind, document.toString());
        }

        private String pick(String[] values) {
            return values[random.nextInt(values.length)];
        }
    }

    /**
     * Prints the heap that the bundled action catalogue retains. Run it in a fresh JVM, because
     * {@link ActionCatalog#loadDefault()} caches its result for the life of the JVM.
     *
     * <p>Two measurements, each taken after a full collection: the change in the total size of live objects in
     * the class histogram that {@code jcmd PID GC.class_histogram} also prints (exact object sizes, so this is the
     * one to quote), and the change in used heap that {@link MemoryMXBean} reports, which moves with the
     * collector's accounting. The first load also counts the class mirrors and interned strings of the classes it
     * loads. The optional argument sets how many more copies {@link ActionCatalog#read} loads afterwards
     * (default 5), and their average excludes that one-time cost.
     */
    public static final class CatalogueHeap {

        private static final int GC_ROUNDS = 5;

        private CatalogueHeap() {
        }

        public static void main(String[] args) throws Exception {
            int copies = args.length > 0 ? Integer.parseInt(args[0]) : 5;
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

            long liveBefore = liveBytes();
            long usedBefore = settledHeapUsed(memory);
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            ActionCatalog catalog = ActionCatalog.loadDefault();
            long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            long liveAfterFirst = liveBytes();
            long usedAfterFirst = settledHeapUsed(memory);

            List<ActionCatalog> extra = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                try (InputStream in = ActionCatalog.class.getResourceAsStream(ActionCatalog.DEFAULT_RESOURCE)) {
                    extra.add(ActionCatalog.read(in));
                }
            }
            long liveAfterCopies = liveBytes();
            long usedAfterCopies = settledHeapUsed(memory);

            System.out.printf(Locale.ROOT, "Catalogue: %d actions of %d services; max heap %.0f MB%n", catalog.size(),
                    catalog.services().size(), megabytes(memory.getHeapMemoryUsage().getMax()));
            System.out.printf(Locale.ROOT, "Live objects before loading: %.2f MB (class histogram), %.2f MB used heap%n",
                    megabytes(liveBefore), megabytes(usedBefore));
            System.out.printf(Locale.ROOT, "loadDefault(): %.2f MB retained (class histogram), %.2f MB (used heap),"
                    + " %.2f MB allocated while loading%n", megabytes(liveAfterFirst - liveBefore),
                    megabytes(usedAfterFirst - usedBefore), megabytes(allocated));
            if (copies > 0) {
                System.out.printf(Locale.ROOT, "read() of %d more copies: %.2f MB retained per copy (class histogram),"
                                + " %.2f MB (used heap)%n", copies,
                        megabytes((liveAfterCopies - liveAfterFirst) / (double) copies),
                        megabytes((usedAfterCopies - usedAfterFirst) / (double) copies));
            }
            Reference.reachabilityFence(catalog);
            Reference.reachabilityFence(extra);
        }

        /**
         * Returns the total size of live objects from the HotSpot diagnostic command GC.class_histogram, which
         * runs a full collection first.
         *
         * @throws IllegalStateException when the JVM's output has no Total line
         */
        private static long liveBytes() throws Exception {
            ObjectName diagnostics = new ObjectName("com.sun.management:type=DiagnosticCommand");
            String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(diagnostics,
                    "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
            for (String line : histogram.split("\n")) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length == 3 && fields[0].equals("Total")) {
                    return Long.parseLong(fields[2]);
                }
            }
            throw new IllegalStateException("GC.class_histogram printed no Total line: " + histogram.lines().limit(5).toList());
        }

        /** Returns the used heap after several collections, so that garbage from earlier work is gone. */
        private static long settledHeapUsed(MemoryMXBean memory) throws InterruptedException {
            for (int i = 0; i < GC_ROUNDS; i++) {
                System.gc();
                Thread.sleep(50);
            }
            return memory.getHeapMemoryUsage().getUsed();
        }

        private static double megabytes(double bytes) {
            return bytes / (1024.0 * 1024.0);
        }
    }
}
