package dev.nhigraph.aws.resource;

/**
 * The resource-based policy of one AWS resource, such as a bucket policy or a key policy.
 *
 * @param resourceArn the ARN of the resource that the policy is attached to
 * @param service     the service prefix of the ARN: s3, kms, lambda, secretsmanager, sqs, sns or ecr
 * @param account     the account that owns the resource; null for an S3 bucket unless the layout gives it,
 *                    because bucket ARNs contain no account
 * @param region      the region of the resource; null for S3
 * @param name        the resource's name: bucket, key id, function, secret, queue, topic or repository name
 * @param document    the policy as compact JSON
 * @param file        the file the policy was read from
 */
public record ResourcePolicy(String resourceArn, String service, String account, String region, String name,
                             String document, String file) {

    /** Returns the id of the policy's AwsPolicy node: the resource ARN followed by {@code #resource-policy}. */
    public String policyId() {
        return resourceArn + "#resource-policy";
    }
}
