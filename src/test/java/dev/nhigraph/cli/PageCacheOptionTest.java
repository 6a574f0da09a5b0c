package dev.nhigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void byteSize_readsUnits() {
        assertEquals(512L << 20, DatabaseOptions.byteSize("512m", "--page-cache"));
        assertEquals(2L << 30, DatabaseOptions.byteSize("2G", "--page-cache"));
        assertEquals(65_536L << 10, DatabaseOptions.byteSize("65536k", "--page-cache"));
        assertEquals(40_000_000L, DatabaseOptions.byteSize("40000000", "--page-cache"));
    }

    @Test
    void byteSize_refusesOtherText() {
        BadInputException notSize = assertThrows(BadInputException.class, () -> DatabaseOptions.byteSize("1.5g", "--page-cache"));
        assertTrue(notSize.getMessage().contains("such as 512m or 2g"), notSize.getMessage());

        BadInputException bytes = assertThrows(BadInputException.class, () -> DatabaseOptions.byteSize("512", "--page-cache"));
        assertTrue(bytes.getMessage().contains("too small"), bytes.getMessage());

        BadInputException huge = assertThrows(BadInputException.class,
                () -> DatabaseOptions.byteSize("999999999999999g", "--page-cache"));
        assertTrue(huge.getMessage().contains("too large"), huge.getMessage());
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
    void scan_refusesPageCacheWithExternalNeo4j() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));

        CommandRun run = CommandRun.of("scan", SharedGraph.SAMPLE.toString(), "--out", out.toString(),
                "--neo4j-uri", "bolt://127.0.0.1:1", "--page-cache", "256m");

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("--page-cache"), run.err());
    }

    @Test
    void scan_refusesMistypedPageCache() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));

        CommandRun run = CommandRun.of("scan", SharedGraph.SAMPLE.toString(), "--out", out.toString(), "--page-cache", "lots");

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("--page-cache lots is not a size"), run.err());
    }
}
