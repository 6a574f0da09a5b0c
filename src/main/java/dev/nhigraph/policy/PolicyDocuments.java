package dev.nhigraph.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.policy.eval.ConditionEvaluator;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Decoding and validation of IAM policy documents as exports carry them.
 *
 * <p>The AWS CLI prints documents as JSON objects; the raw IAM API (and SDKs that do not decode) returns
 * them as URL-encoded JSON strings. Both forms are accepted.
 */
public final class PolicyDocuments {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");

    private PolicyDocuments() {
    }

    /**
     * Returns the document as a JSON tree, decoding a URL-encoded string first.
     *
     * @throws IllegalArgumentException with the reason when the value is not a JSON object
     */
    public static JsonNode decode(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw new IllegalArgumentException("the document is missing");
        }
        if (value.isObject()) {
            return value;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("the document is a JSON " + value.getNodeType().name().toLowerCase()
                    + ", not an object or a URL-encoded string");
        }
        String text = value.asText().strip();
        if (text.startsWith("%7B") || text.startsWith("%7b")) {
            // RFC 3986 encoding, as IAM uses it, writes '+' as %2B, so a literal '+' is not a space here.
            text = URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        try {
            JsonNode parsed = JSON.readTree(text);
            if (parsed == null || !parsed.isObject()) {
                throw new IllegalArgumentException("the document is not a JSON object");
            }
            return parsed;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the document is not valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    /**
     * Returns why {@code document} is not an IAM policy, or null when it is one.
     *
     * <p>Checks the shape only: a Statement (an object or a list of objects), each with an Effect of Allow or
     * Deny, an Action or NotAction, and a known Version when one is given.
     */
    public static String invalidReason(JsonNode document) {
        JsonNode version = document.get("Version");
        if (version != null && !VERSIONS.contains(version.asText())) {
            return "unknown policy Version \"" + version.asText() + "\" (expected 2012-10-17 or 2008-10-17)";
        }
        JsonNode statements = document.get("Statement");
        if (statements == null) {
            return "it has no Statement";
        }
        if (!statements.isObject() && !statements.isArray()) {
            return "its Statement is neither an object nor a list";
        }
        int index = 0;
        for (JsonNode statement : statements.isArray() ? statements : JSON.createArrayNode().add(statements)) {
            String reason = invalidStatementReason(statement, "2012-10-17".equals(document.path("Version").asText()));
            if (reason != null) {
                return "Statement[" + index + "] " + reason;
            }
            index++;
        }
        return null;
    }

    private static String invalidStatementReason(JsonNode statement, boolean policyVariables) {
        if (!statement.isObject()) {
            return "is not an object";
        }
        String effect = statement.path("Effect").asText("");
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            return "has Effect \"" + effect + "\" (expected Allow or Deny)";
        }
        if (!statement.has("Action") && !statement.has("NotAction")) {
            return "has neither Action nor NotAction";
        }
        // Compiled here as well as at evaluation, because a block that fails there would stop the derivation of a
        // load whose facts are already stored.
        if (statement.has("Condition")) {
            try {
                ConditionEvaluator.compile(statement.get("Condition"), policyVariables);
            } catch (IllegalArgumentException e) {
                return "has an invalid Condition: " + e.getMessage();
            }
        }
        return null;
    }
}
