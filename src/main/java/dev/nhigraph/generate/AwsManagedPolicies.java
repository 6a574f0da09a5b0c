package dev.nhigraph.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The AWS-managed policies that synthetic principals attach. An authorization-details export contains the
 * documents of the AWS-managed policies attached in the account, so every account's file carries the ones it uses.
 *
 * <p>NOTE: the documents are abbreviated stand-ins written for this generator, with the same kind of grants as
 * the AWS policies of the same name (AdministratorAccess is exact, PowerUserAccess keeps its NotAction shape); the
 * real ReadOnlyAccess and service-role policies list many more actions. Ids and dates are synthetic as well.
 */
final class AwsManagedPolicies {

    /** One AWS-managed policy; {@code grantsAssumeAny} is set when it allows sts:AssumeRole on every resource. */
    record AwsManagedPolicy(String name, String path, String arn, String policyId, ObjectNode document,
                            boolean grantsAssumeAny) {
    }

    static final AwsManagedPolicy ADMINISTRATOR_ACCESS = policy("AdministratorAccess", "/", true,
            PolicyStatement.allow().actions("*").resources("*"));
    static final AwsManagedPolicy POWER_USER_ACCESS = policy("PowerUserAccess", "/", true,
            PolicyStatement.allow().notActions("iam:*", "organizations:*", "account:*").resources("*"),
            PolicyStatement.allow().actions("iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:ListRoles",
                    "organizations:DescribeOrganization", "account:ListRegions", "account:GetAccountInformation").resources("*"));
    static final AwsManagedPolicy READ_ONLY_ACCESS = policy("ReadOnlyAccess", "/", false,
            PolicyStatement.allow().actions("cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*",
                    "dynamodb:Describe*", "dynamodb:List*", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan",
                    "ec2:Describe*", "ecr:Describe*", "ecr:List*", "iam:Get*", "iam:List*", "kms:Describe*",
                    "kms:List*", "lambda:Get*", "lambda:List*", "logs:Describe*", "logs:Get*", "s3:Get*", "s3:List*",
                    "secretsmanager:Describe*", "secretsmanager:List*", "sns:Get*", "sns:List*", "sqs:Get*",
                    "sqs:List*", "ssm:Describe*", "ssm:Get*", "ssm:List*").resources("*"));
    static final AwsManagedPolicy SECURITY_AUDIT = policy("SecurityAudit", "/", false,
            PolicyStatement.allow().actions("cloudtrail:Describe*", "cloudtrail:GetTrailStatus", "config:Describe*",
                    "ec2:Describe*", "iam:GenerateCredentialReport", "iam:Get*", "iam:List*", "kms:Describe*",
                    "kms:GetKeyPolicy", "kms:List*", "organizations:Describe*", "organizations:List*",
                    "s3:GetBucketAcl", "s3:GetBucketPolicy", "s3:ListAllMyBuckets", "sqs:GetQueueAttributes",
                    "secretsmanager:GetResourcePolicy").resources("*"));
    static final AwsManagedPolicy S3_READ_ONLY = policy("AmazonS3ReadOnlyAccess", "/", false,
            PolicyStatement.allow().actions("s3:Get*", "s3:List*", "s3:Describe*").resources("*"));
    static final AwsManagedPolicy LAMBDA_BASIC_EXECUTION = policy("AWSLambdaBasicExecutionRole", "/service-role/", false,
            PolicyStatement.allow().actions("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents").resources("*"));
    static final AwsManagedPolicy SSM_MANAGED_INSTANCE_CORE = policy("AmazonSSMManagedInstanceCore", "/", false,
            PolicyStatement.allow().actions("ssm:DescribeAssociation", "ssm:GetDocument", "ssm:ListAssociations",
                    "ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel", "ec2messages:GetMessages",
                    "ec2messages:AcknowledgeMessage", "ec2messages:SendReply").resources("*"));
    static final AwsManagedPolicy ECR_READ_ONLY = policy("AmazonEC2ContainerRegistryReadOnly", "/", false,
            PolicyStatement.allow().actions("ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
                    "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "ecr:DescribeRepositories", "ecr:ListImages",
                    "ecr:DescribeImages").resources("*"));
    static final AwsManagedPolicy SUPPORT_SERVICE_ROLE = policy("AWSSupportServiceRolePolicy", "/aws-service-role/", false,
            PolicyStatement.allow().actions("ec2:Describe*", "iam:GetAccountSummary", "iam:ListRoles", "rds:Describe*",
                    "s3:GetBucketLocation", "s3:ListAllMyBuckets", "support:*").resources("*"));
    static final AwsManagedPolicy TRUSTED_ADVISOR_SERVICE_ROLE = policy("AWSTrustedAdvisorServiceRolePolicy",
            "/aws-service-role/", false,
            PolicyStatement.allow().actions("autoscaling:Describe*", "cloudtrail:DescribeTrails", "ec2:Describe*",
                    "iam:GenerateCredentialReport", "iam:GetAccountSummary", "s3:GetBucketPolicyStatus",
                    "s3:ListAllMyBuckets").resources("*"));

    static final List<AwsManagedPolicy> ALL = List.of(ADMINISTRATOR_ACCESS, POWER_USER_ACCESS, READ_ONLY_ACCESS,
            SECURITY_AUDIT, S3_READ_ONLY, LAMBDA_BASIC_EXECUTION, SSM_MANAGED_INSTANCE_CORE, ECR_READ_ONLY,
            SUPPORT_SERVICE_ROLE, TRUSTED_ADVISOR_SERVICE_ROLE);

    private static final Map<String, AwsManagedPolicy> BY_ARN = new TreeMap<>();

    static {
        ALL.forEach(policy -> BY_ARN.put(policy.arn(), policy));
    }

    private AwsManagedPolicies() {
    }

    /** Returns the policy with this ARN, or null when the ARN is not of an AWS-managed policy listed here. */
    static AwsManagedPolicy byArn(String arn) {
        return BY_ARN.get(arn);
    }

    private static AwsManagedPolicy policy(String name, String path, boolean grantsAssumeAny, PolicyStatement... statements) {
        // The id depends on the name only, so the same policy has the same id in every account and every bundle.
        SeededRandom idSource = new SeededRandom(name.hashCode());
        List<ObjectNode> built = java.util.Arrays.stream(statements).map(PolicyStatement::build).toList();
        return new AwsManagedPolicy(name, path, "arn:aws:iam::aws:policy" + path + name,
                "ANPA" + idSource.upperAlphanumeric(17), PolicyStatement.document(built), grantsAssumeAny);
    }
}
