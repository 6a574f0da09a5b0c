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
    void invalidReportCron_rejectedBeforeStart() throws Exception {
        Path data = dir.resolve("data");
        // As above, the token file cannot be created, so serve stops before it starts even if the check failed.
        Path notAFolder = Files.createFile(dir.resolve("not-a-folder"));

        CommandRun run = CommandRun.of("serve", "--port", "0", "--data-dir", data.toString(), "--token-file",
                notAFolder.resolve("tokens").toString(), "--report-cron", "0 25 * * *");

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("hour field \"25\" is outside 0-23"), run.err());
        assertFalse(Files.exists(data), "the database was started before the schedule was checked");
    }

    @Test
    void webhookWithoutCron_rejected() throws Exception {
        Path notAFolder = Files.createFile(dir.resolve("not-a-folder"));

        CommandRun run = CommandRun.of("serve", "--port", "0", "--token-file", notAFolder.resolve("tokens").toString(),
                "--webhook", "http://127.0.0.1:9/hook");

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("add --report-cron"), run.err());
    }

    @Test
    void missingReportDirWithoutCron_rejected() throws Exception {
        Path notAFolder = Files.createFile(dir.resolve("no-reports-here"));

        CommandRun run = CommandRun.of("serve", "--port", "0", "--token-file", notAFolder.resolve("tokens").toString(),
                "--report-dir", dir.resolve("never-written").toString());

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("Without --report-cron the server only lists reports"), run.err());
        assertFalse(Files.exists(dir.resolve("never-written")), "serve created the folder it only lists");
    }

    @Test
    void invalidWebhook_rejected() throws Exception {
        Path notAFolder = Files.createFile(dir.resolve("not-a-folder"));

        CommandRun run = CommandRun.of("serve", "--port", "0", "--token-file", notAFolder.resolve("tokens").toString(),
                "--report-cron", "0 6 * * *", "--report-dir", dir.resolve("reports").toString(), "--webhook", "file:///tmp/x");

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("--webhook \"file:///tmp/x\" is invalid"), run.err());
        assertFalse(Files.exists(dir.resolve("reports")), "the rejected options left a --report-dir behind");
    }

    @Test
    void rateLimitBelowOne_isRejected() {
        CommandRun run = CommandRun.of("serve", "--port", "0", "--rate-limit", "0");

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("--rate-limit 0"), run.err());
    }
}
