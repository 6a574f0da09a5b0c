package dev.nhigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.BadInputException;
import dev.nhigraph.db.EmbeddedNeo4j;
import dev.nhigraph.db.GraphStore;
import dev.nhigraph.testsupport.SharedGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --page-cache option: the sizes it accepts, what it refuses, and the setting the embedded Neo4j then runs with. */
class PageCacheOptionTest {

    @TempDir
    Path dir;

    private static final long MACHINE = 16L << 30;

    @Test
    void pageCacheBytes_readsUnits() {
        assertEquals(512L << 20, DatabaseOptions.pageCacheBytes("512m", MACHINE));
        assertEquals(2L << 30, DatabaseOptions.pageCacheBytes("2G", MACHINE));
        assertEquals(65_536L << 10, DatabaseOptions.pageCacheBytes("65536k", MACHINE));
        assertEquals(40_000_000L, DatabaseOptions.pageCacheBytes("40000000", MACHINE));
        assertEquals(16L << 30, DatabaseOptions.pageCacheBytes("16g", MACHINE));
    }

    @Test
    void pageCacheBytes_rejectsInvalidSizes() {
        BadInputException notSize = assertThrows(BadInputException.class, () -> DatabaseOptions.pageCacheBytes("1.5g", MACHINE));
        assertTrue(notSize.getMessage().contains("'1.5g' is invalid"), notSize.getMessage());

        BadInputException bytes = assertThrows(BadInputException.class, () -> DatabaseOptions.pageCacheBytes("512", MACHINE));
        assertTrue(bytes.getMessage().contains("too small"), bytes.getMessage());

        BadInputException overflow = assertThrows(BadInputException.class,
                () -> DatabaseOptions.pageCacheBytes("999999999999999g", MACHINE));
        assertTrue(overflow.getMessage().contains("more than this machine's memory (16.0 GiB)"), overflow.getMessage());

        BadInputException beyond = assertThrows(BadInputException.class, () -> DatabaseOptions.pageCacheBytes("17g", MACHINE));
        assertTrue(beyond.getMessage().contains("more than this machine's memory"), beyond.getMessage());
    }

    @Test
    void embeddedNeo4j_runsWithGivenPageCache() {
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(dir.resolve("graph"), 0, 48L << 20);
             GraphStore store = GraphStore.connect(neo4j.boltUri(), neo4j.authToken())) {
            String value = store.read(tx -> tx.run("""
                    SHOW SETTINGS YIELD name, value WHERE name = 'server.memory.pagecache.size' RETURN value""")
                    .single().get("value").asString());

            assertEquals("48.00MiB", value);
        }
    }

    @Test
    void scan_pageCacheWithNeo4jUri_rejected() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));

        CommandRun run = CommandRun.of("scan", SharedGraph.SAMPLE.toString(), "--out", out.toString(),
                "--neo4j-uri", "bolt://127.0.0.1:1", "--page-cache", "256m");

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("--page-cache"), run.err());
    }

    @Test
    void load_pageCacheBeyondMemory_rejected() {
        CommandRun run = CommandRun.of("load", SharedGraph.SAMPLE.toString(), "--data-dir", dir.resolve("graph").toString(),
                "--page-cache", "100000g");

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("--page-cache 100000g is more than this machine's memory"), run.err());
        assertFalse(Files.exists(dir.resolve("graph")), "no database may be created");
    }

    @Test
    void scan_invalidPageCache_createsNoOut() {
        Path out = dir.resolve("out");

        CommandRun run = CommandRun.of("scan", SharedGraph.SAMPLE.toString(), "--out", out.toString(), "--page-cache", "lots");

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("--page-cache 'lots' is invalid"), run.err());
        assertFalse(Files.exists(out), "scan must not create --out for options it refuses");
    }

    @Test
    void serve_invalidPageCache_writesNoTokens() {
        Path data = dir.resolve("graph");

        CommandRun run = CommandRun.of("serve", "--data-dir", data.toString(), "--port", "0", "--page-cache", "lots");

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertFalse(Files.exists(dir.resolve("graph.api-tokens")), "serve must not write tokens for options it refuses");
    }

    @Test
    void query_failedStartDataDir_rejected() throws Exception {
        // What a start that Neo4j refused leaves behind: its system folder, no database.
        Path data = dir.resolve("graph");
        Files.createDirectories(data.resolve("data").resolve("dbms"));

        CommandRun run = CommandRun.of("query", "MATCH (n) RETURN count(n)", "--data-dir", data.toString());

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("the folder contains no database"), run.err());
    }
}
