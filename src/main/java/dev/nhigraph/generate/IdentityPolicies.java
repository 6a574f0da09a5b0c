package dev.nhigraph.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.generate.ResourceInventory.Kind;
import dev.nhigraph.generate.ResourceInventory.Resource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A factory of random identity-policy statements with the mix of a real account. Most statements allow a few
 * actions of one service on named resources. Some allow a whole service or use NotAction, and about a quarter carry
 * a condition.
 *
 * <p>None of these statements allows sts:AssumeRole on every resource, except the documents of
 * {@link #adminDocument()}. The 3 % of principals that get such a statement get it from {@link AccountPopulator},
 * so that share stays exact.
 */
final class IdentityPolicies {

    /** Read and write actions per kind of resource. */
    private static final Map<Kind, List<List<String>>> ACTIONS = new EnumMap<>(Kind.class);

    static {
        ACTIONS.put(Kind.BUCKET, List.of(List.of("s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion"),
                List.of("s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload")));
        ACTIONS.put(Kind.TABLE, List.of(List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem"),
                List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem")));
        ACTIONS.put(Kind.QUEUE, List.of(List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"),
                List.of("sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes")));
        ACTIONS.put(Kind.TOPIC, List.of(List.of("sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic"), List.of("sns:Publish")));
        ACTIONS.put(Kind.FUNCTION, List.of(List.of("lambda:GetFunction", "lambda:InvokeFunction"),
                List.of("lambda:UpdateFunctionCode", "lambda:PublishVersion", "lambda:GetFunction")));
        ACTIONS.put(Kind.KEY, List.of(List.of("kms:Decrypt", "kms:DescribeKey"), List.of("kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt")));
        ACTIONS.put(Kind.SECRET, List.of(List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
                List.of("secretsmanager:PutSecretValue", "secretsmanager:UpdateSecret")));
        ACTIONS.put(Kind.LOG_GROUP, List.of(List.of("logs:GetLogEvents", "logs:FilterLogEvents"), List.of("logs:CreateLogStream", "logs:PutLogEvents")));
        ACTIONS.put(Kind.REPOSITORY, List.of(List.of("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"),
                List.of("ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:BatchCheckLayerAvailability")));
        ACTIONS.put(Kind.PARAMETER, List.of(List.of("ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"), List.of("ssm:PutParameter")));
    }

    /** Statements on "*" that real policies carry for APIs without resource-level permissions. */
    private static final List<List<String>> UNSCOPED_ACTIONS = List.of(List.of("ec2:DescribeInstances", "ec2:DescribeSecurityGroups"),
            List.of("cloudwatch:GetMetricData", "cloudwatch:ListMetrics"), List.of("logs:DescribeLogGroups"),
            List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords"), List.of("ecr:GetAuthorizationToken"),
            List.of("ec2:Describe*"));

    /** Services granted whole (service:*), with the kind of resource to scope them to, or null for "*" only. */
    private static final List<Kind> WILDCARD_KINDS = List.of(Kind.BUCKET, Kind.BUCKET, Kind.TABLE, Kind.QUEUE, Kind.TOPIC,
            Kind.FUNCTION, Kind.SECRET, Kind.LOG_GROUP, Kind.PARAMETER);

    private final SeededRandom random;
    private final SyntheticAccount account;
    private final List<SyntheticAccount> otherAccounts;
    private final Kind[] kinds = Kind.values();
    private final double[] kindWeights;

    IdentityPolicies(SeededRandom random, SyntheticAccount account, List<SyntheticAccount> otherAccounts) {
        this.random = random;
        this.account = account;
        this.otherAccounts = otherAccounts;
        kindWeights = new double[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            kindWeights[i] = account.inventory.of(kinds[i]).isEmpty() ? 0 : kinds[i].share;
        }
    }

    /** Returns a document of one to five statements, most often one or two. */
    ObjectNode document() {
        int count = 1 + random.weighted(40, 30, 15, 10, 5);
        List<ObjectNode> statements = new ArrayList<>();
        Set<String> sids = new HashSet<>();
        for (int i = 0; i < count; i++) {
            statements.add(statement(sids));
        }
        return PolicyStatement.document(statements);
    }

    /** Returns the document of a customer-managed policy that allows every action on every resource. */
    static ObjectNode adminDocument() {
        return PolicyStatement.document(PolicyStatement.allow().sid("FullAccess").actions("*").resources("*").build());
    }

    /**
     * Returns a permissions boundary: an allow-list of services. Half of them include sts:AssumeRole, so some
     * bounded principals can still assume roles.
     */
    ObjectNode boundaryDocument(boolean allowsAssumeRole) {
        List<String> actions = new ArrayList<>(List.of("s3:*", "dynamodb:*", "sqs:*", "sns:*", "logs:*", "cloudwatch:*",
                "xray:*", "kms:Decrypt", "kms:GenerateDataKey", "secretsmanager:GetSecretValue", "ssm:GetParameter*"));
        if (random.chance(0.5)) {
            actions.add("lambda:*");
        }
        if (allowsAssumeRole) {
            actions.add("sts:AssumeRole");
        }
        List<ObjectNode> statements = new ArrayList<>();
        statements.add(PolicyStatement.allow().sid("AllowedServices").actions(actions).resources("*").build());
        statements.add(PolicyStatement.deny().sid("NoBoundaryChanges").actions("iam:DeleteRolePermissionsBoundary",
                "iam:DeleteUserPermissionsBoundary", "iam:PutRolePermissionsBoundary", "iam:PutUserPermissionsBoundary")
                .resources("*").build());
        return PolicyStatement.document(statements);
    }

    private ObjectNode statement(Set<String> sids) {
        int shape = random.weighted(68, 14, 6, 4, 3, 2);
        PolicyStatement statement = switch (shape) {
            case 0 -> scoped();
            case 1 -> serviceWildcard();
            case 2 -> unscoped();
            case 3 -> assumeNamedRoles();
            case 4 -> denyGuard();
            default -> notActionOnBucket();
        };
        if (shape <= 2 && random.chance(0.25)) {
            addCondition(statement);
        }
        if (random.chance(0.4)) {
            String sid = "Statement" + (sids.size() + 1);
            sids.add(sid);
            statement.sid(sid);
        }
        return statement.build();
    }

    /** Allows read or write actions of one service on one to three resources, now and then of another account. */
    private PolicyStatement scoped() {
        Kind kind = kinds[random.weighted(kindWeights)];
        SyntheticAccount owner = account;
        if (!otherAccounts.isEmpty() && random.chance(0.05)) {
            SyntheticAccount other = random.pick(otherAccounts);
            if (!other.inventory.of(kind).isEmpty()) {
                owner = other;
            }
        }
        List<List<String>> actionSets = ACTIONS.get(kind);
        int mode = random.nextInt(2);
        List<String> actions = new ArrayList<>(actionSets.get(mode));
        if (random.chance(0.2)) {
            for (String action : actionSets.get(1 - mode)) {
                if (!actions.contains(action)) {
                    actions.add(action);
                }
            }
        }
        List<String> resources = new ArrayList<>();
        for (Resource resource : random.sample(owner.inventory.of(kind), random.between(1, 3))) {
            owner.inventory.markNamed(resource);
            resources.addAll(resource.statementResources());
        }
        return PolicyStatement.allow().actions(actions).resources(resources);
    }

    private PolicyStatement serviceWildcard() {
        Kind kind = random.pick(WILDCARD_KINDS);
        List<Resource> candidates = account.inventory.of(kind);
        if (candidates.isEmpty() || random.chance(0.4)) {
            return PolicyStatement.allow().actions(kind.service + ":*").resources("*");
        }
        Resource resource = random.pick(candidates);
        account.inventory.markNamed(resource);
        return PolicyStatement.allow().actions(kind.service + ":*").resources(resource.statementResources());
    }

    private PolicyStatement unscoped() {
        return PolicyStatement.allow().actions(random.pick(UNSCOPED_ACTIONS)).resources("*");
    }

    /** Allows sts:AssumeRole on the roles of one team, in this account or another of the organisation. */
    private PolicyStatement assumeNamedRoles() {
        SyntheticAccount owner = otherAccounts.isEmpty() || random.chance(0.5) ? account : random.pick(otherAccounts);
        return PolicyStatement.allow().actions("sts:AssumeRole")
                .resources(owner.iamArn("role/" + random.pick(Vocabulary.TEAMS) + "-*"));
    }

    private PolicyStatement denyGuard() {
        return switch (random.nextInt(4)) {
            case 0 -> PolicyStatement.deny().actions("s3:DeleteBucket", "s3:PutBucketPolicy").resources("*");
            case 1 -> PolicyStatement.deny().actions("dynamodb:DeleteTable").resources("*");
            case 2 -> PolicyStatement.deny().actions("kms:ScheduleKeyDeletion").resources("*");
            default -> PolicyStatement.deny().notActions("iam:*", "sts:*", "support:*").resources("*")
                    .condition("StringNotEquals", "aws:RequestedRegion", SyntheticOrg.APPROVED_REGIONS.toArray(String[]::new));
        };
    }

    /** Allows everything on one bucket except deleting it or changing its policy: NotAction scoped by Resource. */
    private PolicyStatement notActionOnBucket() {
        List<Resource> buckets = account.inventory.of(Kind.BUCKET);
        if (buckets.isEmpty()) {
            return scoped();
        }
        Resource bucket = random.pick(buckets);
        account.inventory.markNamed(bucket);
        return PolicyStatement.allow().notActions("s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucketPolicy")
                .resources(bucket.statementResources());
    }

    private void addCondition(PolicyStatement statement) {
        switch (random.weighted(25, 20, 20, 15, 10, 5, 5)) {
            case 0 -> statement.condition("StringEquals", "aws:SourceVpce", "vpce-" + random.hex(17));
            case 1 -> statement.condition("StringEquals", "aws:RequestedRegion", random.pick(Vocabulary.REGIONS));
            case 2 -> statement.condition("StringEquals", "aws:PrincipalTag/team", random.pick(Vocabulary.TEAMS));
            case 3 -> statement.condition("Bool", "aws:SecureTransport", "true");
            case 4 -> statement.condition("StringEquals", "aws:ResourceTag/team", "${aws:PrincipalTag/team}");
            case 5 -> statement.condition("IpAddress", "aws:SourceIp", "10.0.0.0/8");
            default -> statement.condition("Bool", "aws:MultiFactorAuthPresent", "true");
        }
    }
}
