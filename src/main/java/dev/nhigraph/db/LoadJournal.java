package dev.nhigraph.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.NhigraphException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.NotFoundException;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.Transaction;
import org.neo4j.graphdb.event.LabelEntry;
import org.neo4j.graphdb.event.PropertyEntry;
import org.neo4j.graphdb.event.TransactionData;
import org.neo4j.graphdb.event.TransactionEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The undo journal that lets the embedded database return to the previous snapshot after a load dies half way.
 *
 * <p>A load stores its facts in one transaction, together with the {@code LoadInProgress} marker, and then derives
 * CAN_ASSUME, CAN_ACCESS, CAN_ESCALATE and the GCP edges in many smaller ones. Just before the facts transaction
 * commits, this listener writes what it changes, with the values it overwrites, to {@value #FILE_NAME} in the data
 * directory, and syncs the file to disk. The derived edges are not journaled: they are a function of the facts, and
 * recovery derives them again.
 *
 * <p>On the next start, {@link #restore} applies the journal in reverse, in one transaction, if the graph still
 * has that load's marker. The facts are then the previous snapshot's again, and the marker gets
 * {@code restored = true}, so that the caller derives the edges and deletes the marker. A journal whose load has no
 * marker belongs to a transaction that rolled back, or to a load that finished, so it is deleted.
 *
 * <p>Derived relationships and the nodes that only group derived targets are left out of the journal, because the
 * derivation deletes and re-creates them between the facts transaction and a crash; their element ids are not stable.
 */
public final class LoadJournal implements TransactionEventListener<LoadJournal.Step> {

    /** The journal's file name in the data directory. */
    public static final String FILE_NAME = "load-undo.json";

    /** The file name of a journal that could not be applied, kept for inspection so that no later start retries it. */
    public static final String FAILED_FILE_NAME = "load-undo.failed.json";

    static final Label MARKER = Label.label("LoadInProgress");

    private static final int FORMAT = 1;
    private static final Logger log = LoggerFactory.getLogger(LoadJournal.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    LoadJournal(Path home) {
        this.file = home.resolve(FILE_NAME);
    }

    /** The journal work that a transaction leaves for after its commit or rollback. */
    enum Step {
        /** The transaction stores a load's facts; the journal written for it is void if it rolls back. */
        WRITTEN,
        /** The transaction ends a load; its journal is no longer needed once it commits. */
        FINISHES
    }

    @Override
    public Step beforeCommit(TransactionData data, Transaction transaction, GraphDatabaseService databaseService)
            throws IOException {
        Node marker = createdMarker(data);
        if (marker == null) {
            return deletesMarker(data) ? Step.FINISHES : null;
        }
        long started = System.nanoTime();
        ObjectNode journal = new Capture(data).journal();
        journal.put("format", FORMAT);
        journal.put("snapshot", String.valueOf(marker.getProperty("snapshot", "")));
        journal.put("startedAt", String.valueOf(marker.getProperty("startedAt", "")));
        writeDurably(journal);
        log.info("Load journal: {} undo entries for snapshot {} written to {} in {} ms", journal.path("size").asInt(),
                shortId(journal.path("snapshot").asText()), file, (System.nanoTime() - started) / 1_000_000);
        return Step.WRITTEN;
    }

    @Override
    public void afterCommit(TransactionData data, Step step, GraphDatabaseService databaseService) {
        if (step == Step.FINISHES) {
            deleteQuietly(file);
        }
    }

    @Override
    public void afterRollback(TransactionData data, Step step, GraphDatabaseService databaseService) {
        if (step == Step.WRITTEN) {
            deleteQuietly(file);
        }
    }

    /** Returns whether this transaction deletes a LoadInProgress node, as the end of a load does. */
    private static boolean deletesMarker(TransactionData data) {
        for (LabelEntry entry : data.removedLabels()) {
            if (entry.label().name().equals(MARKER.name()) && data.isDeleted(entry.node())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns whether nodes with this label stay out of the journal: derived grouping nodes, which the derivation
     * re-creates, and the marker, which the restore keeps to say that the edges remain to be derived.
     */
    private static boolean notJournaled(String label) {
        return DerivedGraph.LABELS.contains(label) || MARKER.name().equals(label);
    }

    /** Returns the LoadInProgress node that this transaction creates, or null when it creates none. */
    private static Node createdMarker(TransactionData data) {
        for (LabelEntry entry : data.assignedLabels()) {
            if (entry.label().name().equals(MARKER.name())) {
                return entry.node();
            }
        }
        return null;
    }

    private void writeDurably(ObjectNode journal) throws IOException {
        Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            JSON.writeValue(out, journal);
        }
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // The rename is durable only once the folder is synced; without it a crash could lose the journal of a
        // transaction that Neo4j committed.
        try (FileChannel folder = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException e) {
            log.debug("Could not sync folder {}: {}", file.getParent(), e.getMessage());
        }
    }

    /** The undo entries of one transaction, read from its TransactionData before it commits. */
    private static final class Capture {

        private final TransactionData data;
        private final Set<String> createdNodes = new HashSet<>();
        private final Map<String, List<String>> deletedNodeLabels = new HashMap<>();
        private final Map<String, ObjectNode> deletedNodeProperties = new HashMap<>();
        private final Set<String> createdRelationships = new HashSet<>();
        private final Set<String> deletedRelationships = new HashSet<>();
        private int size;

        Capture(TransactionData data) {
            this.data = data;
        }

        ObjectNode journal() {
            data.createdNodes().forEach(node -> createdNodes.add(node.getElementId()));
            data.deletedNodes().forEach(node -> deletedNodeLabels.put(node.getElementId(), new ArrayList<>()));
            data.createdRelationships().forEach(r -> createdRelationships.add(r.getElementId()));
            data.deletedRelationships().forEach(r -> deletedRelationships.add(r.getElementId()));

            ObjectNode journal = JsonNodeFactory.instance.objectNode();
            journal.set("createdNodes", createdNodes());
            journal.set("createdRelationships", createdRelationships());
            journal.set("nodeLabels", nodeLabels());
            journal.set("nodeProperties", nodeProperties());
            journal.set("deletedNodes", deletedNodes());
            journal.set("deletedRelationships", deletedRelationships());
            journal.set("relationshipProperties", relationshipProperties());
            journal.put("size", size);
            return journal;
        }

        /** Created nodes, with their labels and id property, so that the undo deletes only the node it created. */
        private ArrayNode createdNodes() {
            ArrayNode created = JsonNodeFactory.instance.arrayNode();
            for (Node node : data.createdNodes()) {
                List<String> labels = labels(node);
                if (labels.stream().anyMatch(LoadJournal::notJournaled)) {
                    continue;
                }
                ObjectNode entry = created.addObject();
                entry.put("element", node.getElementId());
                entry.set("labels", strings(labels));
                Object id = node.getProperty("id", null);
                if (id instanceof String text) {
                    entry.put("id", text);
                }
                size++;
            }
            return created;
        }

        /** Created relationships between nodes that existed before; the others go with their created end. */
        private ArrayNode createdRelationships() {
            ArrayNode created = JsonNodeFactory.instance.arrayNode();
            for (Relationship relationship : data.createdRelationships()) {
                if (derived(relationship.getType().name())
                        || createdNodes.contains(relationship.getStartNode().getElementId())
                        || createdNodes.contains(relationship.getEndNode().getElementId())) {
                    continue;
                }
                ObjectNode entry = created.addObject();
                entry.put("element", relationship.getElementId());
                entry.put("type", relationship.getType().name());
                size++;
            }
            return created;
        }

        /** Labels added to or removed from nodes that existed before and still exist. */
        private ArrayNode nodeLabels() {
            ArrayNode changes = JsonNodeFactory.instance.arrayNode();
            for (LabelEntry entry : data.assignedLabels()) {
                String element = entry.node().getElementId();
                if (!createdNodes.contains(element) && !deletedNodeLabels.containsKey(element)) {
                    changes.addObject().put("element", element).put("label", entry.label().name()).put("undo", "remove");
                    size++;
                }
            }
            for (LabelEntry entry : data.removedLabels()) {
                String element = entry.node().getElementId();
                if (deletedNodeLabels.containsKey(element)) {
                    deletedNodeLabels.get(element).add(entry.label().name());
                } else if (!createdNodes.contains(element)) {
                    changes.addObject().put("element", element).put("label", entry.label().name()).put("undo", "add");
                    size++;
                }
            }
            return changes;
        }

        /** Returns the previous values of properties set or removed on nodes that existed before and still exist. */
        private ArrayNode nodeProperties() {
            ArrayNode changes = JsonNodeFactory.instance.arrayNode();
            for (PropertyEntry<Node> entry : data.assignedNodeProperties()) {
                String element = entry.entity().getElementId();
                if (!createdNodes.contains(element) && !deletedNodeLabels.containsKey(element)) {
                    changes.add(propertyUndo(element, entry.key(), entry.previouslyCommittedValue()));
                }
            }
            for (PropertyEntry<Node> entry : data.removedNodeProperties()) {
                String element = entry.entity().getElementId();
                if (deletedNodeLabels.containsKey(element)) {
                    deletedNodeProperties.computeIfAbsent(element, e -> JsonNodeFactory.instance.objectNode())
                            .set(entry.key(), PropertyValues.encode(entry.previouslyCommittedValue(), entry.key()));
                } else if (!createdNodes.contains(element)) {
                    changes.add(propertyUndo(element, entry.key(), entry.previouslyCommittedValue()));
                }
            }
            return changes;
        }

        /** Deleted nodes with the labels and properties to re-create them with; derived grouping nodes are left out. */
        private ArrayNode deletedNodes() {
            ArrayNode deleted = JsonNodeFactory.instance.arrayNode();
            deletedNodeLabels.forEach((element, labels) -> {
                if (labels.stream().anyMatch(LoadJournal::notJournaled)) {
                    return;
                }
                ObjectNode entry = deleted.addObject();
                entry.put("element", element);
                entry.set("labels", strings(labels));
                entry.set("properties", deletedNodeProperties.getOrDefault(element, JsonNodeFactory.instance.objectNode()));
                size++;
            });
            return deleted;
        }

        /** Deleted fact relationships with their type, ends and properties. */
        private ArrayNode deletedRelationships() {
            Map<String, ObjectNode> properties = new HashMap<>();
            for (PropertyEntry<Relationship> entry : data.removedRelationshipProperties()) {
                String element = entry.entity().getElementId();
                if (deletedRelationships.contains(element)) {
                    properties.computeIfAbsent(element, e -> JsonNodeFactory.instance.objectNode())
                            .set(entry.key(), PropertyValues.encode(entry.previouslyCommittedValue(), entry.key()));
                }
            }
            ArrayNode deleted = JsonNodeFactory.instance.arrayNode();
            for (Relationship relationship : data.deletedRelationships()) {
                String start = relationship.getStartNode().getElementId();
                String end = relationship.getEndNode().getElementId();
                if (derived(relationship.getType().name()) || derivedNode(relationship.getStartNode())
                        || derivedNode(relationship.getEndNode())) {
                    continue;
                }
                ObjectNode entry = deleted.addObject();
                entry.put("type", relationship.getType().name());
                entry.put("start", start);
                entry.put("end", end);
                entry.set("properties", properties.getOrDefault(relationship.getElementId(),
                        JsonNodeFactory.instance.objectNode()));
                size++;
            }
            return deleted;
        }

        /** Returns the previous values of properties changed on relationships that existed before and still exist. */
        private ArrayNode relationshipProperties() {
            ArrayNode changes = JsonNodeFactory.instance.arrayNode();
            List<PropertyEntry<Relationship>> entries = new ArrayList<>();
            data.assignedRelationshipProperties().forEach(entries::add);
            data.removedRelationshipProperties().forEach(entries::add);
            for (PropertyEntry<Relationship> entry : entries) {
                Relationship relationship = entry.entity();
                String element = relationship.getElementId();
                if (createdRelationships.contains(element) || deletedRelationships.contains(element)
                        || derived(relationship.getType().name())) {
                    continue;
                }
                changes.add(propertyUndo(element, entry.key(), entry.previouslyCommittedValue()));
            }
            return changes;
        }

        private ObjectNode propertyUndo(String element, String key, Object previous) {
            size++;
            ObjectNode undo = JsonNodeFactory.instance.objectNode().put("element", element).put("key", key);
            if (previous != null) {
                undo.set("value", PropertyValues.encode(previous, key));
            }
            return undo;
        }

        private boolean derivedNode(Node node) {
            List<String> labels = deletedNodeLabels.get(node.getElementId());
            return (labels != null ? labels : labels(node)).stream().anyMatch(DerivedGraph.LABELS::contains);
        }

        private static boolean derived(String type) {
            return DerivedGraph.TYPES.contains(type);
        }

        private static List<String> labels(Node node) {
            List<String> labels = new ArrayList<>();
            node.getLabels().forEach(label -> labels.add(label.name()));
            return labels;
        }

        private static ArrayNode strings(List<String> values) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            values.forEach(array::add);
            return array;
        }
    }

    /** The outcome of {@link #restore} on a start. */
    public enum Restore {
        /** There was no journal. */
        NONE,
        /** The journal's load had finished or rolled back; the journal was deleted. */
        DISCARDED,
        /**
         * The facts were returned to the previous snapshot, and the marker is {@code restored}, so the edges remain
         * to be derived again.
         */
        RESTORED,
        /** The journal did not match the graph; it was set aside and the marker left as it was. */
        FAILED
    }

    /**
     * Applies the journal in {@code home} if the graph still has its load's marker, in one transaction that also
     * marks the marker {@code restored}. Call it after the database starts and before anything else writes.
     */
    static Restore restore(GraphDatabaseService database, Path home) {
        Path file = home.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Restore.NONE;
        }
        JsonNode journal;
        try {
            journal = JSON.readTree(file.toFile());
        } catch (IOException e) {
            // A journal is renamed into place whole, so an unreadable one was damaged after it was written.
            log.warn("Load journal {} cannot be read ({}); it is set aside as {}.", file, e.getMessage(), FAILED_FILE_NAME);
            setAside(file);
            return Restore.FAILED;
        }
        String snapshot = journal.path("snapshot").asText();
        String startedAt = journal.path("startedAt").asText();
        long started = System.nanoTime();
        try (Transaction tx = database.beginTx()) {
            Node marker = marker(tx);
            if (marker == null || !snapshot.equals(marker.getProperty("snapshot", null))
                    || !startedAt.equals(marker.getProperty("startedAt", null))
                    || Boolean.TRUE.equals(marker.getProperty("restored", false))) {
                tx.rollback();
                deleteQuietly(file);
                log.info("Load journal of snapshot {} discarded: that load finished, or its facts were not stored",
                        shortId(snapshot));
                return Restore.DISCARDED;
            }
            new Undo(tx, journal).apply();
            marker.setProperty("restored", true);
            marker.setProperty("restoredAt", Instant.now().toString());
            tx.commit();
        } catch (RuntimeException e) {
            log.debug("Load journal of snapshot {} not applied", shortId(snapshot), e);
            log.warn("Load journal of snapshot {} could not be applied ({}); it is set aside as {} and the graph keeps"
                    + " the marker of that load, so commands reject it until a load finishes.", shortId(snapshot),
                    e.getMessage(), FAILED_FILE_NAME);
            setAside(file);
            return Restore.FAILED;
        }
        deleteQuietly(file);
        log.info("The load of snapshot {} started at {} did not finish: its {} changes to the facts were undone in {} ms;"
                + " the edges are derived again next", shortId(snapshot), startedAt, journal.path("size").asInt(),
                (System.nanoTime() - started) / 1_000_000);
        return Restore.RESTORED;
    }

    private static Node marker(Transaction tx) {
        try (var markers = tx.findNodes(MARKER)) {
            return markers.hasNext() ? markers.next() : null;
        }
    }

    /** Undoes the journal's entries in the order that keeps every relationship's ends present. */
    private static final class Undo {

        private final Transaction tx;
        private final JsonNode journal;
        private final Map<String, Node> recreated = new HashMap<>();

        Undo(Transaction tx, JsonNode journal) {
            this.tx = tx;
            this.journal = journal;
        }

        void apply() {
            for (JsonNode entry : journal.path("createdRelationships")) {
                Relationship relationship = relationship(entry.path("element").asText());
                if (!relationship.getType().name().equals(entry.path("type").asText())) {
                    throw mismatch("relationship " + entry.path("element").asText() + " is no longer a "
                            + entry.path("type").asText());
                }
                relationship.delete();
            }
            for (JsonNode entry : journal.path("createdNodes")) {
                Node node = node(entry.path("element").asText());
                for (JsonNode label : entry.path("labels")) {
                    if (!node.hasLabel(Label.label(label.asText()))) {
                        throw mismatch("node " + entry.path("element").asText() + " has lost its label " + label.asText());
                    }
                }
                if (entry.has("id") && !entry.path("id").asText().equals(node.getProperty("id", null))) {
                    throw mismatch("node " + entry.path("element").asText() + " is no longer " + entry.path("id").asText());
                }
                node.getRelationships().forEach(Relationship::delete);
                node.delete();
            }
            for (JsonNode entry : journal.path("deletedNodes")) {
                Node node = tx.createNode();
                entry.path("labels").forEach(label -> node.addLabel(Label.label(label.asText())));
                setAll(node, entry.path("properties"));
                recreated.put(entry.path("element").asText(), node);
            }
            for (JsonNode entry : journal.path("deletedRelationships")) {
                Node start = endNode(entry.path("start").asText());
                Node end = endNode(entry.path("end").asText());
                Relationship relationship = start.createRelationshipTo(end,
                        RelationshipType.withName(entry.path("type").asText()));
                setAll(relationship, entry.path("properties"));
            }
            for (JsonNode entry : journal.path("nodeLabels")) {
                Node node = node(entry.path("element").asText());
                Label label = Label.label(entry.path("label").asText());
                if ("add".equals(entry.path("undo").asText())) {
                    node.addLabel(label);
                } else {
                    node.removeLabel(label);
                }
            }
            for (JsonNode entry : journal.path("nodeProperties")) {
                revert(node(entry.path("element").asText()), entry);
            }
            for (JsonNode entry : journal.path("relationshipProperties")) {
                revert(relationship(entry.path("element").asText()), entry);
            }
        }

        private Node endNode(String element) {
            Node node = recreated.get(element);
            return node != null ? node : node(element);
        }

        private Node node(String element) {
            try {
                return tx.getNodeByElementId(element);
            } catch (NotFoundException e) {
                throw mismatch("node " + element + " no longer exists");
            }
        }

        private Relationship relationship(String element) {
            try {
                return tx.getRelationshipByElementId(element);
            } catch (NotFoundException e) {
                throw mismatch("relationship " + element + " no longer exists");
            }
        }

        private static void revert(org.neo4j.graphdb.Entity entity, JsonNode entry) {
            String key = entry.path("key").asText();
            if (entry.has("value")) {
                entity.setProperty(key, PropertyValues.decode(entry.path("value"), key));
            } else {
                entity.removeProperty(key);
            }
        }

        private static void setAll(org.neo4j.graphdb.Entity entity, JsonNode properties) {
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> property = it.next();
                entity.setProperty(property.getKey(), PropertyValues.decode(property.getValue(), property.getKey()));
            }
        }

        private static IllegalStateException mismatch(String what) {
            return new IllegalStateException("the journal does not match the graph: " + what);
        }
    }

    private static void setAside(Path file) {
        try {
            Files.move(file, file.resolveSibling(FAILED_FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new NhigraphException("Failed to set the load journal " + file + " aside: " + e.getMessage()
                    + ". Move or delete it by hand; the graph keeps the marker of the unfinished load.", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete the load journal {}: {}", file, e.getMessage());
        }
    }

    private static String shortId(String snapshot) {
        return snapshot.length() > 12 ? snapshot.substring(0, 12) : snapshot;
    }
}
