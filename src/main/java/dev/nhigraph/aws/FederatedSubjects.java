package dev.nhigraph.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.policy.Statement;
import dev.nhigraph.policy.Wildcards;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves which identities of an OIDC or SAML provider a trust statement admits, from the statement's
 * {@code sub} and {@code aud} conditions.
 *
 * <p>An OIDC provider's condition keys are its URL without {@code https://}, followed by {@code :sub} or
 * {@code :aud}, such as {@code token.actions.githubusercontent.com:sub} in GitHub's guide "Configuring OpenID Connect
 * in Amazon Web Services". SAML providers share the keys {@code SAML:sub} and {@code SAML:aud}. Values under Like
 * operators are wildcard patterns, and values under StringEquals compare literally.
 *
 * <p>A subject is "any subject" when the statement does not constrain {@code sub} with a positive operator, or
 * constrains it with a pattern that matches everything the provider issues. For GitHub Actions, whose default
 * {@code sub} is {@code repo:OWNER/REPO:...}, a pattern whose owner part contains a wildcard also counts, because
 * anyone can create a GitHub account or organisation whose name matches it.
 */
public final class FederatedSubjects {

    private static final Pattern PROVIDER_ARN = Pattern.compile("^arn:[a-z-]+:iam::\\d{12}:(oidc|saml)-provider/(.+)$");
    private static final Pattern EKS_ISSUER = Pattern.compile("^oidc\\.eks\\.[a-z0-9-]+\\.amazonaws\\.com/id/.+$");
    private static final String GITHUB_ISSUER = "token.actions.githubusercontent.com";
    private static final String EKS_SUBJECT_PREFIX = "system:serviceaccount:";

    private FederatedSubjects() {
    }

    /** A provider named by a Federated principal: its kind and the prefix of its condition keys. */
    record Provider(String id, String kind, String keyPrefix, boolean builtIn) {
    }

    /** The values that one operator gives one condition key. */
    record Constraint(String operator, boolean wildcard, List<String> values) {
    }

    /**
     * Returns the subjects that an Allow statement admits through the Federated principal {@code provider}, or an
     * empty list when the statement is not an Allow of {@code sts:AssumeRoleWithWebIdentity} (OIDC) or
     * {@code sts:AssumeRoleWithSAML} (SAML) by Principal.
     */
    public static List<FederatedSubject> admittedBy(String provider, Statement statement) {
        Provider parsed = provider(provider);
        String action = parsed.kind().equals("saml") ? "sts:AssumeRoleWithSAML" : "sts:AssumeRoleWithWebIdentity";
        if (!statement.allow() || statement.notPrincipal() || !statement.coversAction(action)) {
            return List.of();
        }
        String subjectKey = parsed.keyPrefix() + "sub";
        List<Constraint> subjectConstraints = constraints(statement.condition(), subjectKey);
        List<String> audiences = positiveValues(constraints(statement.condition(), parsed.keyPrefix() + "aud"));
        List<String> excluded = new ArrayList<>();
        List<Constraint> positive = new ArrayList<>();
        for (Constraint constraint : subjectConstraints) {
            if (negated(constraint.operator())) {
                excluded.addAll(constraint.values());
            } else if (!constraint.operator().startsWith("Null")) {
                positive.add(constraint);
            }
        }

        List<FederatedSubject> subjects = new ArrayList<>();
        if (positive.isEmpty()) {
            subjects.add(subject(parsed, subjectKey, null, "*", true, audiences, excluded));
            return subjects;
        }
        // Several positive operators on sub must all hold. The most literal one names the subjects, and the
        // evaluator drops those that the others reject.
        // NOTE: a subject whose own pattern fails another Like pattern is dropped even when the two patterns
        // overlap, such as repo:acme/* under one operator and repo:acme/app:* under another.
        Constraint primary = positive.stream().filter(c -> c.values().stream().noneMatch(Wildcards::hasWildcard))
                .findFirst().orElse(positive.get(0));
        for (String value : primary.values()) {
            subjects.add(subject(parsed, subjectKey, primary.operator(), value, primary.wildcard(), audiences, excluded));
        }
        return subjects;
    }

    /** Maps a Federated principal to its kind and the prefix of its condition keys. */
    static Provider provider(String federated) {
        Matcher arn = PROVIDER_ARN.matcher(federated);
        if (arn.matches() && arn.group(1).equals("saml")) {
            return new Provider(federated, "saml", "SAML:", false);
        }
        String issuer = arn.matches() ? arn.group(2) : federated;
        boolean builtIn = !arn.matches();
        if (issuer.equals(GITHUB_ISSUER) || issuer.startsWith(GITHUB_ISSUER + "/")) {
            return new Provider(federated, "github", issuer + ":", builtIn);
        }
        if (EKS_ISSUER.matcher(issuer).matches()) {
            return new Provider(federated, "eks", issuer + ":", builtIn);
        }
        return new Provider(federated, "oidc", issuer + ":", builtIn);
    }

    /** Returns the constraints on {@code key} in a Condition block, comparing key names ignoring case. */
    static List<Constraint> constraints(JsonNode condition, String key) {
        List<Constraint> found = new ArrayList<>();
        if (condition == null || !condition.isObject()) {
            return found;
        }
        for (Iterator<Map.Entry<String, JsonNode>> operators = condition.fields(); operators.hasNext(); ) {
            Map.Entry<String, JsonNode> operator = operators.next();
            if (!operator.getValue().isObject()) {
                continue;
            }
            String base = baseOperator(operator.getKey());
            if (!base.startsWith("String") && !base.equals("Null")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> keys = operator.getValue().fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = keys.next();
                if (entry.getKey().equalsIgnoreCase(key)) {
                    found.add(new Constraint(operator.getKey(), base.contains("Like"), textValues(entry.getValue())));
                }
            }
        }
        return found;
    }

    /** Returns the operator without the ForAnyValue: or ForAllValues: prefix and the IfExists suffix. */
    private static String baseOperator(String operator) {
        String base = operator.contains(":") ? operator.substring(operator.indexOf(':') + 1) : operator;
        return base.endsWith("IfExists") ? base.substring(0, base.length() - "IfExists".length()) : base;
    }

    private static boolean negated(String operator) {
        return baseOperator(operator).startsWith("StringNot");
    }

    private static List<String> positiveValues(List<Constraint> constraints) {
        List<String> values = new ArrayList<>();
        for (Constraint constraint : constraints) {
            if (!negated(constraint.operator()) && !constraint.operator().startsWith("Null")) {
                values.addAll(constraint.values());
            }
        }
        return values;
    }

    private static List<String> textValues(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(value -> values.add(value.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }

    private static FederatedSubject subject(Provider provider, String subjectKey, String operator, String pattern,
                                            boolean wildcard, List<String> audiences, List<String> excluded) {
        Builder builder = new Builder(provider, subjectKey, operator, pattern, wildcard, audiences, excluded);
        switch (provider.kind()) {
            case "github" -> builder.github();
            case "eks" -> builder.eks();
            default -> builder.generic();
        }
        return builder.build();
    }

    /** Collects the parts of one subject; the provider kind decides how the pattern is read. */
    private static final class Builder {

        private final Provider provider;
        private final String subjectKey;
        private final String operator;
        private final String pattern;
        private final boolean wildcard;
        private final List<String> audiences;
        private final List<String> excluded;
        private boolean anySubject;
        private String repository;
        private String ref;
        private String environment;
        private String context;
        private String namespace;
        private String serviceAccount;
        private String description;

        Builder(Provider provider, String subjectKey, String operator, String pattern, boolean wildcard,
                List<String> audiences, List<String> excluded) {
            this.provider = provider;
            this.subjectKey = subjectKey;
            this.operator = operator;
            this.pattern = pattern;
            this.wildcard = wildcard;
            this.audiences = List.copyOf(audiences);
            this.excluded = List.copyOf(excluded);
        }

        /** Reads GitHub's default subject format, {@code repo:OWNER/REPO:ref:REF}, {@code :environment:NAME} or {@code :EVENT}. */
        void github() {
            if (operator == null || matchesEverything()) {
                any("any repository on GitHub");
                return;
            }
            if (!pattern.startsWith("repo:")) {
                // NOTE: a customised subject format (such as one starting with repository_owner) is not parsed, so
                // a wildcard in it is reported as any repository even where a literal part fixes the owner.
                if (wildcard && Wildcards.hasWildcard(pattern)) {
                    any("any repository on GitHub (subject format not recognised: " + pattern + ")");
                } else {
                    description = "GitHub subject " + pattern;
                }
                return;
            }

            String rest = pattern.substring("repo:".length());
            int slash = rest.indexOf('/');
            int colon = rest.indexOf(':');
            boolean ownerEnds = slash >= 0 && (colon < 0 || slash < colon);
            String owner = ownerEnds ? rest.substring(0, slash) : colon >= 0 ? rest.substring(0, colon) : rest;
            if (wildcard && Wildcards.hasWildcard(owner)) {
                any("any repository on GitHub (owner pattern " + owner + ")");
                return;
            }
            if (!ownerEnds) {
                description = "GitHub subject " + pattern;
                return;
            }

            String afterOwner = rest.substring(slash + 1);
            int end = afterOwner.indexOf(':');
            String name = end < 0 ? afterOwner : afterOwner.substring(0, end);
            repository = owner + "/" + name;
            if (wildcard && Wildcards.hasWildcard(name)) {
                // A * in the repository name also spans what follows, so no ref or environment can be read.
                description = "repositories " + repository + " of owner " + owner;
                return;
            }

            String tail = end < 0 ? null : afterOwner.substring(end + 1);
            description = "repository " + repository + githubContext(tail);
        }

        private String githubContext(String tail) {
            if (tail == null) {
                return "";
            }
            if (tail.startsWith("ref:")) {
                ref = tail.substring("ref:".length());
                String branch = ref.startsWith("refs/heads/") ? "branch " + ref.substring("refs/heads/".length())
                        : ref.startsWith("refs/tags/") ? "tag " + ref.substring("refs/tags/".length()) : "ref " + ref;
                return ", " + branch;
            }
            if (tail.startsWith("environment:")) {
                environment = tail.substring("environment:".length());
                return ", environment " + environment;
            }
            context = tail;
            if (tail.equals("pull_request")) {
                return ", pull requests";
            }
            return wildcard && tail.equals("*") ? ", any branch, tag, environment or event" : ", " + tail;
        }

        /** Reads the EKS subject format {@code system:serviceaccount:NAMESPACE:NAME}. */
        void eks() {
            if (operator == null || matchesEverything()) {
                any("any service account of the cluster");
                return;
            }
            if (!pattern.startsWith(EKS_SUBJECT_PREFIX)) {
                if (wildcard && Wildcards.hasWildcard(pattern.substring(0, Math.min(pattern.length(), EKS_SUBJECT_PREFIX.length())))) {
                    any("any service account of the cluster (pattern " + pattern + ")");
                } else {
                    description = "cluster subject " + pattern;
                }
                return;
            }
            String rest = pattern.substring(EKS_SUBJECT_PREFIX.length());
            int colon = rest.indexOf(':');
            namespace = colon < 0 ? rest : rest.substring(0, colon);
            serviceAccount = colon < 0 ? null : rest.substring(colon + 1);
            if (wildcard && Wildcards.hasWildcard(namespace)) {
                any("any service account of the cluster (namespace pattern " + namespace + ")");
                return;
            }
            description = serviceAccount == null ? "service accounts " + pattern
                    : "service account " + serviceAccount + " in namespace " + namespace;
        }

        /** Takes the subject as written, for OIDC providers other than GitHub and EKS, and for SAML providers. */
        void generic() {
            String who = provider.kind().equals("saml") ? "any user the identity provider sends" : "any subject of the provider";
            if (operator == null || matchesEverything()) {
                any(who);
                return;
            }
            if (provider.builtIn() && audiences.isEmpty()) {
                // A web identity host such as accounts.google.com has no client id list in IAM, so without an aud
                // condition a token issued to any application of that provider is accepted.
                any("subject " + pattern + " of any application of the provider");
                return;
            }
            description = "subject " + pattern;
        }

        private boolean matchesEverything() {
            return wildcard && !pattern.isEmpty() && pattern.chars().allMatch(c -> c == '*');
        }

        private void any(String text) {
            anySubject = true;
            description = text;
            if (operator == null && provider.builtIn() && audiences.isEmpty() && provider.kind().equals("oidc")) {
                description = text + " and of any application";
            }
        }

        FederatedSubject build() {
            if (!excluded.isEmpty()) {
                description = description + ", except " + String.join(", ", excluded);
            }
            return new FederatedSubject(id(), provider.id(), provider.kind(), subjectKey, operator, pattern, wildcard,
                    anySubject, audiences, excluded, repository, ref, environment, context, namespace, serviceAccount,
                    description);
        }

        /**
         * Returns the node id. OIDC issuers are global, so the id starts with the condition key and is shared across
         * accounts; SAML keys name no provider, so SAML ids start with the provider ARN. A generic OIDC subject also
         * carries its audiences, since for those providers the audience (such as a Cognito identity pool)
         * identifies whose subjects they are. A pattern compared literally although it contains * or ? gets its own id.
         */
        private String id() {
            String value = operator == null ? "*" : pattern;
            String literalMark = !wildcard && Wildcards.hasWildcard(value) && operator != null ? " (literal)" : "";
            String audience = provider.kind().equals("oidc") && !audiences.isEmpty()
                    ? " aud=" + String.join(",", audiences.stream().sorted().toList()) : "";
            String prefix = provider.kind().equals("saml") ? provider.id() + "#" : "";
            return prefix + subjectKey.toLowerCase(Locale.ROOT) + "=" + value + literalMark + audience;
        }
    }
}
