package dev.nhigraph.query;

import dev.nhigraph.BadInputException;
import dev.nhigraph.NhigraphException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The saved analyst queries, discovered from the {@code cypher/queries} folder on the classpath.
 *
 * <p>The build copies the repository's {@code cypher/} into the classes folder and the jar, so the same files are
 * found when running from {@code target/classes} (a folder) and from {@code nhigraph.jar} (a zip file system).
 */
public final class SavedQueries {

    public static final String FOLDER = "cypher/queries";

    private final Map<String, SavedQuery> byName;

    private SavedQueries(Map<String, SavedQuery> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    private static SavedQueries bundled;

    /** Returns the saved queries of the build, read on first use; the files do not change while the process runs. */
    public static synchronized SavedQueries bundled() {
        if (bundled == null) {
            bundled = load();
        }
        return bundled;
    }

    /**
     * Reads every {@code .cypher} file of {@value #FOLDER} on the classpath.
     *
     * @throws BadInputException  when a file's header or statement is malformed
     * @throws NhigraphException when the folder is missing from the build
     */
    public static SavedQueries load() {
        URL folder = SavedQueries.class.getClassLoader().getResource(FOLDER);
        if (folder == null) {
            throw new NhigraphException("The saved queries folder " + FOLDER + " is missing from the build; rebuild with mvn package.");
        }
        try {
            URI uri = folder.toURI();
            if (!uri.getScheme().equals("jar")) {
                return read(Path.of(uri));
            }
            FileSystem jar;
            boolean opened;
            try {
                jar = FileSystems.newFileSystem(uri, Map.of());
                opened = true;
            } catch (FileSystemAlreadyExistsException e) {
                // Some other code has the jar open: read through its file system, and leave closing it to that code.
                jar = FileSystems.getFileSystem(uri);
                opened = false;
            }
            try {
                return read(jar.provider().getPath(uri));
            } finally {
                if (opened) {
                    jar.close();
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new NhigraphException("Failed to list the saved queries in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Reads every {@code .cypher} file in {@code folder}; tests use it on the repository's {@code cypher/queries}. */
    public static SavedQueries read(Path folder) throws IOException {
        Map<String, SavedQuery> byName = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(file -> file.getFileName().toString().endsWith(".cypher")).sorted().toList();
        }
        for (Path file : files) {
            SavedQuery query = SavedQuery.parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            byName.put(query.name(), query);
        }
        return new SavedQueries(byName);
    }

    public List<SavedQuery> all() {
        return new ArrayList<>(byName.values());
    }

    public List<String> names() {
        return new ArrayList<>(byName.keySet());
    }

    /**
     * Returns the saved query {@code name}.
     *
     * @throws BadInputException naming the saved queries there are, when there is none of that name
     */
    public SavedQuery find(String name) {
        SavedQuery query = byName.get(name);
        if (query == null) {
            throw new BadInputException("No saved query \"" + name + "\". Saved queries: " + String.join(", ", names()) + ".");
        }
        return query;
    }

    /**
     * Returns the parameters to run {@code query} with: each given value converted to its declared type, and the
     * default of each parameter not given.
     *
     * @throws BadInputException when a given parameter is not declared, a value does not convert, or a parameter
     *                           without a default is missing
     */
    public static Map<String, Object> parameters(SavedQuery query, Map<String, ?> given) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        for (String name : given.keySet()) {
            if (query.parameter(name) == null) {
                throw new BadInputException("Saved query " + query.name() + " has no parameter " + name + "; it takes "
                        + describe(query) + ".");
            }
        }
        for (SavedQuery.Parameter parameter : query.parameters()) {
            Object value = given.containsKey(parameter.name())
                    ? parameter.convert(given.get(parameter.name()), query.name())
                    : parameter.defaultValue();
            if (value == null) {
                throw new BadInputException("Saved query " + query.name() + " needs parameter " + parameter.name() + " ("
                        + parameter.description() + "); give it with --param " + parameter.name() + "=VALUE or in \"params\".");
            }
            resolved.put(parameter.name(), value);
        }
        return resolved;
    }

    /**
     * Returns {@code values} with each principal parameter replaced by the id that {@code resolver} finds for it, so
     * that a name, unique id or key id finds the same rows as the principal's id. Other parameters are kept.
     *
     * @param resolver returns the principal's id, or throws {@link BadInputException} naming what matched instead
     */
    public static Map<String, Object> resolvePrincipals(SavedQuery query, Map<String, Object> values,
                                                        UnaryOperator<String> resolver) {
        Map<String, Object> resolved = new LinkedHashMap<>(values);
        for (SavedQuery.Parameter parameter : query.parameters()) {
            if (parameter.type().equals(SavedQuery.PRINCIPAL) && values.get(parameter.name()) instanceof String reference) {
                resolved.put(parameter.name(), resolver.apply(reference));
            }
        }
        return resolved;
    }

    /** Returns whether {@code query} takes a principal parameter, which needs the graph to resolve. */
    public static boolean takesPrincipal(SavedQuery query) {
        return query.parameters().stream().anyMatch(parameter -> parameter.type().equals(SavedQuery.PRINCIPAL));
    }

    private static String describe(SavedQuery query) {
        if (query.parameters().isEmpty()) {
            return "no parameters";
        }
        return String.join(", ", query.parameters().stream().map(SavedQuery.Parameter::name).toList());
    }

}
