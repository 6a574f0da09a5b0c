package dev.nhigraph.policy.eval;

import java.time.Instant;
import java.util.List;

/**
 * The values of condition keys for one request, as far as they are known offline.
 *
 * <p>Three answers are possible for a key, and the difference matters: a list of values (the key is present),
 * an empty list (the request is known not to carry the key, so {@code Null: true} holds and {@code ...IfExists}
 * operators pass), or null (the value depends on the request, such as {@code aws:SourceIp}, so a condition on it
 * is unresolved and the decision is CONDITIONAL).
 */
@FunctionalInterface
public interface ConditionContext {

    /** A context that knows nothing: every key is unresolved. */
    ConditionContext UNKNOWN = key -> null;

    /**
     * Returns the values of {@code key}, an empty list when the key is known to be absent, or null when its
     * value is not known. Condition key names are case-insensitive; implementations compare them ignoring case.
     */
    List<String> values(String key);

    /**
     * Returns the earliest value that the date key {@code key} can have in a request made from now on, for a key
     * whose exact value {@link #values} does not know; null when nothing is known about it. A date condition whose
     * result is the same for every later value is then decided, such as one that expired years ago.
     */
    default DateBound dateBound(String key) {
        return null;
    }

    /**
     * A lower bound on the value of a date key.
     *
     * @param earliest    no request made from now on carries an earlier value
     * @param mayBeAbsent true when some requests of the principal do not carry the key at all
     */
    record DateBound(Instant earliest, boolean mayBeAbsent) {
    }
}
