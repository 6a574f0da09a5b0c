package dev.nhigraph.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.nhigraph.NhigraphException;
import dev.nhigraph.policy.PolicyDocuments;

/** JSON text for the evidence properties stored on relationships. */
final class Json {

    private Json() {
    }

    static String write(Object value) {
        try {
            return PolicyDocuments.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new NhigraphException("Failed to serialise evidence: " + e.getMessage(), e);
        }
    }
}
