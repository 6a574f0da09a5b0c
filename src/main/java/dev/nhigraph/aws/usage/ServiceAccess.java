package dev.nhigraph.aws.usage;

import java.util.List;

/**
 * The services that a user, group or role's policies allow, each with when the principal last used it, from
 * {@code aws iam get-service-last-accessed-details}.
 *
 * @param principal the principal's ARN
 * @param reportAt  when IAM finished the report (JobCompletionDate), as printed
 * @param services  every service the policies allow, in the report's order
 */
public record ServiceAccess(String principal, String reportAt, List<ServiceUse> services) {

    /**
     * A service that the principal may use.
     *
     * @param namespace         the service prefix of its actions, such as {@code s3}
     * @param lastAuthenticated when the principal last authenticated to it, as printed, or null when it never did
     *                          within IAM's tracking period
     */
    public record ServiceUse(String namespace, String lastAuthenticated) {
    }
}
