package dev.nhigraph.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.aws.IamModel.SkippedItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code collection-gaps.json} file at the root of a collected bundle: which collector wrote it, when, and the
 * calls it could not make. A load stores the gaps on the Snapshot node, so a bundle loaded later keeps them.
 */
public final class CollectionGapsFile {

    /** The file name that the collectors write at the bundle root; readers recognise the file by its content. */
    public static final String FILE_NAME = "collection-gaps.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The content of one file.
     *
     * @param gaps    the gaps that could be read
     * @param skipped the gaps that lack a required field or have an unknown reason, each with what to fix
     */
    public record Content(String collector, String version, String startedAt, String finishedAt,
                          List<CollectionGap> gaps, List<SkippedItem> skipped) {
    }

    private CollectionGapsFile() {
    }

    /** Tells whether {@code root} is a collection-gaps file: an object with a {@code collectionGaps} list. */
    public static boolean recognise(JsonNode root) {
        return root.isObject() && root.path("collectionGaps").isArray();
    }

    /** Reads a recognised file; a gap without cloud, scope, service, call or a known reason is skipped. */
    public static Content read(JsonNode root, Path file) {
        List<CollectionGap> gaps = new ArrayList<>();
        List<SkippedItem> skipped = new ArrayList<>();
        int index = 0;
        for (JsonNode item : root.path("collectionGaps")) {
            String where = "collectionGaps[" + index++ + "]";
            CollectionGap.Reason reason = CollectionGap.Reason.of(item.path("reason").asText(null));
            String cloud = text(item, "cloud");
            String scope = text(item, "scope");
            String service = text(item, "service");
            String call = text(item, "call");
            if (cloud == null || scope == null || service == null || call == null || reason == null) {
                skipped.add(new SkippedItem(file.toString(), where, "a collection gap needs cloud, scope, service,"
                        + " call and a reason of access-denied, not-enabled, region-disabled, timeout, throttled or"
                        + " error; fix the item or take it out"));
                continue;
            }
            gaps.add(new CollectionGap(cloud, scope, text(item, "region"), service, call, reason, text(item, "message")));
        }
        return new Content(text(root, "collector"), text(root, "version"), text(root, "startedAt"),
                text(root, "finishedAt"), List.copyOf(gaps), List.copyOf(skipped));
    }

    /** Writes the file into {@code folder}, replacing an older one. */
    public static Path write(Path folder, String collector, String version, Instant startedAt, Instant finishedAt,
                             List<CollectionGap> gaps) {
        ObjectNode root = JSON.createObjectNode();
        root.put("collector", collector);
        root.put("version", version);
        root.put("startedAt", startedAt.toString());
        root.put("finishedAt", finishedAt.toString());
        ArrayNode items = root.putArray("collectionGaps");
        for (CollectionGap gap : gaps) {
            ObjectNode item = items.addObject();
            item.put("cloud", gap.cloud());
            item.put("scope", gap.scope());
            if (gap.region() != null) {
                item.put("region", gap.region());
            }
            item.put("service", gap.service());
            item.put("call", gap.call());
            item.put("reason", gap.reason().label());
            if (gap.message() != null) {
                item.put("message", gap.message());
            }
        }
        Path file = folder.resolve(FILE_NAME);
        try {
            Files.createDirectories(folder);
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }
}
