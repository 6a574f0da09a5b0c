package dev.nhigraph.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/**
 * Rotation of the audit file as the shipped logback.xml configures it, in a logger context of its own so that the
 * JVM's logging stays as it is.
 */
class AuditRotationTest {

    private static final int MAX_SIZE_BYTES = 4 * 1024;
    // A line is a 30-character timestamp, the message and a newline. Messages here have about 100 characters.
    private static final int MAX_LINE_BYTES = 200;

    @TempDir
    Path dir;

    private LoggerContext context;

    @AfterEach
    void stopContext() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void concurrentWriters_loseNoLineAcrossRotations() throws Exception {
        Path file = dir.resolve("audit.log");
        Logger audit = configure(file, "20");
        int threads = 8;
        int linesPerThread = 60;

        writeConcurrently(audit, threads, linesPerThread);

        List<Path> files = auditFiles(file);
        assertTrue(files.size() >= 5, "expected several rotations, found " + files);
        Map<String, Integer> seen = new HashMap<>();
        for (Path part : files) {
            for (String line : Files.readAllLines(part)) {
                assertTrue(line.matches("\\S+Z? action=collect who=writer-\\d+ what=\"line \\d+ of writer \\d+ .*"),
                        "a line is split or mixed: " + line);
                seen.merge(line.substring(line.indexOf(" action=")), 1, Integer::sum);
            }
        }
        assertEquals(threads * linesPerThread, seen.size(), "lines lost");
        for (Map.Entry<String, Integer> entry : seen.entrySet()) {
            assertEquals(1, entry.getValue(), "written more than once: " + entry.getKey());
        }
        // Each writer checks the size before its line, so a file ends at most one line per concurrent writer past the cap.
        for (Path part : files) {
            assertTrue(Files.size(part) <= MAX_SIZE_BYTES + threads * MAX_LINE_BYTES,
                    part + " has " + Files.size(part) + " bytes, over the cap and a line per writer");
        }
        assertTrue(files.size() <= 20, "more rotations than NHIGRAPH_AUDIT_LOG_KEEP, so lines were deleted: " + files);
    }

    @Test
    void oldFilesBeyondKeep_areDeleted() throws Exception {
        Path file = dir.resolve("audit.log");
        Logger audit = configure(file, "2");

        for (int i = 0; i < 300; i++) {
            audit.info("action=collect who=writer-0 what=\"line " + i + " of writer 0 " + "x".repeat(60) + "\"");
        }

        assertTrue(Files.exists(dir.resolve("audit.log.1")), "no rotation happened");
        assertTrue(Files.exists(dir.resolve("audit.log.2")), "the second old file is missing");
        assertFalse(Files.exists(dir.resolve("audit.log.3")), "more old files are kept than NHIGRAPH_AUDIT_LOG_KEEP");
        List<String> newest = Files.readAllLines(file);
        assertTrue(newest.get(newest.size() - 1).contains("line 299 of writer 0"), "the newest line is not in the file");
    }

    @Test
    void noAuditLine_createsNoFile() throws Exception {
        Path file = dir.resolve("audit.log");

        configure(file, "5");

        assertFalse(Files.exists(file), "the audit file must appear with its first line, not at startup");
    }

    /** Loads the shipped logback.xml into a new logger context with the audit file and limits of this test. */
    private Logger configure(Path file, String keep) throws JoranException {
        context = new LoggerContext();
        // A logger context made outside SLF4J's initialisation has no MDC adapter, and every event needs one.
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.putProperty("NHIGRAPH_AUDIT_LOG", file.toString());
        context.putProperty("NHIGRAPH_AUDIT_LOG_MAX_SIZE", MAX_SIZE_BYTES + "");
        context.putProperty("NHIGRAPH_AUDIT_LOG_KEEP", keep);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        URL config = AuditRotationTest.class.getResource("/logback.xml");
        configurator.doConfigure(config);

        return context.getLogger(Audit.LOGGER);
    }

    private static void writeConcurrently(Logger audit, int threads, int linesPerThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int writer = t;
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < linesPerThread; i++) {
                        audit.info("action=collect who=writer-" + writer + " what=\"line " + i + " of writer " + writer
                                + " " + "x".repeat(50) + "\"");
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Returns the active file and the rotated ones, FILE.1, FILE.2, ... as far as they exist. */
    private static List<Path> auditFiles(Path file) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(file);
        for (int i = 1; Files.exists(Path.of(file + "." + i)); i++) {
            files.add(Path.of(file + "." + i));
        }
        return files;
    }
}
