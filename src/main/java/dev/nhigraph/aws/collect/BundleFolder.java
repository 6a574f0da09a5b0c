package dev.nhigraph.aws.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** The folder that a collection writes its responses into, in the offline bundle layout. */
final class BundleFolder {

    private static final ObjectWriter WRITER = new ObjectMapper().writerWithDefaultPrettyPrinter();

    private final Path root;
    private final AtomicInteger files = new AtomicInteger();

    BundleFolder(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Returns the number of files written. */
    int files() {
        return files.get();
    }

    /**
     * Writes {@code json} to the file at {@code first/more...} under the root, creating folders. Each part is one
     * path segment, so a name with a slash in it (a secret or an ECR repository) becomes one file name.
     */
    void write(JsonNode json, String first, String... more) {
        Path file = root.resolve(segment(first));
        for (String part : more) {
            file = file.resolve(segment(part));
        }
        try {
            Files.createDirectories(file.getParent());
            WRITER.writeValue(file.toFile(), json);
            files.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write the collected response " + file + ": " + e.getMessage()
                    + ". Check that the folder is writable and the disk has space.", e);
        }
    }

    /** Returns {@code name} as one safe path segment: separators and other unsafe characters are percent-encoded. */
    static String segment(String name) {
        StringBuilder safe = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isLetterOrDigit(c) || "-_.+=,@".indexOf(c) >= 0) {
                safe.append(c);
            } else {
                safe.append('%').append(String.format("%02X", (int) c & 0xFF));
            }
        }
        String result = safe.toString();
        return result.equals(".") || result.equals("..") ? result.replace(".", "%2E") : result;
    }
}
