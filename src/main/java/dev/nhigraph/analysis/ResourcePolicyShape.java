package dev.nhigraph.analysis;

import dev.nhigraph.analysis.AwsProjection.ResourceNode;
import dev.nhigraph.aws.TrustedPrincipal;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.Statement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The part of a resource policy that decides access for every principal it does not name by user or role ARN.
 *
 * <p>An Allow statement whose principals are only user and role ARNs or services matches no other loaded user or
 * role, so for every other candidate the policy acts through its remaining statements. Those are kept here with
 * the resource's own ARN replaced by a placeholder in their Resource elements, together with the actions the
 * policy covers and the object patterns of a bucket. Two resources of one account and service with equal shapes
 * give every such candidate the same decision, provided the candidate's own policies do not depend on the
 * resource ({@link ResourceAccessAnalysis} checks that per candidate).
 *
 * <p>The evaluator sees a resource only through its ARN, its account ({@code aws:ResourceAccount}) and its policy.
 * A pattern that starts with the resource's ARN matches an ARN that starts with it exactly as the rest of the
 * pattern matches the rest of the ARN, because ARNs contain no wildcard characters. Any other pattern except
 * {@code "*"} could match one member and not another, so a policy with one in a kept statement has no shape.
 */
record ResourcePolicyShape(String key, String account, String service, List<String> actions) {

    private static final String OWN_ARN = "${resource}";

    /**
     * Returns the shape of {@code resource}'s policy, or null when the policy cannot share decisions with another
     * resource's: it has an Allow statement with NotPrincipal, or a kept statement names another resource.
     *
     * @param actions    the catalogue actions of the resource's service that the policy's Allow statements cover
     * @param objectArns the object ARNs that decisions on a bucket try, in order
     */
    static ResourcePolicyShape of(ResourceNode resource, String service, Policy policy, List<String> actions,
                                  List<String> objectArns, Map<String, String> rolesByKey) {
        String own = resource.arn();
        StringBuilder key = new StringBuilder();
        key.append(resource.account()).append('\n').append(service).append('\n').append(actions).append('\n');
        for (String objectArn : objectArns) {
            key.append(OWN_ARN).append(objectArn.substring(own.length())).append(' ');
        }
        key.append('\n');
        for (Statement statement : policy.statements()) {
            if (statement.allow() && statement.notPrincipal()) {
                return null;
            }
            if (namesOnlyUsersRolesOrServices(statement, rolesByKey)) {
                continue;
            }
            List<String> resources = new ArrayList<>();
            for (String pattern : statement.resources()) {
                if (pattern.equals("*")) {
                    resources.add(pattern);
                } else if (pattern.startsWith(own) && (pattern.length() == own.length() || pattern.charAt(own.length()) == '/')) {
                    resources.add(OWN_ARN + pattern.substring(own.length()));
                } else {
                    return null;
                }
            }
            // Every field that a decision or its evidence reads goes into the key, the index and Sid included.
            key.append(statement.index()).append('|').append(statement.sid()).append('|').append(statement.allow())
                    .append('|').append(statement.notAction()).append(statement.actions())
                    .append('|').append(statement.notResource()).append(resources)
                    .append('|').append(statement.notPrincipal()).append(statement.principals())
                    .append('|').append(statement.condition()).append('\n');
        }
        return new ResourcePolicyShape(key.toString(), resource.account(), service, actions);
    }

    /**
     * Tells whether an Allow statement names only users, roles and services, so that it matches no loaded user or
     * role besides those it names.
     */
    static boolean namesOnlyUsersRolesOrServices(Statement statement, Map<String, String> rolesByKey) {
        if (!statement.allow() || statement.notPrincipal() || statement.principals().isEmpty()) {
            return false;
        }
        for (Map.Entry<String, List<String>> entry : statement.principals().entrySet()) {
            for (String value : entry.getValue()) {
                TrustedPrincipal named = TrustedPrincipal.of(entry.getKey(), value, rolesByKey);
                String kind = named == null ? null : named.kind();
                if (!"AwsUser".equals(kind) && !"AwsRole".equals(kind) && !"AwsServicePrincipal".equals(kind)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Returns a short id for a set of resources of this shape: account, service and a hash of the key. */
    String setId() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "aws-resources:" + account + ":" + service + ":" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }
}
