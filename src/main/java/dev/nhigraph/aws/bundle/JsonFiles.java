package dev.nhigraph.aws.bundle;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.BadInputException;
import dev.nhigraph.aws.AuthorizationDetailsParser;
import dev.nhigraph.policy.PolicyDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads the JSON files of a bundle, with errors that name the file, line and column.
 *
 * <p>{@link #scan} checks a whole file with the streaming parser and keeps only the names of its top-level
 * fields and of the fields one level below, so that a large authorization-details export can be recognised
 * without building its tree.
 */
final class JsonFiles {

    /**
     * One top-level field: the token its value starts with, and the field names of that value when it is an
     * object, or of its first element when it is a list of objects.
     */
    record Field(JsonToken token, Set<String> keys, int size) {
    }

    /** The top-level fields of a file, in file order; empty when the file is a JSON value other than an object. */
    record Shape(JsonToken rootToken, Map<String, Field> fields) {

        boolean isObject() {
            return rootToken == JsonToken.START_OBJECT;
        }

        boolean has(String field) {
            return fields.containsKey(field);
        }

        Field field(String name) {
            return fields.get(name);
        }
    }

    private JsonFiles() {
    }

    /**
     * Reads the whole file as JSON and returns its shape.
     *
     * @throws BadInputException naming the file, and the line and column where one is known, when the file is
     *                           missing, too large, empty, not valid JSON, or has content after its JSON value
     */
    static Shape scan(Path file) {
        checkFile(file);
        try (JsonParser parser = PolicyDocuments.JSON.getFactory().createParser(file.toFile())) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new BadInputException(file + " is empty; expected the JSON output of an AWS CLI or gcloud"
                        + " command. Export it again with --output json (AWS CLI) or --format=json (gcloud).");
            }
            Map<String, Field> fields = new LinkedHashMap<>();
            if (first == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    fields.put(name, scanValue(parser, parser.nextToken()));
                }
            } else {
                parser.skipChildren();
            }
            if (parser.nextToken() != null) {
                throw new BadInputException(file + " has more content after its JSON value, at " + position(parser.currentLocation())
                        + ", so it is not the output of one AWS CLI or gcloud command. Save the output of each command in its own file.");
            }
            return new Shape(first, fields);
        } catch (JsonProcessingException e) {
            throw notJson(file, e);
        } catch (IOException e) {
            throw new BadInputException("Failed to read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the whole file as a JSON tree; call it after {@link #scan} accepted the file. */
    static JsonNode readTree(Path file) {
        try {
            return PolicyDocuments.JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw notJson(file, e);
        } catch (IOException e) {
            throw new BadInputException("Failed to read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a whole text file as UTF-8, after the same checks as {@link #scan}. */
    static String readText(Path file) {
        checkFile(file);
        try {
            return Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadInputException(file + " is not UTF-8 text; save the credential report as the AWS CLI prints it.", e);
        } catch (IOException e) {
            throw new BadInputException("Failed to read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void checkFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + " does not exist or is not a file.");
        }
        try {
            long size = Files.size(file);
            if (size > AuthorizationDetailsParser.MAX_FILE_BYTES) {
                throw new BadInputException(file + " is " + size + " bytes, more than the limit of "
                        + AuthorizationDetailsParser.MAX_FILE_BYTES + " bytes for one file. Split the export by account.");
            }
        } catch (IOException e) {
            throw new BadInputException("Failed to read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads one value after its first token and returns what it contains at the next level. */
    private static Field scanValue(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.START_OBJECT) {
            Set<String> keys = objectKeys(parser);
            return new Field(token, keys, keys.size());
        }
        if (token == JsonToken.START_ARRAY) {
            Set<String> keys = Set.of();
            int size = 0;
            for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
                if (size == 0 && element == JsonToken.START_OBJECT) {
                    keys = objectKeys(parser);
                } else {
                    parser.skipChildren();
                }
                size++;
            }
            return new Field(token, keys, size);
        }
        return new Field(token, Set.of(), 0);
    }

    /** Returns the field names of the object whose START_OBJECT was just read, skipping their values. */
    private static Set<String> objectKeys(JsonParser parser) throws IOException {
        Set<String> keys = new LinkedHashSet<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            keys.add(parser.currentName());
            parser.nextToken();
            parser.skipChildren();
        }
        return keys;
    }

    private static BadInputException notJson(Path file, JsonProcessingException e) {
        return new BadInputException(file + " is not valid JSON at " + position(e.getLocation()) + ": " + e.getOriginalMessage()
                + ". Check that the file is a complete, unedited export.", e);
    }

    private static String position(JsonLocation at) {
        return at == null ? "an unknown position" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
}
