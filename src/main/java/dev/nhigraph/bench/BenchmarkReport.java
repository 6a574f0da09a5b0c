package dev.nhigraph.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nhigraph.BadInputException;
import dev.nhigraph.bench.BenchmarkResult.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The outputs of a benchmark run: the JSON result file and a summary for people. */
public final class BenchmarkReport {

    /** Failures listed in the summary; the JSON result lists all of them. */
    static final int MAX_FAILURES_SHOWN = 20;

    private BenchmarkReport() {
    }

    /** Writes {@code result} as indented JSON to {@code file}, replacing it. */
    public static void write(BenchmarkResult result, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, dev.nhigraph.policy.PolicyDocuments.JSON.writer()
                    .with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result) + "\n");
        } catch (IOException e) {
            throw new BadInputException("Failed to write the benchmark result to " + file + ": " + e.getMessage()
                    + ". Give a writable file with --out.", e);
        }
    }

    /** Returns the summary: one line per measure, then the targets and any planted answer that failed. */
    public static String summary(BenchmarkResult result) {
        List<String> lines = new ArrayList<>();
        BenchmarkResult.Organisation organisation = result.organisation();
        Machine machine = result.machine();
        lines.add("nhigraph benchmark, tier " + organisation.tier() + " seed " + organisation.seed() + " (" + organisation.source()
                + ", " + organisation.files() + " files, " + megabytes(organisation.bytes()) + ")");
        lines.add("  machine: " + machine.cores() + " cores, " + gigabytes(machine.memoryBytes()) + ", " + machine.cpu()
                + ", Java " + machine.javaVersion() + ", max heap " + gigabytes(machine.maxHeapBytes()));
        lines.add("  commit " + result.commit() + (Boolean.TRUE.equals(result.uncommittedChanges()) ? " with uncommitted changes" : "")
                + ", " + result.date() + ", load average " + decimal(machine.loadAverageStart()) + " at start, "
                + decimal(result.loadAverageEnd()) + " at end");

        BenchmarkResult.Load load = result.load();
        lines.add(String.format(Locale.ROOT, "  start Neo4j      %8.2f s", result.neo4jStartSeconds()));
        lines.add(String.format(Locale.ROOT, "  load             %8.2f s  %,d nodes (%,.0f/s), %,d relationships (%,.0f/s);"
                        + " read %s s, write %s s (%,.0f nodes/s, %,.0f relationships/s), derive %s s", load.seconds(),
                load.nodes(), load.nodesPerSecond(), load.relationships(), load.relationshipsPerSecond(),
                decimal(load.readSeconds()), decimal(load.writeSeconds()), load.writeNodesPerSecond(),
                load.writeRelationshipsPerSecond(), decimal(load.deriveSeconds())));

        BenchmarkResult.Analysis analysis = result.analysis();
        lines.add(String.format(Locale.ROOT, "  analysis         derive (policy evaluation, %,d CAN_ASSUME, %,d CAN_ACCESS) %s s,"
                        + " projection %.2f s, admins %.2f s (%d of %,d users and roles), findings: %s",
                analysis.canAssumeEdges(), analysis.canAccessEdges(), decimal(analysis.deriveSeconds()),
                analysis.projectionReadSeconds(), analysis.adminSearchSeconds(), analysis.admins(),
                analysis.usersAndRolesSummarised(), analysis.findings()));
        BenchmarkResult.Reachability reachability = result.adminReachability();
        lines.add(String.format(Locale.ROOT, "  admin reachability %6.3f s  %,d of %,d principals reach an administrator"
                        + " (%,d only conditionally); witness lengths %s", reachability.seconds(), reachability.reaching(),
                reachability.principals(), reachability.conditionalWitnesses(), reachability.witnessLengths()));
        BenchmarkResult.BlastRadiusRun blastRadius = result.blastRadius();
        lines.add("  blast radius     " + latency(blastRadius.latency()) + String.format(Locale.ROOT,
                "; %.1f principals on average, %d truncated", blastRadius.meanPrincipals(), blastRadius.truncated()));
        lines.add("    snapshot check " + latency(blastRadius.snapshotCheckLatency()));
        BenchmarkResult.PathsRun paths = result.pathsToAdmin();
        lines.add("  paths to admin   " + latency(paths.latency()) + String.format(Locale.ROOT,
                "; %d of %d principals have paths, %d paths, %d truncated", paths.withPaths(),
                paths.latency().samples(), paths.pathsFound(), paths.truncated()));
        lines.add("    with paths     " + latency(paths.latencyWithPaths()));
        MemoryWatch.Peaks memory = result.memory();
        lines.add("  memory           peak heap " + megabytes(memory.peakHeapBytes()) + " (pool peaks summed "
                + megabytes(memory.heapPoolPeakSumBytes()) + "), peak resident "
                + (memory.peakResidentBytes() == null ? "unknown" : megabytes(memory.peakResidentBytes())));
        BenchmarkResult.Planted planted = result.planted();
        lines.add(String.format(Locale.ROOT, "  planted answers  %.2f %% (%d of %d checks: %s)", planted.percent(),
                planted.passed(), planted.checks(), checkCounts(planted.checksByKind())));
        lines.add(String.format(Locale.ROOT, "  total            %8.2f s", result.totalSeconds()));

        lines.add("Targets:");
        for (Target target : result.targets()) {
            lines.add(String.format(Locale.ROOT, "  %-4s %s %s %s %s: measured %s %s", target.met() ? "met" : "MISS",
                    target.measure(), target.comparison(), decimal(target.limit()), target.unit(),
                    decimal(target.measured()), target.unit()));
        }
        if (!planted.failures().isEmpty()) {
            lines.add("Failed planted answers:");
            planted.failures().stream().limit(MAX_FAILURES_SHOWN).forEach(failure -> lines.add("  " + failure));
            if (planted.failures().size() > MAX_FAILURES_SHOWN) {
                lines.add("  ... and " + (planted.failures().size() - MAX_FAILURES_SHOWN) + " more in the JSON result");
            }
        }
        return String.join(System.lineSeparator(), lines);
    }

    private static String latency(LatencySummary latency) {
        return String.format(Locale.ROOT, "%d calls: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms",
                latency.samples(), latency.p50Millis(), latency.p95Millis(), latency.p99Millis(), latency.maxMillis());
    }

    private static String checkCounts(Map<String, Integer> byKind) {
        List<String> parts = new ArrayList<>();
        byKind.forEach((kind, count) -> parts.add(count + " " + kind));
        return String.join(", ", parts);
    }

    private static String decimal(Double value) {
        if (value == null) {
            return "unknown";
        }
        return value == Math.rint(value) ? String.valueOf(value.longValue()) : String.format(Locale.ROOT, "%.3f", value)
                .replaceAll("0+$", "");
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%,.0f MiB", bytes / (1024.0 * 1024));
    }

    private static String gigabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
