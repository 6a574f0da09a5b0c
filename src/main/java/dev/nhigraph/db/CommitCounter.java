package dev.nhigraph.db;

import java.util.concurrent.atomic.AtomicLong;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.graphdb.event.TransactionData;
import org.neo4j.graphdb.event.TransactionEventListener;

/**
 * Counts the write transactions that the embedded database commits, whichever client sent them, so that a reader in
 * this JVM can tell that nothing changed without asking the database over Bolt.
 *
 * <p>Neo4j calls transaction listeners for transactions that change the graph, so reads leave the count alone. A
 * changed count means only that something may have changed, so the reader still checks what.
 */
final class CommitCounter implements TransactionEventListener<Void> {

    private final AtomicLong commits = new AtomicLong();

    long commits() {
        return commits.get();
    }

    @Override
    public Void beforeCommit(TransactionData data, Transaction transaction, GraphDatabaseService databaseService) {
        return null;
    }

    @Override
    public void afterCommit(TransactionData data, Void state, GraphDatabaseService databaseService) {
        commits.incrementAndGet();
    }

    @Override
    public void afterRollback(TransactionData data, Void state, GraphDatabaseService databaseService) {
        // A rolled-back transaction changed nothing.
    }
}
