package dev.nhigraph.generate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.nhigraph.NhigraphException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JSON writer of the bundle, in the format of the AWS CLI's {@code --output json}: four-space indentation,
 * {@code "key": value}, empty lists as {@code []}, a final newline. Line ends are always \n, whatever the
 * platform, so the same content gives the same bytes everywhere.
 */
final class JsonOutput {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter PRETTY;

    static {
        DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""));
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        PRETTY = MAPPER.writer(printer);
    }

    private JsonOutput() {
    }

    /** Returns the document as compact JSON, as the APIs return policy documents inside a string. */
    static String compact(JsonNode document) {
        try {
            return MAPPER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new NhigraphException("Failed to format a policy document as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes one JSON value to a generator that has the format of {@link #write}. */
    @FunctionalInterface
    interface ContentWriter {
        void write(JsonGenerator json) throws IOException;
    }

    /**
     * Writes a file piece by piece through {@code content}, creating its folders, so that a large file never
     * exists whole in memory. The bytes equal those of {@link #write} for the same content.
     */
    static void stream(Path file, ContentWriter content) {
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file);
                 JsonGenerator json = PRETTY.createGenerator(out)) {
                content.write(json);
                json.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new NhigraphException("Failed to write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code content} to {@code file}, creating its folders. */
    static void write(Path file, JsonNode content) {
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(PRETTY.writeValueAsBytes(content));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new NhigraphException("Failed to write " + file + ": " + e.getMessage(), e);
        }
    }
}
