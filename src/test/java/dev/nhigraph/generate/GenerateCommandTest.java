package dev.nhigraph.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.cli.GenerateCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `generate` run on its own through {@link GenerateCommand#execute}, with the exit codes of the nhigraph command line. */
class GenerateCommandTest {

    @TempDir
    Path dir;

    private String out;
    private String err;

    @Test
    void help_describesTheOptions() {
        assertEquals(0, run("--help"));
        assertTrue(out.contains("--tier"), out);
        assertTrue(out.contains("--seed"), out);
        assertTrue(out.contains("--out"), out);
    }

    @Test
    void unknownTier_isBadUsage() {
        assertEquals(2, run("--tier", "XL", "--out", dir.toString()));
        assertTrue(err.contains("--tier"), err);
        assertTrue(err.contains("S, Q, M, L"), err);
    }

    @Test
    void missingOut_isBadUsage() {
        assertEquals(2, run("--tier", "S"));
        assertTrue(err.contains("--out"), err);
    }

    @Test
    void nonEmptyOut_isBadInput() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "earlier run");

        assertEquals(2, run("--tier", "S", "--seed", "4", "--out", dir.toString()));
        assertTrue(err.contains("--out " + dir), err);
        assertTrue(err.contains("not empty"), err);
    }

    @Test
    void tierS_writesBundleAndExpected() {
        Path target = dir.resolve("s");

        assertEquals(0, run("--tier", "S", "--seed", "4", "--out", target.toString()));
        assertTrue(Files.isDirectory(target.resolve("bundle/iam")));
        assertTrue(Files.isRegularFile(target.resolve("expected.json")));
        assertTrue(out.contains("Load it with: java -jar target/nhigraph.jar load " + target.resolve("bundle")), out);
    }

    private int run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            return GenerateCommand.execute(args);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
            out = outBytes.toString(StandardCharsets.UTF_8);
            err = errBytes.toString(StandardCharsets.UTF_8);
        }
    }
}
