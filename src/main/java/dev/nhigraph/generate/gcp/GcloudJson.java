package dev.nhigraph.generate.gcp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.NhigraphException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Writes JSON as {@code gcloud --format=json} prints it: two-space indentation, {@code "key": value}, the keys of
 * every object in alphabetical order, and a final newline. Line ends are \n on every platform, so the same content
 * gives the same bytes everywhere. List files are written one item at a time, so a large file is never whole in memory.
 */
final class GcloudJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private GcloudJson() {
    }

    /** Writes one item of a list file, or a whole value. */
    @FunctionalInterface
    interface Items {
        void writeTo(ListWriter list) throws IOException;
    }

    /** The open list of a file that {@link #writeList} writes. */
    static final class ListWriter {
        private final JsonGenerator json;
        private int items;

        private ListWriter(JsonGenerator json) {
            this.json = json;
        }

        void add(JsonNode item) throws IOException {
            writeSorted(json, item);
            items++;
        }

        int items() {
            return items;
        }
    }

    /**
     * Writes a top-level JSON list to {@code file}, creating its folders, with the items that {@code items} adds.
     *
     * @return the size of the file in bytes
     */
    static long writeList(Path file, Items items) {
        return write(file, json -> {
            json.writeStartArray();
            items.writeTo(new ListWriter(json));
            json.writeEndArray();
        });
    }

    /**
     * Writes one JSON value to {@code file}, creating its folders.
     *
     * @return the size of the file in bytes
     */
    static long writeValue(Path file, JsonNode value) {
        return write(file, json -> writeSorted(json, value));
    }

    private interface Content {
        void write(JsonGenerator json) throws IOException;
    }

    private static long write(Path file, Content content) {
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file);
                 JsonGenerator json = FACTORY.createGenerator(out)) {
                json.setPrettyPrinter(prettyPrinter());
                content.write(json);
                json.writeRaw('\n');
            }
            return Files.size(file);
        } catch (IOException e) {
            throw new NhigraphException("Failed to write " + file + ": " + e.getMessage(), e);
        }
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter twoSpaces = DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n").withIndent("  ");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        return new DefaultPrettyPrinter(separators).withObjectIndenter(twoSpaces).withArrayIndenter(twoSpaces);
    }

    /** Writes {@code node} with the fields of every object in alphabetical order, as gcloud sorts them. */
    private static void writeSorted(JsonGenerator json, JsonNode node) throws IOException {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            names.sort(null);
            json.writeStartObject();
            for (String name : names) {
                json.writeFieldName(name);
                writeSorted(json, node.get(name));
            }
            json.writeEndObject();
        } else if (node.isArray()) {
            json.writeStartArray();
            for (JsonNode item : node) {
                writeSorted(json, item);
            }
            json.writeEndArray();
        } else if (node.isTextual()) {
            json.writeString(node.textValue());
        } else if (node.isBoolean()) {
            json.writeBoolean(node.booleanValue());
        } else if (node.isIntegralNumber()) {
            json.writeNumber(node.longValue());
        } else if (node.isNumber()) {
            json.writeNumber(node.doubleValue());
        } else {
            json.writeNull();
        }
    }
}
