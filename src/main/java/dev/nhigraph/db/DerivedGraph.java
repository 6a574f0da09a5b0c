package dev.nhigraph.db;

import java.util.Set;

/**
 * Relationship types and node labels that the analyses derive from the facts.
 * A load deletes and derives them anew over the whole graph, so undoing a load never needs to copy them.
 *
 * <p>NOTE: kept in step with the writers in {@code dev.nhigraph.analysis} and {@code dev.nhigraph.gcp.graph} by
 * hand; a derived type missing here would be copied and restored with stale ends.
 */
public final class DerivedGraph {

    /** Relationship types that the analyses derive. */
    public static final Set<String> TYPES = Set.of("CAN_ASSUME", "CAN_ACCESS", "CAN_ESCALATE", "CAN_IMPERSONATE",
            "INCLUDES", "INCLUDED_IN");

    /** Labels of the nodes that the analyses create to group derived targets. */
    public static final Set<String> LABELS = Set.of("AwsResourceSet", "AssumeTargetSet", "EscalationTargetSet");

    private DerivedGraph() {
    }
}
