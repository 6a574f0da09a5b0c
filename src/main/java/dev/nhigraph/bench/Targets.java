package dev.nhigraph.bench;

import dev.nhigraph.bench.BenchmarkResult.Target;
import dev.nhigraph.generate.Tier;
import java.util.ArrayList;
import java.util.List;

/**
 * The targets of each tier on a machine with 2 cores, as the project set them: the load, the derived edges and the
 * reachability of every principal in seconds, queries in milliseconds, peak resident memory in MiB, and the planted
 * answers at 100 %.
 */
final class Targets {

    /** The limits of one tier. */
    private record Limits(double loadSeconds, double deriveSeconds, double reachabilitySeconds, double blastRadiusP50,
                          double blastRadiusP95, double pathsP95, double residentMebibytes) {
    }

    private static final Limits S = new Limits(2, 1, 0.2, 2, 10, 50, 1024);
    private static final Limits M = new Limits(40, 20, 2, 10, 50, 250, 4096);
    private static final Limits L = new Limits(300, 180, 15, 20, 100, 1000, 14 * 1024);
    private static final Limits Q = new Limits(8, 4, 1, 10, 50, 250, 2048);

    private Targets() {
    }

    /** Compares the run with the targets of its tier. */
    static List<Target> evaluate(Tier tier, BenchmarkResult.Load load, BenchmarkResult.Reachability reachability,
                                 BenchmarkResult.BlastRadiusRun blastRadius, BenchmarkResult.PathsRun paths,
                                 MemoryWatch.Peaks memory, BenchmarkResult.Planted planted) {
        Limits limits = switch (tier) {
            case S -> S;
            case M -> M;
            case L -> L;
            case Q -> Q;
        };

        List<Target> targets = new ArrayList<>();
        targets.add(atMost("load", "s", limits.loadSeconds(), load.seconds()));
        if (load.deriveSeconds() != null) {
            targets.add(atMost("derived edges (CAN_ASSUME, CAN_ACCESS, CAN_ESCALATE)", "s", limits.deriveSeconds(),
                    load.deriveSeconds()));
        }
        targets.add(atMost("admin reachability of every principal, with a witness path", "s",
                limits.reachabilitySeconds(), reachability.seconds()));
        targets.add(atMost("blast radius p50", "ms", limits.blastRadiusP50(), blastRadius.latency().p50Millis()));
        targets.add(atMost("blast radius p95", "ms", limits.blastRadiusP95(), blastRadius.latency().p95Millis()));
        targets.add(atMost("paths to admin (up to 10) p95", "ms", limits.pathsP95(), paths.latency().p95Millis()));
        if (memory.peakResidentBytes() != null) {
            targets.add(atMost("peak resident memory", "MiB", limits.residentMebibytes(),
                    memory.peakResidentBytes() / (1024.0 * 1024.0)));
        }
        targets.add(new Target("planted answers", "%", ">=", 100, planted.percent(), planted.percent() >= 100));
        return targets;
    }

    private static Target atMost(String measure, String unit, double limit, double measured) {
        return new Target(measure, unit, "<=", limit, measured, measured <= limit);
    }
}
