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

    public boolean crossAccount() {
        return resourceAccount != null && !resourceAccount.equals(principal.account());
    }
}
