package dev.nhigraph.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.generate.ResourceInventory.Kind;
import dev.nhigraph.generate.ResourceInventory.Resource;
import dev.nhigraph.generate.SyntheticAccount.Principal;
import dev.nhigraph.generate.SyntheticAccount.Role;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bucket, key, secret and queue policies of the bundle, each as the AWS CLI prints it and at the path of
 * the bundle layout (docs/offline-bundle.md), with the policy document as a JSON string as the APIs return it.
 */
final class ResourcePolicies {

    /** One file of the bundle: its path below the bundle folder, with / separators, and its content. */
    record PolicyFile(String path, ObjectNode content, String account, Kind kind, String resourceArn) {
    }

    static final List<String> KEY_ADMINISTRATOR_ACTIONS = List.of("kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*",
            "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource",
            "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion");
    static final List<String> KEY_USER_ACTIONS = List.of("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
            "kms:GenerateDataKey*", "kms:DescribeKey");

    final List<PolicyFile> files = new ArrayList<>();
    private final Set<String> withPolicy = new HashSet<>();

    void add(SyntheticAccount owner, Resource resource, ObjectNode document) {
        String compact = JsonOutput.compact(document);
        ObjectNode content = PolicyStatement.NODES.objectNode();
        String path = switch (resource.kind()) {
            case BUCKET -> {
                content.put("Policy", compact);
                yield "resource-policies/s3/" + owner.id + "/" + resource.name() + ".json";
            }
            case KEY -> {
                content.put("Policy", compact);
                content.put("PolicyName", "default");
                yield "resource-policies/kms/" + owner.id + "/" + resource.region() + "/" + resource.name() + ".json";
            }
            case SECRET -> {
                content.put("ARN", resource.arn());
                content.put("Name", resource.name());
                content.put("ResourcePolicy", compact);
                // The output names its secret, so the file name is free; slashes of the secret name would make folders.
                yield "resource-policies/secretsmanager/" + owner.id + "/" + resource.region() + "/"
                        + resource.name().replace('/', '_') + ".json";
            }
            case QUEUE -> {
                ObjectNode attributes = content.putObject("Attributes");
                attributes.put("Policy", compact);
                attributes.put("QueueArn", resource.arn());
                yield "resource-policies/sqs/" + owner.id + "/" + resource.region() + "/" + resource.name() + ".json";
            }
            default -> throw new IllegalArgumentException("no resource policies for " + resource.kind());
        };
        files.add(new PolicyFile(path, content, owner.id, resource.kind(), resource.arn()));
        withPolicy.add(resource.arn());
        owner.inventory.markNamed(resource);
    }

    /** Keeps the random fill from writing a policy for a resource whose lack of one the ground truth relies on. */
    void reserve(String resourceArn) {
        withPolicy.add(resourceArn);
    }

    /** Adds random policies until each account has the counts of its plan, the planted policies included. */
    void addRandom(SyntheticOrg org, Map<String, AccountFill> fills) {
        List<String> allRoles = new ArrayList<>();
        for (AccountFill fill : fills.values()) {
            fill.namable.stream().filter(p -> p instanceof Role).forEach(role -> allRoles.add(role.arn));
        }
        for (AccountFill fill : fills.values()) {
            List<String> otherAccounts = fills.values().stream().map(f -> f.account.id)
                    .filter(id -> !id.equals(fill.account.id)).toList();
            addRandom(fill, new RandomPolicies(org, fill, allRoles, otherAccounts));
        }
    }

    /**
     * Adds random policies to one account until it has the counts of its plan. They may name the roles of
     * {@code allRoles}, of any account, and the roots of {@code otherAccounts}.
     */
    void addRandom(SyntheticOrg org, AccountFill fill, List<String> allRoles, List<String> otherAccounts) {
        addRandom(fill, new RandomPolicies(org, fill, allRoles, otherAccounts));
    }

    /** Removes and returns the files of the resources of {@code accountId}, in the order they were added. */
    List<PolicyFile> takeFiles(String accountId) {
        List<PolicyFile> accountFiles = files.stream().filter(file -> file.account().equals(accountId)).toList();
        files.removeIf(file -> file.account().equals(accountId));
        return accountFiles;
    }

    private void addRandom(AccountFill fill, RandomPolicies generator) {
        Tier.ResourcePolicyCounts counts = fill.account.plan.resourcePolicies();
        addRandom(fill, Kind.BUCKET, counts.buckets(), generator);
        addRandom(fill, Kind.KEY, counts.keys(), generator);
        addRandom(fill, Kind.SECRET, counts.secrets(), generator);
        addRandom(fill, Kind.QUEUE, counts.queues(), generator);
    }

    int count(String account, Kind kind) {
        return (int) files.stream().filter(f -> f.account().equals(account) && f.kind() == kind).count();
    }

    private void addRandom(AccountFill fill, Kind kind, int total, RandomPolicies generator) {
        int missing = total - count(fill.account.id, kind);
        List<Resource> free = fill.account.inventory.of(kind).stream().filter(r -> !withPolicy.contains(r.arn())).toList();
        if (missing > free.size()) {
            throw new IllegalStateException("account " + fill.account.key() + " has " + free.size() + " resources of kind "
                    + kind + " without a policy, fewer than the " + missing + " policies to write");
        }
        for (Resource resource : fill.random.sample(free, missing)) {
            add(fill.account, resource, generator.document(resource));
        }
    }

    /** Random policy documents of the usual shapes, naming only principals of the random fill. */
    private static final class RandomPolicies {
        private final SyntheticOrg org;
        private final AccountFill fill;
        private final SeededRandom random;
        private final List<String> localRoles = new ArrayList<>();
        private final List<String> allRoles;
        private final List<String> otherAccounts;

        RandomPolicies(SyntheticOrg org, AccountFill fill, List<String> allRoles, List<String> otherAccounts) {
            this.org = org;
            this.fill = fill;
            this.random = fill.random;
            fill.namable.stream().filter(p -> p instanceof Role).forEach(role -> localRoles.add(role.arn));
            this.allRoles = allRoles;
            this.otherAccounts = otherAccounts;
        }

        ObjectNode document(Resource resource) {
            return switch (resource.kind()) {
                case BUCKET -> bucket(resource);
                case KEY -> key(resource);
                case SECRET -> secret(resource);
                case QUEUE -> queue(resource);
                default -> throw new IllegalArgumentException("no resource policies for " + resource.kind());
            };
        }

        private ObjectNode bucket(Resource bucket) {
            List<ObjectNode> statements = new ArrayList<>();
            List<String> both = List.of(bucket.arn(), bucket.arn() + "/*");
            if (random.chance(0.5)) {
                statements.add(PolicyStatement.deny().sid("DenyInsecureTransport").anyPrincipal().actions("s3:*").resources(both)
                        .condition("Bool", "aws:SecureTransport", "false").build());
            }
            switch (random.weighted(60, 15, 10, 15)) {
                case 1 -> statements.add(PolicyStatement.allow().sid("CrossAccountRead").principal("AWS", otherRoot())
                        .actions("s3:GetObject").resources(bucket.arn() + "/*").build());
                case 2 -> statements.add(PolicyStatement.allow().sid("OrganizationRead").anyPrincipal()
                        .actions("s3:GetObject").resources(bucket.arn() + "/*")
                        .condition("StringEquals", "aws:PrincipalOrgID", org.organizationId).build());
                case 3 -> statements.add(PolicyStatement.allow().sid("LogDelivery")
                        .principal("Service", random.chance(0.5) ? "logging.s3.amazonaws.com" : "cloudtrail.amazonaws.com")
                        .actions("s3:PutObject").resources(bucket.arn() + "/*")
                        .condition("StringEquals", "aws:SourceAccount", fill.account.id).build());
                default -> {
                    List<String> actions = random.chance(0.6) ? List.of("s3:GetObject", "s3:ListBucket")
                            : List.of("s3:GetObject", "s3:PutObject", "s3:ListBucket");
                    statements.add(PolicyStatement.allow().sid("NamedRoles").principal("AWS", roleArns(1, 3))
                            .actions(actions).resources(both).build());
                }
            }
            return PolicyStatement.document(statements);
        }

        private ObjectNode key(Resource key) {
            List<ObjectNode> statements = new ArrayList<>();
            if (random.chance(0.9)) {
                statements.add(PolicyStatement.allow().sid("Enable IAM User Permissions").principal("AWS", fill.account.rootArn())
                        .actions("kms:*").resources("*").build());
            }
            statements.add(PolicyStatement.allow().sid("Allow access for Key Administrators")
                    .principal("AWS", localRoleArns(1, 2)).actions(KEY_ADMINISTRATOR_ACTIONS).resources("*").build());
            PolicyStatement use = PolicyStatement.allow().sid("Allow use of the key").principal("AWS", localRoleArns(1, 3))
                    .actions(KEY_USER_ACTIONS).resources("*");
            if (random.chance(0.3)) {
                use.condition("StringEquals", "kms:ViaService", "s3." + key.region() + ".amazonaws.com");
            }
            statements.add(use.build());
            if (random.chance(0.2)) {
                statements.add(PolicyStatement.allow().sid("Allow use from another account").principal("AWS", otherRoot())
                        .actions("kms:Decrypt", "kms:DescribeKey").resources("*").build());
            }
            return PolicyStatement.document(statements);
        }

        private ObjectNode secret(Resource secret) {
            if (random.chance(0.4)) {
                return PolicyStatement.document(PolicyStatement.deny().sid("OnlyNamedReaders").anyPrincipal()
                        .actions("secretsmanager:GetSecretValue").resources("*")
                        .condition("ArnNotEquals", "aws:PrincipalArn", localRoleArns(1, 2)).build());
            }
            return PolicyStatement.document(PolicyStatement.allow().sid("NamedReaders").principal("AWS", roleArns(1, 2))
                    .actions("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret").resources("*").build());
        }

        private ObjectNode queue(Resource queue) {
            List<ObjectNode> statements = new ArrayList<>();
            List<Resource> topics = fill.account.inventory.of(Kind.TOPIC);
            if (!topics.isEmpty() && random.chance(0.6)) {
                statements.add(PolicyStatement.allow().sid("TopicDelivery").principal("Service", "sns.amazonaws.com")
                        .actions("sqs:SendMessage").resources(queue.arn())
                        .condition("ArnEquals", "aws:SourceArn", random.pick(topics).arn()).build());
            }
            if (statements.isEmpty() || random.chance(0.7)) {
                List<String> actions = random.chance(0.5) ? List.of("sqs:SendMessage")
                        : List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes");
                statements.add(PolicyStatement.allow().sid("NamedRoles").principal("AWS", roleArns(1, 2))
                        .actions(actions).resources(queue.arn()).build());
            }
            if (random.chance(0.2)) {
                statements.add(PolicyStatement.allow().sid("OtherAccountSends").principal("AWS", otherRoot())
                        .actions("sqs:SendMessage").resources(queue.arn()).build());
            }
            return PolicyStatement.document(statements);
        }

        /** Returns the root of another account of the organisation, or of the hub outside the bundle in Q. */
        private String otherRoot() {
            String account = otherAccounts.isEmpty() ? org.externalHubAccount : random.pick(otherAccounts);
            return "arn:aws:iam::" + account + ":root";
        }

        /**
         * Returns role ARNs of this account or, for half of the policies, of any account of the organisation (only
         * published roles outside the account in M and L).
         */
        private String[] roleArns(int min, int max) {
            List<String> pool = random.chance(0.5) ? localRoles : allRoles;
            return random.sample(pool, random.between(min, max)).toArray(String[]::new);
        }

        private String[] localRoleArns(int min, int max) {
            return random.sample(localRoles, random.between(min, max)).toArray(String[]::new);
        }
    }
}
