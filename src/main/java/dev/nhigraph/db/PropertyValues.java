package dev.nhigraph.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Neo4j property values as JSON with their type, so that the {@link LoadJournal} gives back a long as a long and a
 * string array as a string array.
 *
 * <p>nhigraph stores strings, integers, floating-point numbers, booleans and arrays of them. Any other type (a date,
 * a point) is rejected with the property's key, which fails the load's transaction before it commits: a journal
 * that could not undo a change must not exist.
 */
final class PropertyValues {

    private PropertyValues() {
    }

    static ObjectNode encode(Object value, String key) {
        ObjectNode encoded = JsonNodeFactory.instance.objectNode();
        if (value instanceof String text) {
            encoded.put("type", "string").put("value", text);
        } else if (value instanceof Long number) {
            encoded.put("type", "long").put("value", number);
        } else if (value instanceof Integer number) {
            encoded.put("type", "int").put("value", number);
        } else if (value instanceof Double number) {
            encoded.put("type", "double").put("value", number);
        } else if (value instanceof Boolean flag) {
            encoded.put("type", "boolean").put("value", flag);
        } else if (value instanceof String[] texts) {
            ArrayNode array = encoded.put("type", "string[]").putArray("value");
            for (String text : texts) {
                array.add(text);
            }
        } else if (value instanceof long[] numbers) {
            ArrayNode array = encoded.put("type", "long[]").putArray("value");
            for (long number : numbers) {
                array.add(number);
            }
        } else if (value instanceof double[] numbers) {
            ArrayNode array = encoded.put("type", "double[]").putArray("value");
            for (double number : numbers) {
                array.add(number);
            }
        } else if (value instanceof boolean[] flags) {
            ArrayNode array = encoded.put("type", "boolean[]").putArray("value");
            for (boolean flag : flags) {
                array.add(flag);
            }
        } else {
            throw new IllegalArgumentException("The load journal cannot record property " + key + " of type "
                    + (value == null ? "null" : value.getClass().getSimpleName()) + "; nhigraph stores only strings,"
                    + " numbers, booleans and arrays of them.");
        }
        return encoded;
    }

    static Object decode(JsonNode encoded, String key) {
        JsonNode value = encoded.path("value");
        String type = encoded.path("type").asText();
        return switch (type) {
            case "string" -> value.asText();
            case "long" -> value.asLong();
            case "int" -> value.asInt();
            case "double" -> value.asDouble();
            case "boolean" -> value.asBoolean();
            case "string[]" -> {
                String[] texts = new String[value.size()];
                for (int i = 0; i < texts.length; i++) {
                    texts[i] = value.get(i).asText();
                }
                yield texts;
            }
            case "long[]" -> {
                long[] numbers = new long[value.size()];
                for (int i = 0; i < numbers.length; i++) {
                    numbers[i] = value.get(i).asLong();
                }
                yield numbers;
            }
            case "double[]" -> {
                double[] numbers = new double[value.size()];
                for (int i = 0; i < numbers.length; i++) {
                    numbers[i] = value.get(i).asDouble();
                }
                yield numbers;
            }
            case "boolean[]" -> {
                boolean[] flags = new boolean[value.size()];
                for (int i = 0; i < flags.length; i++) {
                    flags[i] = value.get(i).asBoolean();
                }
                yield flags;
            }
            default -> throw new IllegalStateException("the journal gives property " + key + " an unknown type " + type);
        };
    }
}
