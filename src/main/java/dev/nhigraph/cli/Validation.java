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

    static void port(int port, String option) {
        if (port < 0 || port > 65_535) {
            throw new BadInputException(option + " " + port + " is not a TCP port (0..65535).");
        }
    }
}
