package dev.nhigraph.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier M through the packaged jar: `benchmark --tier M` generates 50 accounts with 22,000 users and roles and
 * the GCP part, loads them into the embedded Neo4j and checks every planted answer. It checks answers, not
 * times, which depend on the machine; docs/benchmarks.md records those. The heap and page cache are the ones
 * the benchmark records, so a change that needs more memory fails here first.
 */
class TierMBenchmarkIT {

    private static final Path JAR = Path.of("target/nhigraph.jar");
    /** The time allowed: the run takes about 2.5 minutes on an idle 2-core machine, and the rest is for a busy one. */
    private static final long TIMEOUT_MINUTES = 20;

    @TempDir
    Path dir;

    @Test
    void tierM_passesEveryPlantedAnswer() throws Exception {
        Path result = dir.resolve("benchmark-M.json");
        Path log = dir.resolve("benchmark-M.log");
        List<String> command = List.of("java", "-Xmx2560m", "-jar", JAR.toAbsolutePath().toString(), "benchmark",
                "--tier", "M", "--work", dir.resolve("work").toString(), "--page-cache", "512m",
                "--blast-radius-samples", "100", "--path-samples", "20", "--out", result.toString());

        // Output goes to a file, so that a full pipe cannot stall the benchmark.
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        boolean finished = process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);

        assertTrue(finished, "benchmark --tier M did not finish in " + TIMEOUT_MINUTES + " minutes; output: " + output);
        assertEquals(0, process.exitValue(), output);
        JsonNode planted = new ObjectMapper().readTree(result.toFile()).path("planted");
        assertEquals(526, planted.path("checks").asInt(), output);
        assertEquals(526, planted.path("passed").asInt(), output);
    }
}
