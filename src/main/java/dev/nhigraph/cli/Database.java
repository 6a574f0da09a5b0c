package dev.nhigraph.cli;

import dev.nhigraph.db.EmbeddedNeo4j;
import dev.nhigraph.db.GraphStore;

/** An open graph: the store every command uses, and the embedded database behind it when there is one. */
final class Database implements AutoCloseable {

    private final EmbeddedNeo4j embedded;
    private final GraphStore store;
    private final Thread shutdownHook;

    Database(EmbeddedNeo4j embedded, GraphStore store) {
        this.embedded = embedded;
        this.store = store;
        // Ctrl-C ends the JVM through shutdown hooks; close the driver and the store cleanly there too.
        this.shutdownHook = new Thread(this::closeQuietly, "nhigraph-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    GraphStore store() {
        return store;
    }

    /** Returns the Bolt URI an analyst can connect to, such as cypher-shell or Neo4j Browser. */
    String boltUri() {
        return store.uri();
    }

    boolean embedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and the hook is running; it closes everything itself.
            return;
        }
        closeQuietly();
    }

    private synchronized void closeQuietly() {
        store.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
