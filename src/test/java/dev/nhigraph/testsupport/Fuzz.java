package dev.nhigraph.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.opentest4j.AssertionFailedError;

/**
 * Seeded mutation of text and JSON for the parser fuzz tests, and a runner that bounds each input's time.
 *
 * <p>Every input is derived from the run's seed and its index, so a failure message names both and the input can be
 * made again. The runner allows one kind of exception, the parser's documented error, and fails on any other
 * exception, on an error with an empty message, and on an input that runs longer than its time limit.
 */
public final class Fuzz implements AutoCloseable {

    /** A parse of one input; returns normally or throws the documented error. */
    @FunctionalInterface
    public interface Target {
        void run(String input) throws Exception;
    }

    /** How many inputs ran, and how many of them ended in the documented error. */
    public record Tally(String target, int inputs, int rejected) {
        @Override
        public String toString() {
            return target + ": " + inputs + " inputs, " + rejected + " rejected with a clear error, none crashed or hung";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALPHABET = "{}[]\":,\\/*?.$()!=<>&|+-_%0123456789abcxyzAZ \t\n'\u0000\u00e9\u2028\uD83D\uDE00";
    private static final List<String> SPECIAL = List.of("((((((((((((((((((((", "))))", "*", "?", "**?*?*", "%7B", "%",
            "\\u0000", "\\uD800", "\"", "\\", "null", "-1", "1e309", "9223372036854775808", "0x7f", "arn:", ":::::",
            "${aws:username}", "${", "[".repeat(3_000), "{\"a\":".repeat(2_000));

    private final long seed;
    private final long timeoutMillis;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fuzz-target");
        // A hung parse cannot be stopped in Java; a daemon thread at least lets the test JVM end.
        thread.setDaemon(true);
        return thread;
    });

    public Fuzz(long seed, long timeoutMillis) {
        this.seed = seed;
        this.timeoutMillis = timeoutMillis;
    }

    /** Returns the random source of input {@code index}, the same in every run with this seed. */
    public Random random(int index) {
        return new Random(seed * 1_000_003L + index);
    }

    public long seed() {
        return seed;
    }

    /**
     * Runs {@code target} on each input, allowing only exceptions of {@code expected} whose message
     * {@code messageCheck} accepts.
     */
    public Tally run(String name, List<String> inputs, Target target, Class<? extends Exception> expected,
                     Predicate<String> messageCheck) {
        int rejected = 0;
        for (int index = 0; index < inputs.size(); index++) {
            String input = inputs.get(index);
            String where = name + " input " + index + " (seed " + seed + "): " + excerpt(input);
            Future<?> future = executor.submit(() -> {
                target.run(input);
                return null;
            });
            try {
                future.get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                throw new AssertionFailedError(where + " ran longer than " + timeoutMillis + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionFailedError(where + " was interrupted");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (!expected.isInstance(cause)) {
                    throw new AssertionFailedError(where + " threw " + cause, cause);
                }
                String message = cause.getMessage();
                if (message == null || message.isBlank() || !messageCheck.test(message)) {
                    throw new AssertionFailedError(where + " threw an unclear message: " + message, cause);
                }
                rejected++;
            }
        }
        return new Tally(name, inputs.size(), rejected);
    }

    /** Returns {@code text} with 1 to 4 random edits: deletions, insertions, repeats and special tokens. */
    public static String mutateText(String text, Random random) {
        StringBuilder out = new StringBuilder(text);
        int edits = 1 + random.nextInt(4);
        for (int edit = 0; edit < edits; edit++) {
            int at = out.length() == 0 ? 0 : random.nextInt(out.length() + 1);
            switch (random.nextInt(5)) {
                case 0 -> {
                    int end = Math.min(out.length(), at + 1 + random.nextInt(8));
                    out.delete(at, end);
                }
                case 1 -> {
                    for (int i = random.nextInt(4); i >= 0; i--) {
                        out.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    }
                }
                case 2 -> {
                    int end = Math.min(out.length(), at + 1 + random.nextInt(12));
                    out.insert(at, out.substring(at, end).repeat(1 + random.nextInt(3)));
                }
                case 3 -> out.insert(at, SPECIAL.get(random.nextInt(SPECIAL.size())));
                default -> {
                    if (at < out.length()) {
                        out.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * Returns valid JSON that differs from {@code json} in one to three places: a value replaced by one of another
     * type or size, a field or list item removed or repeated, a field renamed. Falls back to text edits when
     * {@code json} does not parse.
     */
    public static String mutateJson(String json, Random random) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (Exception e) {
            return mutateText(json, random);
        }
        int edits = 1 + random.nextInt(3);
        for (int edit = 0; edit < edits; edit++) {
            List<JsonNode> containers = new ArrayList<>();
            collectContainers(root, containers);
            if (containers.isEmpty()) {
                return mutateText(json, random);
            }
            JsonNode container = containers.get(random.nextInt(containers.size()));
            if (container instanceof ObjectNode object && object.size() > 0) {
                List<String> names = new ArrayList<>();
                object.fieldNames().forEachRemaining(names::add);
                String name = names.get(random.nextInt(names.size()));
                switch (random.nextInt(4)) {
                    case 0 -> object.remove(name);
                    case 1 -> object.set(name + (random.nextBoolean() ? "x" : ""), randomValue(random, object.get(name)));
                    case 2 -> object.set(names.get(random.nextInt(names.size())), object.get(name).deepCopy());
                    default -> object.set(name, randomValue(random, object.get(name)));
                }
            } else if (container instanceof ArrayNode array && array.size() > 0) {
                int index = random.nextInt(array.size());
                switch (random.nextInt(3)) {
                    case 0 -> array.remove(index);
                    case 1 -> array.add(array.get(index).deepCopy());
                    default -> array.set(index, randomValue(random, array.get(index)));
                }
            }
        }
        return root.toString();
    }

    private static void collectContainers(JsonNode node, List<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
                collectContainers(children.next(), into);
            }
        }
    }

    private static JsonNode randomValue(Random random, JsonNode earlier) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (random.nextInt(11)) {
            case 0 -> nodes.nullNode();
            case 1 -> nodes.booleanNode(random.nextBoolean());
            case 2 -> nodes.numberNode(random.nextInt() - random.nextInt());
            case 3 -> nodes.numberNode(Double.MAX_VALUE);
            case 4 -> nodes.textNode("");
            case 5 -> nodes.textNode("x".repeat(1 + random.nextInt(20_000)));
            case 6 -> nodes.arrayNode();
            case 7 -> nodes.objectNode();
            case 8 -> nodes.textNode(mutateText(earlier == null ? "" : earlier.isTextual() ? earlier.asText() : earlier.toString(),
                    random));
            case 9 -> nodes.arrayNode().add(earlier == null ? nodes.nullNode() : earlier.deepCopy());
            default -> nodes.textNode(SPECIAL.get(random.nextInt(SPECIAL.size())));
        };
    }

    private static String excerpt(String input) {
        String flat = input.replace("\n", "\\n");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "... (" + input.length() + " characters)";
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
