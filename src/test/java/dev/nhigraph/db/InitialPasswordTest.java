package dev.nhigraph.db;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging the embedded Neo4j's initial password, whatever characters the generated password has. */
class InitialPasswordTest {

    @TempDir
    Path home;

    @Test
    void passwordStartingWithDash_isStaged() {
        InitialPassword.stage(home, "-1Zq7generatedPasswordThatStartsWithADash");

        assertTrue(Files.isRegularFile(InitialPassword.authFile(home)), "no auth.ini under " + home);
    }

    @Test
    void passwordOfTwoDashes_isStaged() {
        InitialPassword.stage(home, "--help-me-please");

        assertTrue(Files.isRegularFile(InitialPassword.authFile(home)), "no auth.ini under " + home);
    }
}
