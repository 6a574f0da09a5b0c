package dev.nhigraph.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of an embedded database's folder, for tests that start a database on a copy of another. */
public final class DatabaseFolders {

    private DatabaseFolders() {
    }

    /** Copies a stopped database's folder to {@code target}, which must not exist yet, and returns {@code target}. */
    public static Path copy(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy);
                }
            }
        }
        return target;
    }
}
