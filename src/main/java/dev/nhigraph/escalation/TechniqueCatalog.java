package dev.nhigraph.escalation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.nhigraph.policy.ActionCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Catalogue of AWS privilege-escalation techniques, read from JSON and checked entry by entry.
 *
 * <p>The bundled catalogue is the classpath resource {@value #DEFAULT_RESOURCE}; its format is
 * described in docs/escalation-techniques.md. Instances are immutable and safe to share between
 * threads.
 */
public final class TechniqueCatalog {

    /** Classpath location of the bundled catalogue. */
    public static final String DEFAULT_RESOURCE = "/aws/escalation-techniques.json";

    // Duplicate keys would silently keep the last value, so a copy-paste slip in an entry is rejected.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final List<Technique> techniques;
    private final Map<String, Technique> byId;

    private TechniqueCatalog(List<Technique> techniques) {
        this.techniques = List.copyOf(techniques);
        Map<String, Technique> ids = new LinkedHashMap<>();
        for (Technique technique : this.techniques) {
            ids.put(technique.id(), technique);
        }
        this.byId = Map.copyOf(ids);
    }

    /**
     * Reads the bundled catalogue and checks its actions against {@link ActionCatalog#loadDefault()}.
     * Each call reads the resource again, so callers keep the instance.
     *
     * @throws IllegalStateException if the resource is missing
     * @throws UncheckedIOException if the resource cannot be read or an entry is invalid
     */
    public static TechniqueCatalog loadDefault() {
        try (InputStream in = TechniqueCatalog.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "Escalation technique catalogue " + DEFAULT_RESOURCE + " not found on the classpath");
            }
            return read(in, ActionCatalog.loadDefault());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to load escalation technique catalogue " + DEFAULT_RESOURCE, e);
        }
    }

    /**
     * Reads a catalogue in the bundled format and checks every entry. The stream is not closed.
     *
     * @param actions the catalogue in which every permission's action must exist
     * @throws IOException if the input is not JSON of the expected shape, or if any entry is invalid.
     *     The message lists every problem found, each with the technique id.
     */
    public static TechniqueCatalog read(InputStream json, ActionCatalog actions) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IOException("Escalation technique catalogue is not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode entries = root == null ? null : root.get("techniques");
        if (entries == null || !entries.isArray()) {
            throw new IOException("Escalation technique catalogue must be an object with a \"techniques\" array");
        }
        Iterator<String> fields = root.fieldNames();
        while (fields.hasNext()) {
            String field = fields.next();
            if (!field.equals("techniques")) {
                throw new IOException("Escalation technique catalogue has an unknown top-level field \"" + field
                        + "\", only \"techniques\" is allowed");
            }
        }

        TechniqueValidator validator = new TechniqueValidator(actions);
        List<Technique> techniques = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int index = 0; index < entries.size(); index++) {
            JsonNode entry = entries.get(index);
            String label = labelOf(entry, index);
            Technique technique;
            try {
                technique = MAPPER.treeToValue(entry, Technique.class);
            } catch (JsonMappingException e) {
                problems.add(label + ": " + describe(e));
                continue;
            }
            for (String problem : validator.check(technique)) {
                problems.add(label + ": " + problem);
            }
            techniques.add(technique);
        }

        if (!problems.isEmpty()) {
            throw new IOException(problems.size() + " problem(s) in the escalation technique catalogue:\n  "
                    + String.join("\n  ", problems));
        }
        return new TechniqueCatalog(techniques);
    }

    /** Names an entry in error messages: by its id, or by its position when the id is missing. */
    private static String labelOf(JsonNode entry, int index) {
        JsonNode id = entry.get("id");
        if (id != null && id.isTextual() && !id.asText().isBlank()) {
            return "technique " + id.asText();
        }
        return "technique at index " + index + " (no id)";
    }

    /** Turns a binding error into one line: where in the entry, then what is wrong there. */
    private static String describe(JsonMappingException e) {
        List<JsonMappingException.Reference> references = e.getPath();
        String detail;
        if (e instanceof UnrecognizedPropertyException unknown) {
            // The path ends at the unknown field itself, which the detail already names.
            references = references.subList(0, Math.max(0, references.size() - 1));
            detail = "unknown field \"" + unknown.getPropertyName() + "\"";
        } else if (e.getCause() instanceof IllegalArgumentException invalid) {
            // Thrown by the enums' fromLabel, whose message already names the field.
            return invalid.getMessage();
        } else {
            detail = e.getOriginalMessage();
        }

        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? detail : path + ": " + detail;
    }

    /** Returns every technique in file order. */
    public List<Technique> all() {
        return techniques;
    }

    /** Finds a technique by its exact id. */
    public Optional<Technique> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Returns the number of techniques. */
    public int size() {
        return techniques.size();
    }
}
