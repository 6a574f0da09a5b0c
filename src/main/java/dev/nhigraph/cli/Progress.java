package dev.nhigraph.cli;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * Progress lines for a terminal: a stage is shown only once it has run for {@link #DELAY_MILLIS}, so quick runs
 * print nothing but their summary. Off when stderr is not a terminal, so scripts and CI logs stay clean.
 */
final class Progress implements Consumer<String>, AutoCloseable {

    static final long DELAY_MILLIS = 2_000;

    private final PrintStream out;
    private final boolean enabled;
    private final Thread ticker;
    private volatile String stage;
    private volatile long stageStarted;
    private volatile boolean shown;

    Progress(PrintStream out) {
        this.out = out;
        this.enabled = System.console() != null;
        this.ticker = new Thread(this::tick, "nhigraph-progress");
        this.ticker.setDaemon(true);
        if (enabled) {
            ticker.start();
        }
    }

    @Override
    public void accept(String newStage) {
        stage = newStage;
        stageStarted = System.currentTimeMillis();
    }

    /** Replaces the text of the current stage and keeps its start time, for counts that change within a stage. */
    void update(String line) {
        stage = line;
    }

    private void tick() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(500);
                String current = stage;
                long elapsed = System.currentTimeMillis() - stageStarted;
                if (current != null && elapsed >= DELAY_MILLIS && !Interruption.started()) {
                    out.print("\r\033[K" + current + " (" + elapsed / 1000 + " s)");
                    out.flush();
                    shown = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        ticker.interrupt();
        if (shown) {
            out.print("\r\033[K");
            out.flush();
        }
    }
}
