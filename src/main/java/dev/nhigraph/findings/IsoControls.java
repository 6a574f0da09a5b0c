package dev.nhigraph.findings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The titles of the ISO/IEC 27001 Annex A controls that the rules cite, read from
 * {@code iso27001/control-titles.tsv}, so that a report names "A.5.3 Segregation of duties" and not only "A.5.3".
 */
public final class IsoControls {

    private static final String RESOURCE = "/iso27001/control-titles.tsv";
    private static final Map<String, String> TITLES = load();

    private IsoControls() {
    }

    /** Returns the control's title in the given edition (2022 or 2013), or null when the file has none. */
    public static String title(String edition, String control) {
        return TITLES.get(edition + " " + control);
    }

    /** Returns the control followed by its title, or the control alone when its title is unknown. */
    public static String named(String edition, String control) {
        String title = title(edition, control);
        return title == null ? control : control + " " + title;
    }

    private static Map<String, String> load() {
        Map<String, String> titles = new HashMap<>();
        try (InputStream in = IsoControls.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath; rebuild the jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t");
                if (columns.length != 3) {
                    throw new IllegalStateException(RESOURCE + ": expected edition, control and title in: " + line);
                }
                titles.put(columns[0] + " " + columns[1], columns[2]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + RESOURCE, e);
        }
        return Map.copyOf(titles);
    }
}
