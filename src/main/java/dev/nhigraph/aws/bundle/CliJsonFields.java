package dev.nhigraph.aws.bundle;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads optional fields of AWS CLI JSON output. */
public final class CliJsonFields {

    private CliJsonFields() {
    }

    /** Returns the field as text, or null when the node or the field is absent or null, or the field is an object or list. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }
}
