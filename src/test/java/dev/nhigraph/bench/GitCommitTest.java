package dev.nhigraph.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit a benchmark result names, inside and outside a checkout. */
class GitCommitTest {

    @Test
    void outsideCheckout_isUnknown(@TempDir Path empty) {
        GitCommit commit = GitCommit.of(empty);

        assertEquals(GitCommit.UNKNOWN, commit.commit());
        assertNull(commit.uncommittedChanges());
    }

    @Test
    void codeFolder_isInsideTheCheckout() {
        Path code = GitCommit.codeFolder();

        assertNotNull(code);
        // The tests run from the checkout's target/ folder, so the code's folder names the checkout's commit.
        assertNotEquals(GitCommit.UNKNOWN, GitCommit.of(code).commit());
    }
}
