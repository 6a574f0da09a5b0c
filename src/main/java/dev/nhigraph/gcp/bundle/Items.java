package dev.nhigraph.gcp.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The items of one file: the elements of a list command's output, or the one object of a describe command's.
 *
 * @param list whether the file is a list, which decides how an item is named in messages
 */
record Items(List<JsonNode> nodes, boolean list) {

    static Items of(JsonNode root) {
        if (!root.isArray()) {
            return new Items(List.of(root), false);
        }
        List<JsonNode> nodes = new ArrayList<>();
        root.forEach(nodes::add);
        return new Items(nodes, true);
    }

    int size() {
        return nodes.size();
    }

    JsonNode get(int index) {
        return nodes.get(index);
    }

    /** Returns how messages name item {@code index}: its position in a list, or "the object" for a describe output. */
    String label(int index) {
        return list ? "[" + index + "]" : "the object";
    }
}
