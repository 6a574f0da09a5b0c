package dev.nhigraph.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.nhigraph.NhigraphException;
import dev.nhigraph.policy.PolicyDocuments;

/** JSON text for the evidence properties stored on relationships. */
final class Json {

    /** Leaves out null fields: a derived edge can carry a million of these, and readers treat absent as null. */
    private static final ObjectWriter WRITER = PolicyDocuments.JSON.copy()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL).writer();

    private Json() {
    }

    static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new NhigraphException("Failed to serialise evidence: " + e.getMessage(), e);
        }
    }
}
