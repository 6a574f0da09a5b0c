package dev.nhigraph.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The git commit of the working directory, as {@code git rev-parse HEAD} prints it, and whether the tree has
 * uncommitted changes. Outside a repository, or without git, the commit is "unknown".
 */
record GitCommit(String commit, Boolean uncommittedChanges) {

    static final String UNKNOWN = "unknown";
    private static final long TIMEOUT_SECONDS = 10;
    private static final Logger log = LoggerFactory.getLogger(GitCommit.class);

    /**
     * Reads the commit of the working directory, or, when that is not inside a checkout, of the folder that the
     * running jar or classes came from, such as target/ of the checkout that built them. So a benchmark started from
     * another folder still names its code.
     */
    static GitCommit ofThisRun() {
        GitCommit workingDirectory = of(Path.of("").toAbsolutePath());
        if (!UNKNOWN.equals(workingDirectory.commit())) {
            return workingDirectory;
        }
        Path code = codeFolder();
        return code == null ? workingDirectory : of(code);
    }

    /** Returns the folder of the jar or class folder that this class was loaded from, or null when unknown. */
    static Path codeFolder() {
        try {
            var source = GitCommit.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path location = Path.of(source.getLocation().toURI());
            return java.nio.file.Files.isDirectory(location) ? location : location.getParent();
        } catch (java.net.URISyntaxException | SecurityException | IllegalArgumentException e) {
            log.info("No code location for the result's commit: {}", e.getMessage());
            return null;
        }
    }

    /** Reads the commit of {@code folder}; uncommittedChanges is null when it is unknown. */
    static GitCommit of(Path folder) {
        String head = run(folder, "git", "rev-parse", "HEAD");
        if (head == null || head.isBlank()) {
            return new GitCommit(UNKNOWN, null);
        }
        String status = run(folder, "git", "status", "--porcelain", "--untracked-files=no");
        return new GitCommit(head.strip(), status == null ? null : !status.isBlank());
    }

    /** Returns the standard output of the command, or null when it fails, times out or git is missing. */
    private static String run(Path folder, String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).directory(folder.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroy();
                log.warn("{} timed out after {} s in {}", String.join(" ", command), TIMEOUT_SECONDS, folder);
                return null;
            }
            return process.exitValue() == 0 ? output : null;
        } catch (IOException e) {
            log.info("No git commit for the result: {}", e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
