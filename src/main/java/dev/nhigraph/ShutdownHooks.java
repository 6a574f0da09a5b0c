package dev.nhigraph;

/** JVM shutdown hooks, which run on Ctrl-C and SIGTERM, when the finally blocks of the main thread do not. */
public final class ShutdownHooks {

    private ShutdownHooks() {
    }

    /** Registers {@code work} to run at shutdown on a thread named {@code name}, and returns that thread. */
    public static Thread add(String name, Runnable work) {
        Thread hook = new Thread(work, name);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /**
     * Removes {@code hook} once the work it would do is done. Returns false when the JVM is already shutting down,
     * because the hook then runs or has run.
     */
    public static boolean remove(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
