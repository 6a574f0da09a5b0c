package dev.nhigraph.gcp;

import dev.nhigraph.NhigraphException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The predefined GCP roles with their permissions, from {@code gcp/predefined-roles.tsv.gz}, plus the custom roles of
 * a bundle or graph.
 *
 * <p>The resource has one line per role: name, title, stage, deleted flag and the permissions separated by spaces.
 * {@link GcpRoleCatalogBuilder} writes it; {@code gcp/NOTICE-predefined-roles.md} gives its origin and license.
 */
public final class GcpRoleCatalog {

    static final String RESOURCE = "/gcp/predefined-roles.tsv.gz";

    private static volatile GcpRoleCatalog defaultCatalog;

    private final Map<String, GcpInventory.Role> roles;
    /** Every permission of every role, built on first use. */
    private volatile Set<String> permissions;

    private GcpRoleCatalog(Map<String, GcpInventory.Role> roles) {
        this.roles = roles;
    }

    /** Returns the predefined roles shipped with nhigraph, read once per JVM. */
    public static GcpRoleCatalog loadDefault() {
        GcpRoleCatalog catalog = defaultCatalog;
        if (catalog == null) {
            synchronized (GcpRoleCatalog.class) {
                if (defaultCatalog == null) {
                    defaultCatalog = read();
                }
                catalog = defaultCatalog;
            }
        }
        return catalog;
    }

    /** Returns a catalogue of the predefined roles and {@code customRoles}; a custom role never replaces a predefined one. */
    public GcpRoleCatalog withCustomRoles(Collection<GcpInventory.Role> customRoles) {
        if (customRoles.isEmpty()) {
            return this;
        }
        Map<String, GcpInventory.Role> merged = new HashMap<>(roles);
        for (GcpInventory.Role role : customRoles) {
            if (role.custom()) {
                merged.put(role.name(), role);
            }
        }
        return new GcpRoleCatalog(merged);
    }

    /** Returns the role named {@code name}, or null when it is neither predefined nor a known custom role. */
    public GcpInventory.Role role(String name) {
        return roles.get(name);
    }

    public int size() {
        return roles.size();
    }

    /** Tells whether some role of this catalogue contains {@code permission}, to catch a misspelled permission. */
    public boolean anyRoleContains(String permission) {
        Set<String> all = permissions;
        if (all == null) {
            all = new HashSet<>();
            for (GcpInventory.Role role : roles.values()) {
                all.addAll(role.permissions());
            }
            permissions = all;
        }
        return all.contains(permission);
    }

    private static GcpRoleCatalog read() {
        Map<String, GcpInventory.Role> roles = new HashMap<>(4096);
        try (InputStream raw = GcpRoleCatalog.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) {
                throw new NhigraphException("The predefined-role catalogue " + RESOURCE + " is missing from the classpath;"
                        + " rebuild the jar with `mvn package`.");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                String[] fields = line.split("\t", -1);
                if (fields.length != 5) {
                    throw new NhigraphException("The predefined-role catalogue " + RESOURCE + " has a line with "
                            + fields.length + " fields instead of 5: " + line.substring(0, Math.min(80, line.length())));
                }
                List<String> permissions = fields[4].isEmpty() ? List.of() : Arrays.asList(fields[4].split(" "));
                roles.put(fields[0], new GcpInventory.Role(fields[0], fields[1].isEmpty() ? null : fields[1],
                        fields[2].isEmpty() ? null : fields[2], Boolean.parseBoolean(fields[3]), List.copyOf(permissions), RESOURCE));
            }
        } catch (IOException e) {
            throw new NhigraphException("Failed to read the predefined-role catalogue " + RESOURCE + ": " + e.getMessage(), e);
        }
        return new GcpRoleCatalog(Map.copyOf(roles));
    }
}
