package dev.nhigraph.aws;

import dev.nhigraph.policy.eval.ConditionContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The identities of an OIDC or SAML provider that one trust statement admits to a role, as its conditions name
 * them: one value of the provider's {@code sub} condition, or every subject when the statement leaves {@code sub}
 * open.
 *
 * @param id             the node id: the condition key and pattern, such as
 *                       {@code token.actions.githubusercontent.com:sub=repo:acme/app:ref:refs/heads/main}, so that
 *                       every role trusting the same subject of the same issuer shares one node
 * @param provider       the Federated principal as written: a provider ARN or a web identity host
 * @param providerKind   github, eks, oidc or saml
 * @param conditionKey   the subject's condition key, such as {@code token.actions.githubusercontent.com:sub} or
 *                       {@code SAML:sub}
 * @param operator       the condition operator that names the pattern, or null when no positive operator names it
 * @param pattern        the {@code sub} value as written, or {@code *} when the statement leaves {@code sub} open
 * @param wildcard       true when the operator is a Like operator, so {@code *} and {@code ?} in the pattern match
 * @param anySubject     true when every subject of the provider can match, or (GitHub) any repository of any owner
 * @param audiences      the values of the provider's {@code aud} condition under positive operators; empty when
 *                       the statement does not test {@code aud}
 * @param excluded       the {@code sub} values of negated operators such as StringNotLike
 * @param repository     GitHub: {@code OWNER/REPO} as written, possibly with wildcards; null otherwise
 * @param ref            GitHub: the Git ref after {@code :ref:}, such as {@code refs/heads/main}; null otherwise
 * @param environment    GitHub: the deployment environment after {@code :environment:}; null otherwise
 * @param context        GitHub: what follows the repository when it is neither a ref nor an environment, such as
 *                       {@code pull_request} or {@code *}; null otherwise
 * @param namespace      EKS: the Kubernetes namespace; null otherwise
 * @param serviceAccount EKS: the service account name; null otherwise
 * @param description    who the subject is, in one phrase, such as "any repository on GitHub"
 */
public record FederatedSubject(String id, String provider, String providerKind, String conditionKey, String operator,
                               String pattern, boolean wildcard, boolean anySubject, List<String> audiences,
                               List<String> excluded, String repository, String ref, String environment, String context,
                               String namespace, String serviceAccount, String description) {

    /** The audience that GitHub Actions and EKS request for AWS, and that AWS documents for their trust policies. */
    public static final String STS_AUDIENCE = "sts.amazonaws.com";

    /** Returns the protocol of the provider: saml for SAML providers, oidc for every other kind. */
    public String protocol() {
        return providerKind.equals("saml") ? "saml" : "oidc";
    }

    /** Returns the STS action that signs in with this provider's tokens. */
    public String assumeAction() {
        return providerKind.equals("saml") ? "sts:AssumeRoleWithSAML" : "sts:AssumeRoleWithWebIdentity";
    }

    /** Tells whether the statement's audience condition admits the audience AWS documents for this provider kind. */
    public boolean standardAudience() {
        return !documentedAudience() || audiences.isEmpty() || audiences.contains(STS_AUDIENCE);
    }

    private boolean documentedAudience() {
        return providerKind.equals("github") || providerKind.equals("eks");
    }

    /**
     * Returns the condition values of a token of this subject, for the evaluator: the pattern for the subject
     * key (unknown when the statement leaves it open) and the expected audience. Every other key is unknown, so
     * a condition on it leaves the decision conditional.
     */
    public ConditionContext conditionContext() {
        String audienceKey = conditionKey.substring(0, conditionKey.length() - "sub".length()) + "aud";
        List<String> subject = operator == null ? null : List.of(pattern);
        // A statement without an aud test does not read the key. Otherwise the token is taken to carry the
        // documented audience where the statement admits it, and the statement's first audience where not.
        List<String> audience = audiences.isEmpty() ? null
                : audiences.contains(STS_AUDIENCE) && documentedAudience() ? List.of(STS_AUDIENCE) : List.of(audiences.get(0));
        return key -> {
            if (key.equalsIgnoreCase(conditionKey)) {
                return subject;
            }
            return key.equalsIgnoreCase(audienceKey) ? audience : null;
        };
    }

    /** Returns the node properties, without the id; null values are left out. */
    public Map<String, Object> properties() {
        Map<String, Object> props = new HashMap<>();
        props.put("name", description);
        props.put("provider", provider);
        props.put("providerKind", providerKind);
        props.put("protocol", protocol());
        props.put("conditionKey", conditionKey);
        props.put("pattern", pattern);
        props.put("wildcard", wildcard);
        props.put("anySubject", anySubject);
        putIfPresent(props, "repository", repository);
        putIfPresent(props, "ref", ref);
        putIfPresent(props, "environment", environment);
        putIfPresent(props, "context", context);
        putIfPresent(props, "namespace", namespace);
        putIfPresent(props, "serviceAccount", serviceAccount);
        return props;
    }

    private static void putIfPresent(Map<String, Object> props, String key, String value) {
        if (value != null) {
            props.put(key, value);
        }
    }
}
