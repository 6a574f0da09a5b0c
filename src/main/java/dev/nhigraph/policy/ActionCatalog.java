package dev.nhigraph.policy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Immutable catalogue of AWS IAM actions with their access levels and resource types.
 *
 * <p>The default catalogue is the classpath resource {@value #DEFAULT_RESOURCE}, a gzip-compressed
 * TSV file that {@link ActionCatalogBuilder} generates. Instances are safe to share between threads
 * because all state is final and every returned collection is unmodifiable.
 */
public final class ActionCatalog {

    /** Classpath location of the bundled catalogue. */
    public static final String DEFAULT_RESOURCE = "/aws/actions.tsv.gz";

    /** Number of tab-separated fields on each data line of the TSV file. */
    static final int FIELD_COUNT = 4;

    private static volatile ActionCatalog defaultCatalog;

    /** Actions in the order they were supplied. The bundled file is sorted by service, then name. */
    private final List<Action> actions;
    /** Key: lower-case {@code service:name}. */
    private final Map<String, Action> byFullName;
    /** Key: lower-case service prefix. Each entry pairs an action with its lower-case full name. */
    private final Map<String, List<Entry>> byService;
    private final List<Entry> entries;
    private final Set<String> services;

    /**
     * One AWS action.
     *
     * @param service the service prefix, for example {@code iam}
     * @param name the action name as AWS spells it, for example {@code PassRole}
     * @param accessLevel the access level that AWS publishes for the action
     * @param resourceTypes resource types the action applies to; a trailing {@code *} marks a
     *     required type, and an empty list means the action supports only the {@code "*"} resource
     */
    public record Action(String service, String name, AccessLevel accessLevel, List<String> resourceTypes) {

        public Action {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(accessLevel, "accessLevel");
            resourceTypes = List.copyOf(resourceTypes);
        }

        /** Returns {@code service:Name} as AWS spells it, for example {@code iam:PassRole}. */
        public String fullName() {
            return service + ":" + name;
        }
    }

    /** An action with its lower-case full name, so that matching does not lower-case per call. */
    private record Entry(String key, Action action) {
    }

    private ActionCatalog(List<Action> actions) {
        this.actions = List.copyOf(actions);

        Map<String, Action> fullNames = new HashMap<>();
        Map<String, List<Entry>> servicesToEntries = new LinkedHashMap<>();
        List<Entry> allEntries = new ArrayList<>(this.actions.size());
        for (Action action : this.actions) {
            String key = action.fullName().toLowerCase(Locale.ROOT);
            if (fullNames.putIfAbsent(key, action) != null) {
                throw new IllegalArgumentException(
                        "Duplicate action " + action.fullName() + " (action names are compared ignoring case)");
            }
            Entry entry = new Entry(key, action);
            allEntries.add(entry);
            servicesToEntries
                    .computeIfAbsent(action.service().toLowerCase(Locale.ROOT), prefix -> new ArrayList<>())
                    .add(entry);
        }
        servicesToEntries.replaceAll((prefix, list) -> List.copyOf(list));

        this.byFullName = Map.copyOf(fullNames);
        this.byService = Collections.unmodifiableMap(servicesToEntries);
        this.entries = List.copyOf(allEntries);
        this.services = collectServices(this.actions);
    }

    private static Set<String> collectServices(List<Action> actions) {
        Set<String> names = new LinkedHashSet<>();
        for (Action action : actions) {
            names.add(action.service());
        }
        return Collections.unmodifiableSet(names);
    }

    /**
     * Creates a catalogue from the given actions, kept in the given order.
     *
     * @throws IllegalArgumentException if two actions have the same {@code service:name}, ignoring case
     */
    public static ActionCatalog of(Collection<Action> actions) {
        return new ActionCatalog(new ArrayList<>(actions));
    }

    /**
     * Returns the bundled catalogue. The first call reads {@value #DEFAULT_RESOURCE}, and later calls
     * return the same instance.
     *
     * @throws IllegalStateException if the resource is missing
     * @throws UncheckedIOException if the resource cannot be read or is malformed
     */
    public static ActionCatalog loadDefault() {
        // Double-checked locking rather than a holder class, so that a missing resource raises the
        // same clear exception on every call instead of NoClassDefFoundError after the first one.
        ActionCatalog catalog = defaultCatalog;
        if (catalog == null) {
            synchronized (ActionCatalog.class) {
                catalog = defaultCatalog;
                if (catalog == null) {
                    catalog = readDefaultResource();
                    defaultCatalog = catalog;
                }
            }
        }
        return catalog;
    }

    private static ActionCatalog readDefaultResource() {
        try (InputStream in = ActionCatalog.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Action catalogue resource " + DEFAULT_RESOURCE
                        + " not found on the classpath; regenerate it with ActionCatalogBuilder");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read action catalogue " + DEFAULT_RESOURCE, e);
        }
    }

    /**
     * Reads a catalogue in the format that {@link ActionCatalogBuilder} writes: gzip-compressed UTF-8
     * lines of {@code service<TAB>Action<TAB>access level<TAB>resource types}, where resource types
     * are comma-separated and lines starting with {@code #} are comments. The stream is not closed.
     *
     * @throws IOException if the stream is not gzip data or a line is malformed
     */
    public static ActionCatalog read(InputStream gzipped) throws IOException {
        BufferedReader reader = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(gzipped), StandardCharsets.UTF_8));
        // Equal service names, resource types and resource-type lists repeat thousands of times, so
        // one shared instance of each keeps the heap small.
        Map<String, String> stringPool = new HashMap<>();
        Map<String, List<String>> listPool = new HashMap<>();
        List<Action> actions = new ArrayList<>();

        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            actions.add(parseLine(line, lineNumber, stringPool, listPool));
        }

        try {
            return new ActionCatalog(actions);
        } catch (IllegalArgumentException e) {
            throw new IOException("Invalid action catalogue: " + e.getMessage(), e);
        }
    }

    private static Action parseLine(String line, int lineNumber, Map<String, String> stringPool,
            Map<String, List<String>> listPool) throws IOException {
        String[] fields = line.split("\t", -1);
        if (fields.length != FIELD_COUNT) {
            throw new IOException("Invalid action catalogue line " + lineNumber + ": expected " + FIELD_COUNT
                    + " tab-separated fields (service, action, access level, resource types), found "
                    + fields.length);
        }
        if (fields[0].isEmpty() || fields[1].isEmpty()) {
            throw new IOException("Invalid action catalogue line " + lineNumber + ": empty service or action name");
        }

        String service = stringPool.computeIfAbsent(fields[0], text -> text);
        List<String> resourceTypes = listPool.computeIfAbsent(fields[3], text -> splitResourceTypes(text, stringPool));
        return new Action(service, fields[1], AccessLevel.fromLabel(fields[2]), resourceTypes);
    }

    private static List<String> splitResourceTypes(String field, Map<String, String> stringPool) {
        if (field.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(field.split(","))
                .map(type -> stringPool.computeIfAbsent(type, text -> text))
                .toList();
    }

    /**
     * Finds one action by its exact {@code service:Name}, ignoring case. Wildcards are not
     * expanded; use {@link #match(String)} for patterns.
     */
    public Optional<Action> find(String action) {
        Objects.requireNonNull(action, "action");
        return Optional.ofNullable(byFullName.get(action.toLowerCase(Locale.ROOT)));
    }

    /**
     * Returns the actions that an IAM {@code Action} element matches. Matching ignores case, and
     * {@code *} (any run of characters, including none) and {@code ?} (exactly one character) may
     * appear anywhere in the pattern. When the service prefix contains no wildcard, only that
     * service's actions are scanned.
     *
     * @return matching actions in catalogue order. The list is empty for an unknown service, and for
     *     a pattern without wildcards that names an action missing from the catalogue.
     */
    public List<Action> match(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.equals("*")) {
            return actions;
        }

        String key = pattern.toLowerCase(Locale.ROOT);
        if (!GlobMatcher.hasWildcard(key)) {
            Action action = byFullName.get(key);
            return action == null ? List.of() : List.of(action);
        }

        GlobMatcher matcher = new GlobMatcher(key);
        List<Action> matches = new ArrayList<>();
        for (Entry entry : candidatesFor(key)) {
            if (matcher.matches(entry.key())) {
                matches.add(entry.action());
            }
        }
        return Collections.unmodifiableList(matches);
    }

    /**
     * Returns the entries a lower-case pattern can match. Service prefixes contain no colon, so a
     * pattern whose text before the first colon has no wildcard can match only that service.
     */
    private List<Entry> candidatesFor(String key) {
        int colon = key.indexOf(':');
        if (colon < 0) {
            return entries;
        }
        String prefix = key.substring(0, colon);
        if (GlobMatcher.hasWildcard(prefix)) {
            return entries;
        }
        return byService.getOrDefault(prefix, List.of());
    }

    /** Returns every action in catalogue order (the bundled file is sorted by service, then name). */
    public List<Action> all() {
        return actions;
    }

    /** Returns the service prefixes that have at least one action, in catalogue order. */
    public Set<String> services() {
        return services;
    }

    /** Returns the number of actions. */
    public int size() {
        return actions.size();
    }

    /**
     * Glob pattern with {@code *} and {@code ?}, compiled once per {@link #match(String)} call. It
     * compares characters exactly, so callers pass lower-case pattern and text.
     */
    private static final class GlobMatcher {

        private final char[] pattern;

        GlobMatcher(String pattern) {
            this.pattern = pattern.toCharArray();
        }

        static boolean hasWildcard(String text) {
            return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
        }

        /**
         * Matches greedily and, on a mismatch, retries from the most recent {@code *} with one more
         * character consumed. Returning to the last star only is enough for globs, and bounds the
         * work by pattern length times text length.
         */
        boolean matches(String text) {
            int p = 0;
            int t = 0;
            int lastStar = -1;
            int textAtLastStar = 0;
            while (t < text.length()) {
                if (p < pattern.length && pattern[p] == '*') {
                    lastStar = p++;
                    textAtLastStar = t;
                } else if (p < pattern.length && (pattern[p] == '?' || pattern[p] == text.charAt(t))) {
                    p++;
                    t++;
                } else if (lastStar >= 0) {
                    p = lastStar + 1;
                    t = ++textAtLastStar;
                } else {
                    return false;
                }
            }
            while (p < pattern.length && pattern[p] == '*') {
                p++;
            }
            return p == pattern.length;
        }
    }
}
