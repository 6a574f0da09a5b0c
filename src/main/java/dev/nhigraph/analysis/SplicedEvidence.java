package dev.nhigraph.analysis;

import dev.nhigraph.policy.Evidence;
import java.util.AbstractList;
import java.util.List;

/**
 * The evidence of a CAN_ASSUME step expanded from a target set: the caller's part, stored on the edge to the set,
 * with the member role's trust statements, stored on its INCLUDES relationship, inserted before {@code trustAt}.
 * Both parts are shared with the other steps of the set and parsed on first use.
 */
final class SplicedEvidence extends AbstractList<Evidence> {

    private final List<Evidence> callerPart;
    private final int trustAt;
    private final List<Evidence> trustPart;

    SplicedEvidence(List<Evidence> callerPart, int trustAt, List<Evidence> trustPart) {
        this.callerPart = callerPart;
        this.trustAt = trustAt;
        this.trustPart = trustPart;
    }

    @Override
    public Evidence get(int index) {
        if (index < trustAt) {
            return callerPart.get(index);
        }
        if (index < trustAt + trustPart.size()) {
            return trustPart.get(index - trustAt);
        }
        return callerPart.get(index - trustPart.size());
    }

    @Override
    public int size() {
        return callerPart.size() + trustPart.size();
    }

    /**
     * Hashes the parts, so that a graph keyed by edge records does not parse every step's evidence.
     *
     * <p>NOTE: as with {@link StoredEvidence}, an equal list of another type hashes differently.
     */
    @Override
    public int hashCode() {
        return 31 * (31 * callerPart.hashCode() + trustAt) + trustPart.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        if (other instanceof SplicedEvidence spliced) {
            return trustAt == spliced.trustAt && callerPart.equals(spliced.callerPart) && trustPart.equals(spliced.trustPart);
        }
        return super.equals(other);
    }
}
