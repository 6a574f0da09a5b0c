package dev.nhigraph.gcp.collect;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fixed pool of threads that runs tasks which may submit more tasks, and a wait for all of them.
 *
 * <p>Tasks never wait for each other, only {@link #await()} waits, so a walk of nested folders cannot take every
 * thread of the pool and stall. The first task that throws stops the wait, and {@link #await()} rethrows it.
 */
final class TaskGroup {

    private final ExecutorService pool;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final Object done = new Object();

    TaskGroup(int threads) {
        AtomicInteger counter = new AtomicInteger();
        pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "nhigraph-collect-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    void submit(Runnable task) {
        pending.incrementAndGet();
        pool.execute(() -> {
            try {
                if (failure.get() == null) {
                    task.run();
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            } finally {
                if (pending.decrementAndGet() == 0 || failure.get() != null) {
                    synchronized (done) {
                        done.notifyAll();
                    }
                }
            }
        });
    }

    /** Waits until every task, including those submitted by tasks, has finished, and rethrows the first failure. */
    void await() {
        synchronized (done) {
            while (pending.get() > 0 && failure.get() == null) {
                try {
                    done.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the collection to finish", e);
                }
            }
        }
        RuntimeException thrown = failure.get();
        if (thrown != null) {
            throw thrown;
        }
    }

    void shutdown() {
        pool.shutdownNow();
    }
}
