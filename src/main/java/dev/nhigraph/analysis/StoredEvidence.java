package dev.nhigraph.analysis;

import java.util.AbstractList;
import java.util.List;
import dev.nhigraph.policy.Evidence;

/**
 * The evidence of a derived edge as stored in Neo4j, parsed from its JSON on first use.
 *
 * <p>A projection contains every CAN_ASSUME and CAN_ACCESS edge, up to hundreds of thousands, while a result
 * shows a few. Parsing all of them when the projection is read would cost more than every result together.
 * Parsing twice from two threads gives equal lists, so the race on the cached value is harmless.
 */
final class StoredEvidence extends AbstractList<Evidence> {

    private final String json;
    private List<Evidence> parsed;

    StoredEvidence(String json) {
        this.json = json;
    }

    @Override
    public Evidence get(int index) {
        return evidence().get(index);
    }

    @Override
    public int size() {
        return evidence().size();
    }

    /**
     * Hashes the stored JSON, so that a graph keyed by edge records does not parse every edge's evidence.
     *
     * <p>NOTE: this breaks the List contract towards other list types: an equal ArrayList hashes differently.
     * Edges read from one projection are only compared with each other.
     */
    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        if (other instanceof StoredEvidence stored) {
            return json.equals(stored.json);
        }
        return super.equals(other);
    }

    private List<Evidence> evidence() {
        List<Evidence> value = parsed;
        if (value == null) {
            value = AwsProjection.readEvidence(json);
            parsed = value;
        }
        return value;
    }
}
