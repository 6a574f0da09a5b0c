package dev.nhigraph.policy.eval;

/**
 * One request to decide: who, what action, on which resource, and what else is known about it.
 *
 * @param resourceArn     the resource ARN, or "*" for actions that take no resource
 * @param resourceAccount the account that owns the resource, or null when the ARN does not say (S3 buckets)
 *                        and no loaded resource tells
 * @param context         values of condition keys supplied by the caller, such as aws:MultiFactorAuthPresent;
 *                        keys derived from the principal and resource are added by the evaluator
 */
public record AccessRequest(RequestPrincipal principal, String action, String resourceArn, String resourceAccount,
                            ConditionContext context) {

    /**
     * Tells whether the caller and the resource belong to different accounts. An anonymous caller or a service has
     * no account, so for them the resource policy alone decides, as for a caller in the resource's own account.
     */
    public boolean crossAccount() {
        return resourceAccount != null && principal.account() != null && !resourceAccount.equals(principal.account());
    }
}
