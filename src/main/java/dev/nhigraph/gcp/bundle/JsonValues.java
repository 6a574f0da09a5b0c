package dev.nhigraph.gcp.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads optional fields of gcloud JSON output, mapping an absent, null or empty value to null. */
final class JsonValues {

    private JsonValues() {
    }

    /** Returns the field as text, or null when it is absent, null, empty or an object or list. */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText();
        return text.isEmpty() ? null : text;
    }

    /** Returns the text items of a list field, or an empty list when the field is absent or not a list. */
    static List<String> strings(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        List<String> items = new ArrayList<>();
        if (value != null && value.isArray()) {
            for (JsonNode item : value) {
                if (item.isValueNode() && !item.isNull() && !item.asText().isEmpty()) {
                    items.add(item.asText());
                }
            }
        }
        return items;
    }

    /** Returns the field as a boolean; gcloud leaves {@code false} out, so absent means false. */
    static boolean flag(JsonNode node, String field) {
        return node != null && node.path(field).asBoolean(false);
    }

    static String firstNonNull(String first, String second) {
        return first != null ? first : second;
    }
}
