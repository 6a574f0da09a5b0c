package dev.nhigraph.aws;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A principal named in the Principal element of a trust policy, mapped to the node that represents it.
 *
 * @param id      the node id: an IAM ARN, a 12-digit account id, a service name, a provider ARN or host, or "*"
 * @param kind    the node label: AwsUser, AwsRole, AwsAccount, AwsServicePrincipal, FederatedProvider,
 *                AnyPrincipal, or AwsUniqueId for the unique id AWS shows in place of a deleted principal
 * @param account the owning account, or null for services, providers outside IAM and "*"
 */
public record TrustedPrincipal(String id, String kind, String name, String account) {

    private static final Pattern ACCOUNT_ID = Pattern.compile("^\\d{12}$");
    private static final Pattern IAM_ARN = Pattern.compile("^arn:([a-z-]+):iam::(\\d{12}):(root|user/.+|role/.+|group/.+|(?:oidc|saml)-provider/.+)$");
    private static final Pattern SESSION_ARN = Pattern.compile("^arn:([a-z-]+):sts::(\\d{12}):assumed-role/([^/]+)/.+$");
    private static final Pattern UNIQUE_ID = Pattern.compile("^A[A-Z]{3}[A-Z0-9]{12,}$");

    /**
     * Maps one entry of a trust policy's Principal element.
     *
     * @param type       AWS, Service, Federated, CanonicalUser, or "*" for a bare {@code "Principal": "*"}
     * @param rolesByKey loaded roles by "ACCOUNT/NAME", to resolve role session ARNs to their role's real path
     * @return the principal, or null for CanonicalUser, which only S3 uses
     */
    public static TrustedPrincipal of(String type, String value, Map<String, String> rolesByKey) {
        if (value.equals("*")) {
            return new TrustedPrincipal("*", "AnyPrincipal", "* (any principal)", null);
        }
        switch (type) {
            case "Service":
                return new TrustedPrincipal(value, "AwsServicePrincipal", value, null);
            case "Federated":
                return federated(value);
            case "CanonicalUser":
                return null;
            default:
                return aws(value, rolesByKey);
        }
    }

    private static TrustedPrincipal federated(String value) {
        Matcher arn = IAM_ARN.matcher(value);
        String account = arn.matches() ? arn.group(2) : null;
        String name = value.contains("/") ? value.substring(value.indexOf('/') + 1) : value;
        return new TrustedPrincipal(value, "FederatedProvider", name, account);
    }

    private static TrustedPrincipal aws(String value, Map<String, String> rolesByKey) {
        if (ACCOUNT_ID.matcher(value).matches()) {
            return new TrustedPrincipal(value, "AwsAccount", value, value);
        }
        Matcher session = SESSION_ARN.matcher(value);
        if (session.matches()) {
            String account = session.group(2);
            String roleName = session.group(3);
            String roleArn = rolesByKey.getOrDefault(account + "/" + roleName,
                    "arn:" + session.group(1) + ":iam::" + account + ":role/" + roleName);
            return new TrustedPrincipal(roleArn, "AwsRole", roleName, account);
        }
        Matcher arn = IAM_ARN.matcher(value);
        if (arn.matches()) {
            String account = arn.group(2);
            String resource = arn.group(3);
            if (resource.equals("root")) {
                return new TrustedPrincipal(account, "AwsAccount", account, account);
            }
            String kind = resource.startsWith("user/") ? "AwsUser" : resource.startsWith("role/") ? "AwsRole"
                    : resource.startsWith("group/") ? "AwsGroup" : "FederatedProvider";
            return new TrustedPrincipal(value, kind, resource.substring(resource.lastIndexOf('/') + 1), account);
        }
        if (UNIQUE_ID.matcher(value).matches()) {
            // AWS replaces the ARN with the principal's unique id once that principal is deleted. Recreating a
            // principal with the same name does not restore the trust.
            return new TrustedPrincipal(value, "AwsUniqueId", value + " (deleted principal)", null);
        }
        return new TrustedPrincipal(value, "AwsPrincipal", value, null);
    }
}
