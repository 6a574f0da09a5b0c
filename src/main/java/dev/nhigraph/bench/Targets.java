package dev.nhigraph.bench;

import dev.nhigraph.bench.BenchmarkResult.Target;
import dev.nhigraph.generate.Tier;
import java.util.ArrayList;
import java.util.List;

/**
 * The targets of each tier on a machine with 2 cores, as the project set them: queries in milliseconds, the
 * reachability of every principal and the Q load in seconds, and the planted answers at 100 %. A measure without a
 * target for a tier is left out of its list.
 */
final class Targets {

    private Targets() {
    }

    /** Compares the run with the targets of its tier. */
    static List<Target> evaluate(Tier tier, BenchmarkResult.Load load, BenchmarkResult.Reachability reachability,
                                 BenchmarkResult.BlastRadiusRun blastRadius, BenchmarkResult.PathsRun paths,
                                 BenchmarkResult.Planted planted) {
        List<Target> targets = new ArrayList<>();
        boolean small = tier == Tier.S;
        targets.add(atMost("admin reachability of every principal, with a witness path", "s", small ? 0.2 : 1.0,
                reachability.seconds()));
        targets.add(atMost("blast radius p50", "ms", small ? 2 : 10, blastRadius.latency().p50Millis()));
        targets.add(atMost("blast radius p95", "ms", small ? 10 : 50, blastRadius.latency().p95Millis()));
        if (small) {
            targets.add(atMost("paths to admin (up to 10) p95", "ms", 50, paths.latency().p95Millis()));
        } else {
            targets.add(atMost("load", "s", 8, load.seconds()));
        }
        targets.add(new Target("planted answers", "%", ">=", 100, planted.percent(), planted.percent() >= 100));
        return targets;
    }

    private static Target atMost(String measure, String unit, double limit, double measured) {
        return new Target(measure, unit, "<=", limit, measured, measured <= limit);
    }
}
