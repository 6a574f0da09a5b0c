package dev.nhigraph.gcp.collect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.nhigraph.NhigraphException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes API responses as gcloud's {@code --format=json} prints them: a list command's items as one JSON list of the
 * resources in the API's camelCase field names, without the fields that are at their default value.
 */
final class BundleFiles {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer();
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;

    BundleFiles(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Writes {@code items} as one JSON list to {@code relative}; writes nothing for no items, as an empty list loads nothing. */
    void writeList(String relative, List<? extends MessageOrBuilder> items) {
        try (ListWriter list = openList(relative)) {
            for (MessageOrBuilder item : items) {
                list.add(item);
            }
        }
    }

    /** Returns a writer of one JSON list to {@code relative}, which creates the file with its first item. */
    ListWriter openList(String relative) {
        return new ListWriter(root.resolve(relative));
    }

    /** A JSON list written item by item, so that a search with millions of results is never held in memory whole. */
    static final class ListWriter implements AutoCloseable {

        private final Path file;
        private Writer out;

        private ListWriter(Path file) {
            this.file = file;
        }

        synchronized void add(MessageOrBuilder item) {
            try {
                if (out == null) {
                    Files.createDirectories(file.getParent());
                    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                    out.write("[\n");
                } else {
                    out.write(",\n");
                }
                out.write(PRINTER.print(item));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("Could not print a Google API response as JSON for " + file + ": "
                        + e.getMessage(), e);
            } catch (IOException e) {
                throw writeFailed(file, e);
            }
        }

        @Override
        public synchronized void close() {
            if (out == null) {
                return;
            }
            try (Writer closing = out) {
                closing.write("\n]\n");
            } catch (IOException e) {
                throw writeFailed(file, e);
            }
        }
    }

    /** Writes {@code value} with Jackson, for the files that are nhigraph's own, such as collection-gaps.json. */
    void writeJson(String relative, Object value) {
        Path file = root.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw writeFailed(file, e);
        }
    }

    /** Returns a file name for an email, a project id or a resource name: '/' and ':' become '-'. */
    static String fileName(String name) {
        return name.replaceAll("[/:\\\\]", "-") + ".json";
    }

    private static NhigraphException writeFailed(Path file, IOException e) {
        return new NhigraphException("Could not write " + file + ": " + e.getMessage()
                + ". Check that the folder is writable and the disk has space, then collect again.", e);
    }
}
