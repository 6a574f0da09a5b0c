package dev.nhigraph.analysis;

import dev.nhigraph.NhigraphException;
import dev.nhigraph.db.GraphStore;
import java.time.Instant;
import java.util.List;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Values;

/**
 * The {@code LoadInProgress} node: the mark of a load that has stored its facts but has not yet derived CAN_ASSUME,
 * CAN_ACCESS and CAN_ESCALATE and recorded its Snapshot.
 *
 * <p>A load writes in several transactions. The first stores the principals, policies and trust together with this
 * node, and the last records the Snapshot and deletes it. While the node exists, the derived edges and administrator
 * marks do not match the stored facts: the load is still running, or it was interrupted. Readers check for it
 * with {@link #requireNone} rather than compute results from such a graph. The next load replaces the node with its own and
 * derives the edges of the whole graph anew, so a finished load leaves a consistent graph again.
 *
 * <p>On the embedded database a reader seldom meets the node after a crash: the next start undoes the load's facts
 * from its journal, marks the node {@code restored}, and {@link LoadService#finishRestoredLoad} derives the edges and
 * deletes it. The node stays for an external Neo4j, which keeps no journal, and when the journal does not match.
 */
public final class UnfinishedLoad {

    /**
     * The unfinished load: its snapshot id, input files and start time (ISO-8601). {@code restored} means that the
     * embedded database has already undone the load's facts from its journal, so that only the edges remain to be
     * derived again.
     */
    public record Marker(String snapshotId, List<String> files, String startedAt, boolean restored) {
    }

    private UnfinishedLoad() {
    }

    /**
     * Replaces any marker with one for this load, in the caller's transaction, so that the marker commits with the
     * facts or not at all.
     *
     * @return the marker of an earlier unfinished load, or null when there was none
     */
    static Marker begin(TransactionContext tx, String snapshotId, List<String> files) {
        List<Marker> earlier = tx.run("MATCH (m:LoadInProgress) RETURN m.snapshot AS snapshot, m.files AS files,"
                + " m.startedAt AS startedAt, coalesce(m.restored, false) AS restored").list(UnfinishedLoad::marker);
        tx.run("MATCH (m:LoadInProgress) DELETE m").consume();
        tx.run("CREATE (:LoadInProgress {snapshot: $snapshot, files: $files, startedAt: $now, heartbeatAt: timestamp()})",
                Values.parameters("snapshot", snapshotId, "files", files, "now", Instant.now().toString())).consume();
        return earlier.isEmpty() ? null : earlier.get(0);
    }

    /**
     * Returns how many milliseconds ago, by the database's clock, the load of the marker last stamped it, or
     * -1 when the graph has no marker.
     */
    static long heartbeatAgeMillis(GraphStore store) {
        List<Long> ages = store.read(tx -> tx.run("MATCH (m:LoadInProgress)"
                + " RETURN timestamp() - coalesce(m.heartbeatAt, 0) AS age").list(r -> r.get("age").asLong()));
        return ages.isEmpty() ? -1 : ages.get(0);
    }

    /** Deletes the marker, in the caller's transaction, which must be the one that records the Snapshot. */
    static void finish(TransactionContext tx) {
        tx.run("MATCH (m:LoadInProgress) DELETE m").consume();
    }

    /** Returns the marker of the load that has not finished, or null when every load into the graph finished. */
    public static Marker find(GraphStore store) {
        List<Marker> markers = store.read(tx -> tx.run("MATCH (m:LoadInProgress) RETURN m.snapshot AS snapshot,"
                + " m.files AS files, m.startedAt AS startedAt, coalesce(m.restored, false) AS restored").list(UnfinishedLoad::marker));
        return markers.isEmpty() ? null : markers.get(0);
    }

    /**
     * Rejects a graph whose latest load has not finished.
     *
     * @throws Unfinished naming the load's files and what to do
     */
    public static void requireNone(GraphStore store) {
        Marker marker = find(store);
        if (marker != null) {
            throw new Unfinished(describe(marker) + " Its CAN_ASSUME, CAN_ACCESS and CAN_ESCALATE edges are"
                    + " missing or stale, so nhigraph rejects this graph. " + WHAT_TO_DO);
        }
    }

    /** The advice on an unfinished load, for the errors and warnings that name one. */
    public static final String WHAT_TO_DO = "If it is still running, wait for it to finish. If it was stopped, the"
            + " graph returns to the previous snapshot once the load has been silent for a minute: by itself under a"
            + " running `nhigraph serve`, and else at the next nhigraph command that opens the graph. Loading the files"
            + " again also finishes it.";

    /** The error for a graph whose latest load has not finished, so that the API can return 503 for it. */
    public static final class Unfinished extends NhigraphException {

        Unfinished(String message) {
            super(message);
        }
    }

    /** Returns one sentence that names the unfinished load, for errors and warnings. */
    public static String describe(Marker marker) {
        return "The load of " + filesInBrief(marker.files()) + " (snapshot " + marker.snapshotId().substring(0, 12) + ", started "
                + marker.startedAt() + ") has not finished.";
    }

    /** Returns the first files of a load and how many more there are, so that a bundle of thousands fits a line. */
    static String filesInBrief(List<String> files) {
        int named = 3;
        if (files.size() <= named + 1) {
            return files.toString();
        }
        return files.subList(0, named) + " and " + (files.size() - named) + " more files";
    }

    private static Marker marker(org.neo4j.driver.Record record) {
        return new Marker(record.get("snapshot").asString(), record.get("files").asList(value -> value.asString()),
                record.get("startedAt").asString(), record.get("restored").asBoolean());
    }
}
