package dev.nhigraph.policy.eval;

import java.util.Map;

/**
 * The principal that signs a request, as far as an offline model knows it.
 *
 * @param arn           the IAM user or role ARN (for a role, its ARN rather than a session ARN)
 * @param kind          what signs the request
 * @param account       the 12-digit account id
 * @param name          the user or role name, for {@code ${aws:username}} and session ARNs
 * @param uniqueId      the AIDA... or AROA... id, or null
 * @param tags          the principal's tags; every tag is known, so a missing one is known to be absent
 * @param serviceLinked true for a role under {@code /aws-service-role/}, to which SCPs do not apply
 * @param sessionName   the role session name when known, or null (then a session ARN naming a specific session
 *                      is unresolved)
 */
public record RequestPrincipal(String arn, Kind kind, String account, String name, String uniqueId,
                               Map<String, String> tags, boolean serviceLinked, String sessionName) {

    public enum Kind { USER, ROLE_SESSION, SERVICE, ANONYMOUS }

    /** Returns the {@code aws:PrincipalType} value AWS sets for this kind. */
    public String principalType() {
        return switch (kind) {
            case USER -> "User";
            case ROLE_SESSION -> "AssumedRole";
            case SERVICE -> "AWSService";
            case ANONYMOUS -> "Anonymous";
        };
    }

    /** Returns the ARN the request carries in {@code aws:PrincipalArn}: the role ARN for a role session. */
    public String principalArn() {
        return arn;
    }

    /** Returns the role session ARN, with {@code *} for an unknown session name. */
    public String sessionArn() {
        if (kind != Kind.ROLE_SESSION) {
            return arn;
        }
        String partition = arn.split(":", 3)[1];
        return "arn:" + partition + ":sts::" + account + ":assumed-role/" + name + "/" + (sessionName == null ? "*" : sessionName);
    }
}
