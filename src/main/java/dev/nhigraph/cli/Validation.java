package dev.nhigraph.cli;

import dev.nhigraph.BadInputException;
import dev.nhigraph.analysis.BlastRadius;

/** Checks of option values that picocli's types cannot express. */
final class Validation {

    private Validation() {
    }

    static void depth(int maxDepth) {
        if (maxDepth < 0 || maxDepth > BlastRadius.MAX_DEPTH_LIMIT) {
            throw new BadInputException("--max-depth " + maxDepth + " is outside the allowed range 0.."
                    + BlastRadius.MAX_DEPTH_LIMIT + ".");
        }
    }

    /**
     * Creates {@code folder} if needed and checks that a file can be written in it, so that a bad --out fails
     * before a long run rather than after it.
     */
    static void writableFolder(java.nio.file.Path folder, String option) {
        try {
            java.nio.file.Files.createDirectories(folder);
            java.nio.file.Path probe = java.nio.file.Files.createTempFile(folder, ".nhigraph-write-check", ".tmp");
            java.nio.file.Files.delete(probe);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new BadInputException(option + " " + folder + " is an existing file, not a folder. Give a folder for the report.");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new BadInputException(option + " " + folder + " is not writable (permission denied on " + e.getFile()
                    + "). Give a folder you can write to.");
        } catch (java.io.IOException e) {
            throw new BadInputException(option + " " + folder + " cannot be used: " + e.getClass().getSimpleName() + " "
                    + e.getMessage() + ". Give a folder you can write to.");
        }
    }

    /** Checks that the HTTP port is free on {@code host} before anything slow starts. */
    static void httpPortFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName(host), port));
        } catch (java.io.IOException e) {
            throw new BadInputException("HTTP port " + port + " on " + host + " is not available (" + e.getMessage()
                    + "). Choose another port with --port.");
        }
    }

    static void port(int port, String option) {
        if (port < 0 || port > 65_535) {
            throw new BadInputException(option + " " + port + " is not a TCP port (0..65535).");
        }
    }

    static void range(int value, int min, int max, String option) {
        if (value < min || value > max) {
            throw new BadInputException(option + " " + value + " is outside the allowed range " + min + ".." + max + ".");
        }
    }
}
