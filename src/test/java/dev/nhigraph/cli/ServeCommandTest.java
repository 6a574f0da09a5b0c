package dev.nhigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks serve makes before it opens the graph or listens; none of these cases binds a socket. */
class ServeCommandTest {

    @TempDir
    Path dir;

    @Test
    void nonLoopbackHost_rejectedBeforeStart() throws Exception {
        Path data = dir.resolve("data");
        // The token file cannot be created under a regular file, so even if the bind check failed to reject the
        // address, serve would stop there, before it opens the database or binds 0.0.0.0.
        Path notAFolder = Files.createFile(dir.resolve("not-a-folder"));

        CommandRun run = CommandRun.of("serve", "--host", "0.0.0.0", "--port", "0", "--data-dir", data.toString(),
                "--token-file", notAFolder.resolve("tokens").toString());

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("--host 0.0.0.0 is not a loopback address"), run.err());
        assertTrue(run.err().contains("--tls-keystore"), run.err());
        assertFalse(Files.exists(data), "the database was started before the bind was checked");
    }

    @Test
    void missingKeystore_isRejectedNamingIt() {
        Path keystore = dir.resolve("missing.p12");

        CommandRun run = CommandRun.of("serve", "--port", "0", "--tls-keystore", keystore.toString(),
                "--tls-password=secret", "--data-dir", dir.resolve("data").toString());

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains(keystore.toString()), run.err());
    }

    @Test
    void tlsAndInsecurePlainHttp_isRejected() {
        CommandRun run = CommandRun.of("serve", "--port", "0", "--insecure-plain-http", "--tls-keystore",
                dir.resolve("missing.p12").toString(), "--tls-password=secret");

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("contradict"), run.err());
    }

    @Test
    void rateLimitBelowOne_isRejected() {
        CommandRun run = CommandRun.of("serve", "--port", "0", "--rate-limit", "0");

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("--rate-limit 0"), run.err());
    }
}
