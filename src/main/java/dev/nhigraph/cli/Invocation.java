package dev.nhigraph.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/** The command that runs nhigraph, for messages that print a next step to copy. */
final class Invocation {

    /** The README's way to run nhigraph from the project folder after {@code mvn package}. */
    static final String README_COMMAND = "java -jar target/nhigraph.jar";

    private Invocation() {
    }

    /**
     * Returns {@code java -jar JAR} for the jar this class was loaded from, relative to the current folder when it
     * is inside it, or {@link #README_COMMAND} when the classes do not come from a jar (tests, an IDE).
     */
    static String command() {
        CodeSource source = Invocation.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            return README_COMMAND;
        }
        Path location;
        try {
            location = Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return README_COMMAND;
        }
        if (!Files.isRegularFile(location) || !location.getFileName().toString().endsWith(".jar")) {
            return README_COMMAND;
        }
        Path workingDirectory = Path.of("").toAbsolutePath();
        Path jar = location.startsWith(workingDirectory) ? workingDirectory.relativize(location) : location;
        return "java -jar " + jar;
    }
}
