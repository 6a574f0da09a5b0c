package dev.nhigraph.policy.eval;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The condition keys whose values follow from the principal and the resource, so they can be decided offline.
 *
 * <p>Values the caller supplies win over derived ones, so {@code --context} can override anything. Keys that
 * depend on the request itself (source IP, MFA, time, TLS) stay unknown unless supplied, but the request time and
 * the token issue time have a lower bound ({@link #dateBound}).
 */
public final class RequestContexts {

    private static final String PRINCIPAL_TAG = "aws:principaltag/";

    /**
     * The maximum lifetime of temporary credentials: 129,600 seconds (36 hours) for sts:GetSessionToken, the
     * DurationSeconds limit in the STS API reference, while role sessions last at most 12 hours. So every
     * temporary credential that is valid now was issued at most this long ago.
     */
    static final Duration MAX_CREDENTIAL_LIFE = Duration.ofSeconds(129_600);

    private RequestContexts() {
    }

    /** Returns the context of a request by {@code principal} on no particular resource, for summaries of its access. */
    public static ConditionContext forPrincipal(RequestPrincipal principal) {
        return derive(new AccessRequest(principal, "", "*", null, ConditionContext.UNKNOWN));
    }

    static ConditionContext derive(AccessRequest request) {
        return new ConditionContext() {
            @Override
            public List<String> values(String key) {
                return RequestContexts.values(request, key);
            }

            @Override
            public DateBound dateBound(String key) {
                return RequestContexts.dateBound(request, key);
            }
        };
    }

    /** Returns the values of {@code key} in the context that {@link #derive} returns for {@code request}. */
    static List<String> values(AccessRequest request, String key) {
        ConditionContext supplied = request.context();
        List<String> value = supplied == null ? null : supplied.values(key);
        return value != null ? value : derived(lowerCase(key), request.principal(), request);
    }

    /**
     * Returns the lower bound on the date keys that every request from now on respects: aws:CurrentTime is the
     * request time, and aws:TokenIssueTime is the issue time of temporary credentials that are still valid. A role
     * session always uses temporary credentials, while a user may sign with long-term access keys, and then the
     * request carries no aws:TokenIssueTime. Returns null for other keys and when the caller supplies the key.
     */
    static ConditionContext.DateBound dateBound(AccessRequest request, String key) {
        ConditionContext supplied = request.context();
        if (supplied != null && supplied.values(key) != null) {
            return null;
        }
        Instant now = Instant.now();
        return switch (lowerCase(key)) {
            case "aws:currenttime" -> new ConditionContext.DateBound(now, false);
            case "aws:tokenissuetime" -> switch (request.principal().kind()) {
                case ROLE_SESSION -> new ConditionContext.DateBound(now.minus(MAX_CREDENTIAL_LIFE), false);
                case USER -> new ConditionContext.DateBound(now.minus(MAX_CREDENTIAL_LIFE), true);
                default -> null;
            };
            default -> null;
        };
    }

    /** Returns the key in lower case, without a copy when it is already, as compiled conditions pass it. */
    private static String lowerCase(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (Character.isUpperCase(key.charAt(i))) {
                return key.toLowerCase(Locale.ROOT);
            }
        }
        return key;
    }

    private static List<String> derived(String key, RequestPrincipal principal, AccessRequest request) {
        switch (key) {
            case "aws:principalarn":
                return List.of(principal.principalArn());
            case "aws:principalaccount":
                return List.of(principal.account());
            case "aws:principaltype":
                return List.of(principal.principalType());
            case "aws:username":
                // AWS sets aws:username for IAM users only; role sessions do not carry it.
                return principal.kind() == RequestPrincipal.Kind.USER ? List.of(principal.name()) : List.of();
            case "aws:userid":
                return userId(principal);
            case "aws:principalisawsservice":
                return List.of(String.valueOf(principal.kind() == RequestPrincipal.Kind.SERVICE));
            case "aws:resourceaccount":
                return request.resourceAccount() == null ? null : List.of(request.resourceAccount());
            default:
                if (key.startsWith(PRINCIPAL_TAG)) {
                    return tag(principal.tags(), key, PRINCIPAL_TAG.length());
                }
                return null;
        }
    }

    private static List<String> userId(RequestPrincipal principal) {
        if (principal.uniqueId() == null) {
            return null;
        }
        if (principal.kind() == RequestPrincipal.Kind.USER) {
            return List.of(principal.uniqueId());
        }
        // A role session's user id is ROLE_ID:SESSION_NAME, and the session name is chosen at AssumeRole time.
        return principal.sessionName() == null ? null : List.of(principal.uniqueId() + ":" + principal.sessionName());
    }

    /**
     * Returns the value of the tag named by {@code key} from index {@code from} on. Tag keys compare
     * case-insensitively. Every tag of a loaded principal is known, so a missing tag is absent.
     */
    private static List<String> tag(Map<String, String> tags, String key, int from) {
        if (tags == null) {
            return null;
        }
        int length = key.length() - from;
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            // The same comparison as equalsIgnoreCase with key.substring(from), without copying the key.
            String tagKey = tag.getKey();
            if (tagKey.length() == length && tagKey.regionMatches(true, 0, key, from, length)) {
                return List.of(tag.getValue());
            }
        }
        return List.of();
    }
}
