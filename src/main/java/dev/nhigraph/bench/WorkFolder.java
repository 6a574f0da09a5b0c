package dev.nhigraph.bench;

import dev.nhigraph.BadInputException;
import dev.nhigraph.NhigraphException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The folder of a run's organisation and database: one given with --work and kept, or a temporary one. */
final class WorkFolder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkFolder.class);

    private final Path path;
    private final boolean temporary;

    private WorkFolder(Path path, boolean temporary) {
        this.path = path;
        this.temporary = temporary;
    }

    /**
     * Opens {@code folder}, created if needed, or a new temporary folder when it is null.
     *
     * @throws BadInputException when {@code folder} is not empty, so that no earlier run's database is reused
     */
    static WorkFolder open(Path folder) {
        if (folder == null) {
            try {
                return new WorkFolder(Files.createTempDirectory("nhigraph-benchmark-"), true);
            } catch (IOException e) {
                throw new NhigraphException("Failed to create a temporary folder for the benchmark: " + e.getMessage(), e);
            }
        }
        try {
            Files.createDirectories(folder);
            try (Stream<Path> entries = Files.list(folder)) {
                if (entries.findAny().isPresent()) {
                    throw new BadInputException("--work " + folder + " is not empty. Give a new or empty folder, so that"
                            + " the benchmark loads into a fresh database.");
                }
            }
        } catch (IOException e) {
            throw new BadInputException("--work " + folder + " cannot be used: " + e.getMessage()
                    + ". Give a folder you can write to.", e);
        }
        return new WorkFolder(folder, false);
    }

    Path resolve(String name) {
        return path.resolve(name);
    }

    /** Deletes a temporary folder with everything in it; a folder given with --work is kept. */
    @Override
    public void close() {
        if (!temporary) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path entry : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        } catch (IOException e) {
            log.warn("Failed to delete the benchmark's temporary folder {}: {}", path, e.getMessage());
        }
    }
}
