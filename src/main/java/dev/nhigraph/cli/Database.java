package dev.nhigraph.cli;

import dev.nhigraph.ShutdownHooks;
import dev.nhigraph.db.EmbeddedNeo4j;
import dev.nhigraph.db.GraphStore;
import dev.nhigraph.db.Neo4jPasswordFile;
import java.util.function.Supplier;

/** An open graph: the store every command uses, and the embedded database behind it when there is one. */
final class Database implements AutoCloseable {

    private final EmbeddedNeo4j embedded;
    private final GraphStore store;
    private final Thread shutdownHook;
    // Set from the start, so that a signal that comes before the command sets its own message is handled too.
    private volatile Supplier<String> interruptMessage = () -> "Interrupted before the command changed the graph.";

    Database(EmbeddedNeo4j embedded, GraphStore store) {
        this.embedded = embedded;
        this.store = store;
        // Ctrl-C ends the JVM through shutdown hooks; close the driver and the store cleanly there too.
        this.shutdownHook = new Thread(this::stopForShutdown, "nhigraph-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        if (embedded != null) {
            embedded.handOverShutdown();
        }
    }

    /**
     * Sets the line printed when Ctrl-C or SIGTERM stops the command while this database is open. With a message set,
     * the stop also turns logging off (see {@link Interruption}). Servers set null, and log their shutdown.
     */
    void onInterrupt(Supplier<String> message) {
        this.interruptMessage = message;
    }

    GraphStore store() {
        return store;
    }

    /** Returns the Bolt URI an analyst can connect to, such as cypher-shell or Neo4j Browser. */
    String boltUri() {
        return store.uri();
    }

    /**
     * Describes how an analyst logs in over Bolt: the embedded database's user and password file, never the password.
     * For an external server it is the URI alone, since its credentials are the user's own.
     */
    String boltLogin() {
        if (embedded == null) {
            return store.uri();
        }
        return store.uri() + ", user " + Neo4jPasswordFile.USER + ", password in " + embedded.passwordFile();
    }

    boolean embedded() {
        return embedded != null;
    }

    /** Returns whether loads into this database keep an undo journal: the embedded one with a lasting data directory. */
    boolean journaled() {
        return embedded != null && embedded.journaled();
    }

    @Override
    public void close() {
        // While the JVM shuts down, the hook closes everything itself.
        if (ShutdownHooks.remove(shutdownHook)) {
            closeQuietly();
        }
    }

    private void stopForShutdown() {
        Supplier<String> message = interruptMessage;
        if (message == null) {
            closeQuietly();
            return;
        }
        Interruption.begin();
        try {
            // The driver closes first, so the command can send no more statements or commits, and the message
            // then describes the state the command has reached for good.
            store.close();
        } catch (RuntimeException e) {
            // Logging is off and the JVM is stopping, so there is no one left to tell; the exit code is 130 or 143.
        }
        Interruption.print(message.get());
        try {
            closeQuietly();
        } catch (RuntimeException e) {
            // As above: nothing can report it, and the embedded database is stopping with the JVM anyway.
        }
    }

    private synchronized void closeQuietly() {
        store.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
