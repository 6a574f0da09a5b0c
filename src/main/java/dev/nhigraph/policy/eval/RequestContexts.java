package dev.nhigraph.policy.eval;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The condition keys whose values follow from the principal and the resource, so they can be decided offline.
 *
 * <p>Values the caller supplies win over derived ones, so {@code --context} can override anything. Keys that
 * depend on the request itself (source IP, MFA, time, TLS) stay unknown unless supplied.
 */
public final class RequestContexts {

    private static final String PRINCIPAL_TAG = "aws:principaltag/";

    private RequestContexts() {
    }

    /** Returns the context of a request by {@code principal} on no particular resource, for summaries of its access. */
    public static ConditionContext forPrincipal(RequestPrincipal principal) {
        return derive(new AccessRequest(principal, "", "*", null, ConditionContext.UNKNOWN));
    }

    static ConditionContext derive(AccessRequest request) {
        return key -> values(request, key);
    }

    /** Returns the values of {@code key} in the context that {@link #derive} returns for {@code request}. */
    static List<String> values(AccessRequest request, String key) {
        ConditionContext supplied = request.context();
        List<String> value = supplied == null ? null : supplied.values(key);
        return value != null ? value : derived(lowerCase(key), request.principal(), request);
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
