package dev.nhigraph.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Removal of the temporary directories that offline commands create. */
public final class TempDirectories {

    private static final Logger log = LoggerFactory.getLogger(TempDirectories.class);

    private TempDirectories() {
    }

    public static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("Failed to delete the temporary directory {}: {}", root, e.getMessage());
        }
    }
}
