package dev.nhigraph.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A progress consumer that records when each stage began, so that the stages of a load can be timed from outside
 * {@code LoadService}, which reports its stages only as progress lines. Each line is also passed on.
 */
final class StageClock implements Consumer<String> {

    /** A stage as its progress line named it, with the time it began. */
    record Stage(String line, long startedNanos) {
    }

    private final Consumer<String> next;
    private final List<Stage> stages = new ArrayList<>();

    StageClock(Consumer<String> next) {
        this.next = next;
    }

    @Override
    public void accept(String line) {
        stages.add(new Stage(line, System.nanoTime()));
        next.accept(line);
    }

    /**
     * Returns the seconds from the start of the first stage whose line begins with {@code prefix} to the start of
     * the stage after it, or to {@code endNanos} for the last stage. Returns null when no line has the prefix.
     */
    Double secondsOf(String prefix, long endNanos) {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).line().startsWith(prefix)) {
                long end = i + 1 < stages.size() ? stages.get(i + 1).startedNanos() : endNanos;
                return Timing.seconds(end - stages.get(i).startedNanos());
            }
        }
        return null;
    }
}
