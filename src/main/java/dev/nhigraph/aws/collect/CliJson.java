package dev.nhigraph.aws.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

/**
 * Converts SDK responses into the JSON that the AWS CLI prints for them with {@code --output json}: the members'
 * names as the service model spells them, members the response lacks left out, timestamps in ISO-8601 and blobs in
 * base64. So a collected bundle reads like one saved from the CLI, and the offline readers take both.
 */
final class CliJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The IAM members that carry a URL-encoded policy document, which the CLI prints decoded as JSON. */
    private static final Set<String> IAM_DOCUMENT_FIELDS = Set.of("PolicyDocument", "AssumeRolePolicyDocument", "Document");

    private CliJson() {
    }

    /** Returns the CLI's JSON form of an SDK response, or of any member value in it. */
    static JsonNode of(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof SdkPojo pojo) {
            ObjectNode object = NODES.objectNode();
            for (SdkField<?> field : pojo.sdkFields()) {
                Object member = field.getValueOrDefault(pojo);
                // An auto-construct list or map stands for a member the response did not contain; the CLI omits it.
                if (member == null || member instanceof SdkAutoConstructList<?> || member instanceof SdkAutoConstructMap<?, ?>) {
                    continue;
                }
                object.set(field.memberName(), of(member));
            }
            return object;
        }
        if (value instanceof Collection<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(item -> array.add(of(item)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((key, item) -> object.set(String.valueOf(key), of(item)));
            return object;
        }
        if (value instanceof String text) {
            return NODES.textNode(text);
        }
        if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        }
        if (value instanceof Integer number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Long number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Number number) {
            return NODES.numberNode(new java.math.BigDecimal(number.toString()));
        }
        if (value instanceof Instant instant) {
            return NODES.textNode(instant.toString());
        }
        if (value instanceof SdkBytes bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes.asByteArray()));
        }
        return NODES.textNode(value.toString());
    }

    /**
     * Replaces every URL-encoded IAM policy document under {@code node} by the JSON it encodes, in place, as the CLI
     * does. A document that does not decode to JSON stays a string, so the reader reports it with its item.
     */
    static JsonNode decodeIamDocuments(JsonNode node) {
        if (node instanceof ObjectNode object) {
            var fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (IAM_DOCUMENT_FIELDS.contains(field.getKey()) && field.getValue().isTextual()) {
                    field.setValue(decodedDocument(field.getValue().asText()));
                } else {
                    decodeIamDocuments(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(CliJson::decodeIamDocuments);
        }
        return node;
    }

    private static JsonNode decodedDocument(String encoded) {
        try {
            // '+' is a literal plus in these documents, not a space, so it must survive the form decoding.
            String decoded = URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
            return MAPPER.readTree(decoded);
        } catch (IOException | IllegalArgumentException e) {
            return NODES.textNode(encoded);
        }
    }
}
