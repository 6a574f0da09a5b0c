package dev.nhigraph.gcp.analysis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Every permission that some predefined role includes, read from the shipped role catalogue
 * {@value #RESOURCE}, whose lines are name, title, stage, deleted flag and space-separated permissions.
 *
 * <p>NOTE: this reads the file itself because {@link dev.nhigraph.gcp.GcpRoleCatalog} offers lookup by role name
 * only; a method there listing all roles would let this class go.
 */
final class PredefinedPermissions {

    static final String RESOURCE = "/gcp/predefined-roles.tsv.gz";

    private static volatile Set<String> permissions;

    private PredefinedPermissions() {
    }

    /** Returns the permissions, read once per JVM. */
    static Set<String> load() throws IOException {
        Set<String> result = permissions;
        if (result == null) {
            synchronized (PredefinedPermissions.class) {
                if (permissions == null) {
                    permissions = read();
                }
                result = permissions;
            }
        }
        return result;
    }

    private static Set<String> read() throws IOException {
        Set<String> result = new HashSet<>();
        try (InputStream raw = PredefinedPermissions.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) {
                throw new IOException("The predefined-role catalogue " + RESOURCE + " is missing from the classpath;"
                        + " rebuild the jar with `mvn package`.");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                String[] fields = line.split("\t", -1);
                if (fields.length == 5 && !fields[4].isEmpty()) {
                    for (String permission : fields[4].split(" ")) {
                        result.add(permission);
                    }
                }
            }
        }
        return Set.copyOf(result);
    }
}
