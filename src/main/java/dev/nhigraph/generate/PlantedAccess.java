package dev.nhigraph.generate;

import dev.nhigraph.generate.ResourceInventory.Kind;
import dev.nhigraph.generate.ResourceInventory.Resource;
import dev.nhigraph.generate.SyntheticAccount.ManagedPolicy;
import dev.nhigraph.generate.SyntheticAccount.Principal;
import dev.nhigraph.generate.SyntheticAccount.Role;
import dev.nhigraph.generate.SyntheticAccount.User;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plants the access decisions of the ground truth that involve resources, SCPs, boundaries and conditions.
 * They cover bucket, key, secret and queue policies across and within accounts, the region guard SCP, the
 * management account's exemption from SCPs, MFA and principal-tag conditions, and a boundary that caps an
 * administrator.
 *
 * <p>In Q all scenario accounts are the same account, so some expected decisions differ from S, and each query
 * states why. Queries by principals of region-guarded accounts carry aws:RequestedRegion=us-east-1 unless the region is
 * the question, so the region guard SCP does not make them CONDITIONAL.
 */
final class PlantedAccess {

    private static final String ALLOWED = "ALLOWED";
    private static final String DENIED = "DENIED";
    private static final String CONDITIONAL = "CONDITIONAL";
    private static final String APPROVED_REGION = "us-east-1";

    private final SyntheticOrg org;
    private final SeededRandom random;
    private final AwsIdentifiers ids;
    private final PlantedPrincipals planted;
    private final ResourcePolicies resourcePolicies;
    private final GroundTruth truth;
    private final SyntheticAccount hub;
    private final SyntheticAccount workload;
    private final SyntheticAccount dev;

    PlantedAccess(SyntheticOrg org, SeededRandom random, AwsIdentifiers ids, PlantedPrincipals planted,
                  ResourcePolicies resourcePolicies, GroundTruth truth) {
        this.org = org;
        this.random = random;
        this.ids = ids;
        this.planted = planted;
        this.resourcePolicies = resourcePolicies;
        this.truth = truth;
        Tier.ScenarioAccounts parts = org.tier.scenarioAccounts();
        this.hub = org.account(parts.hub());
        this.workload = org.account(parts.workload());
        this.dev = org.account(parts.dev());
    }

    void plant() {
        bucketAndRegion();
        keyPolicy();
        multiFactorCondition();
        leaveOrganization();
        principalTags();
        boundaryCapsAdministrator();
        secretDeny();
        queuePolicy();
    }

    /** Plants a bucket of the workload that the hub may read under reports/ only, and a writer that the region guard limits. */
    private void bucketAndRegion() {
        Resource bucket = workload.inventory.add(Kind.BUCKET, "shared-reports-" + workload.id, "", ids);
        Role reader = planted.serviceRole(hub);
        reader.inlinePolicy("read-shared-reports").statements.add(PolicyStatement.allow().sid("ReadReports")
                .actions("s3:GetObject").resources(bucket.arn() + "/*").build());
        resourcePolicies.add(workload, bucket, PolicyStatement.document(PolicyStatement.allow().sid("HubReadsReports")
                .principal("AWS", reader.arn).actions("s3:GetObject").resources(bucket.arn() + "/reports/*").build()));
        boolean same = hub == workload;
        query(reader, hub, "s3:GetObject", bucket.arn() + "/reports/2025-q2.csv", ALLOWED, null,
                "the bucket policy names the reader for reports/* and its identity policy allows s3:GetObject");
        query(reader, hub, "s3:GetObject", bucket.arn() + "/private/payroll.csv", same ? ALLOWED : DENIED,
                same ? null : "implicit", same ? "same account: the identity policy alone allows the bucket's objects"
                        : "cross-account: the bucket policy allows reports/* only");

        Role writer = planted.serviceRole(workload);
        writer.inlinePolicy("write-shared-reports").statements.add(PolicyStatement.allow().sid("WriteReports")
                .actions("s3:PutObject").resources(bucket.arn() + "/*").build());
        String object = bucket.arn() + "/uploads/batch-17.json";
        truth.addQuery(writer.arn, "s3:PutObject", object, Map.of(), CONDITIONAL, null,
                "the region guard SCP denies outside us-east-1 and eu-west-1, and the request names no region");
        truth.addQuery(writer.arn, "s3:PutObject", object, GroundTruth.context("aws:RequestedRegion", "eu-west-1"), ALLOWED, null,
                "eu-west-1 is an approved region");
        truth.addQuery(writer.arn, "s3:PutObject", object, GroundTruth.context("aws:RequestedRegion", "ap-southeast-2"), DENIED,
                "explicit", "the region guard SCP denies ap-southeast-2");
    }

    /** Plants a key whose policy does not delegate to IAM, so only the roles it names may use it. */
    private void keyPolicy() {
        Resource key = hub.inventory.add(Kind.KEY, ids.keyId(), "us-east-1", ids);
        Role administrator = planted.serviceRole(hub);
        Role user = planted.serviceRole(hub);
        Role other = planted.serviceRole(hub);
        other.inlinePolicy("kms-everything").statements.add(PolicyStatement.allow().sid("AllKms").actions("kms:*")
                .resources("*").build());
        resourcePolicies.add(hub, key, PolicyStatement.document(
                PolicyStatement.allow().sid("KeyAdministration").principal("AWS", administrator.arn)
                        .actions(ResourcePolicies.KEY_ADMINISTRATOR_ACTIONS).resources("*").build(),
                PolicyStatement.allow().sid("KeyUse").principal("AWS", user.arn)
                        .actions("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey").resources("*").build()));
        query(user, hub, "kms:Decrypt", key.arn(), ALLOWED, null,
                "the key policy names the role, which is enough within the key's account");
        query(other, hub, "kms:Decrypt", key.arn(), DENIED, "implicit",
                "the key policy does not delegate to IAM, so the identity policy's kms:* does not count");
    }

    private void multiFactorCondition() {
        User user = planted.user(hub);
        user.inlinePolicy("stop-instances").statements.add(PolicyStatement.allow().sid("StopWithMfa")
                .actions("ec2:StopInstances").resources("*").condition("Bool", "aws:MultiFactorAuthPresent", "true").build());
        String instance = "arn:aws:ec2:us-east-1:" + hub.id + ":instance/i-0" + random.hex(16);
        query(user, hub, "ec2:StopInstances", instance, CONDITIONAL, null, "allowed only with MFA, which the request does not state");
        query(user, hub, "ec2:StopInstances", instance, context(hub, "ec2:StopInstances", "aws:MultiFactorAuthPresent", "true"),
                ALLOWED, null, "allowed with MFA");
        query(user, hub, "ec2:StopInstances", instance, context(hub, "ec2:StopInstances", "aws:MultiFactorAuthPresent", "false"),
                DENIED, "implicit", "without MFA no statement allows it");
    }

    /** Plants queries showing that the SCP DenyLeaveOrganization binds member accounts but not the management account. */
    private void leaveOrganization() {
        SyntheticAccount management = org.account("management");
        if (management.plan.exported()) {
            User administrator = planted.user(management);
            administrator.attach(AwsManagedPolicies.ADMINISTRATOR_ACCESS.arn());
            query(administrator, management, "organizations:LeaveOrganization", "*", ALLOWED, null,
                    "SCPs do not apply to the management account");
        }
        Role administrator = planted.admin(workload);
        query(administrator, workload, "organizations:LeaveOrganization", "*", DENIED, "explicit",
                "the SCP DenyLeaveOrganization on the root denies it in member accounts");
    }

    /** Plants one managed policy that allows the payments secrets to principals tagged team=payments. */
    private void principalTags() {
        Resource secret = hub.inventory.add(Kind.SECRET, "payments/ledger/db-password", "us-east-1", ids);
        resourcePolicies.reserve(secret.arn());
        ManagedPolicy policy = planted.policy(hub, "payments-secrets-by-tag", PolicyStatement.allow().sid("PaymentsTeamSecrets")
                .actions("secretsmanager:GetSecretValue").resources("arn:aws:secretsmanager:*:" + hub.id + ":secret:payments/*")
                .condition("StringEquals", "aws:PrincipalTag/team", "payments"));
        Role payments = planted.serviceRole(hub);
        payments.tags.put("team", "payments");
        payments.attach(policy.arn);
        Role search = planted.serviceRole(hub);
        search.tags.put("team", "search");
        search.attach(policy.arn);
        query(payments, hub, "secretsmanager:GetSecretValue", secret.arn(), ALLOWED, null, "the role is tagged team=payments");
        query(search, hub, "secretsmanager:GetSecretValue", secret.arn(), DENIED, "implicit", "the role is tagged team=search");
    }

    private void boundaryCapsAdministrator() {
        User user = planted.user(hub);
        user.attach(AwsManagedPolicies.ADMINISTRATOR_ACCESS.arn());
        user.boundaryArn = planted.boundary(hub).arn;
        query(user, hub, "iam:CreateAccessKey", user.arn, DENIED, "implicit",
                "AdministratorAccess allows it, but the permissions boundary allows only s3, logs, dynamodb and sqs");
        query(user, hub, "s3:ListAllMyBuckets", "*", ALLOWED, null, "both AdministratorAccess and the boundary allow s3:*");
    }

    /** Plants a secret whose policy denies every principal but one. */
    private void secretDeny() {
        Resource secret = hub.inventory.add(Kind.SECRET, "platform/vault/api-key", "us-east-1", ids);
        Role approved = planted.serviceRole(hub);
        Role other = planted.serviceRole(hub);
        for (Role role : List.of(approved, other)) {
            role.inlinePolicy("read-vault-key").statements.add(PolicyStatement.allow().sid("ReadVaultKey")
                    .actions("secretsmanager:GetSecretValue").resources(secret.arn()).build());
        }
        resourcePolicies.add(hub, secret, PolicyStatement.document(PolicyStatement.deny().sid("OnlyApprovedReader")
                .anyPrincipal().actions("secretsmanager:GetSecretValue").resources("*")
                .condition("ArnNotEquals", "aws:PrincipalArn", approved.arn).build()));
        query(approved, hub, "secretsmanager:GetSecretValue", secret.arn(), ALLOWED, null,
                "the secret's Deny exempts this role and its identity policy allows");
        query(other, hub, "secretsmanager:GetSecretValue", secret.arn(), DENIED, "explicit",
                "the secret's policy denies every principal but the approved role");
    }

    /** Plants a queue of the workload that one development role may send to. */
    private void queuePolicy() {
        Resource queue = workload.inventory.add(Kind.QUEUE, "orders-intake", "us-east-1", ids);
        Role sender = planted.serviceRole(dev);
        Role unnamed = planted.serviceRole(dev);
        for (Role role : List.of(sender, unnamed)) {
            role.inlinePolicy("send-orders").statements.add(PolicyStatement.allow().sid("SendOrders")
                    .actions("sqs:SendMessage").resources(queue.arn()).build());
        }
        resourcePolicies.add(workload, queue, PolicyStatement.document(PolicyStatement.allow().sid("DevSendsOrders")
                .principal("AWS", sender.arn).actions("sqs:SendMessage").resources(queue.arn()).build()));
        boolean same = dev == workload;
        query(sender, dev, "sqs:SendMessage", queue.arn(), ALLOWED, null, "the queue policy names the sender");
        query(unnamed, dev, "sqs:SendMessage", queue.arn(), same ? ALLOWED : DENIED, same ? null : "implicit",
                same ? "same account: the identity policy alone allows it"
                        : "cross-account: the queue policy does not name this role");
    }

    /** Adds a query whose context holds only the approved region, when the principal's account needs one. */
    private void query(Principal principal, SyntheticAccount account, String action, String resource, String decision,
                       String denial, String reason) {
        query(principal, account, action, resource, context(account, action), decision, denial, reason);
    }

    private void query(Principal principal, SyntheticAccount account, String action, String resource,
                       Map<String, List<String>> context, String decision, String denial, String reason) {
        truth.addQuery(principal.arn, action, resource, context, decision, denial, reason);
    }

    /** Returns aws:RequestedRegion=us-east-1 when the region guard applies, then the given keys and values. */
    private Map<String, List<String>> context(SyntheticAccount account, String action, String... keysAndValues) {
        Map<String, List<String>> context = new LinkedHashMap<>();
        if (org.needsRegion(account, action)) {
            context.put("aws:RequestedRegion", List.of(APPROVED_REGION));
        }
        context.putAll(GroundTruth.context(keysAndValues));
        return context;
    }
}
