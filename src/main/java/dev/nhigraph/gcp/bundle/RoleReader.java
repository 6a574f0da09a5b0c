package dev.nhigraph.gcp.bundle;

import static dev.nhigraph.gcp.bundle.JsonValues.firstNonNull;
import static dev.nhigraph.gcp.bundle.JsonValues.flag;
import static dev.nhigraph.gcp.bundle.JsonValues.strings;
import static dev.nhigraph.gcp.bundle.JsonValues.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.bundle.RawInventory.RoleFact;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads custom roles from {@code gcloud iam roles list} and {@code gcloud iam roles describe}. */
final class RoleReader {

    private static final Logger log = LoggerFactory.getLogger(RoleReader.class);

    private RoleReader() {
    }

    /**
     * Reads the custom roles of one file. The IAM API lists roles in its BASIC view, without permissions, so a
     * listed role without {@code includedPermissions} is recorded as not described. The API also leaves out an
     * empty list, so a describe output without the field is a role with no permissions.
     */
    static void readRoles(Items items, boolean describe, String file, RawInventory raw) {
        List<String> predefined = new ArrayList<>();
        int read = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String name = text(item, "name");
            if (name == null || !GcloudFileKind.ROLE_NAME.matcher(name).matches()) {
                raw.skip(file, items.label(i), "the role has no name of the form projects/PROJECT_ID/roles/ROLE_ID or"
                        + " organizations/ORGANIZATION_ID/roles/ROLE_ID. Check that the file is unedited `"
                        + GcloudFileKind.ROLE_DESCRIBE.source() + "` output.");
                continue;
            }
            if (name.startsWith("roles/")) {
                predefined.add(name);
                continue;
            }
            boolean described = describe || item.has("includedPermissions");
            // The IAM API leaves stage out when it is ALPHA, the default value of the enum.
            String stage = firstNonNull(text(item, "stage"), "ALPHA");
            GcpInventory.Role role = new GcpInventory.Role(name, text(item, "title"), stage, flag(item, "deleted"),
                    List.copyOf(strings(item, "includedPermissions")), file);
            raw.roles.add(new RoleFact(role, described));
            read++;
        }
        if (!predefined.isEmpty()) {
            String names = String.join(", ", predefined.subList(0, Math.min(3, predefined.size())))
                    + (predefined.size() > 3 ? " and " + (predefined.size() - 3) + " more" : "");
            raw.skip(file, predefined.size() + " predefined roles (" + names + ")", "nhigraph ships the permissions of"
                    + " the predefined roles, so only custom roles (projects/PROJECT_ID/roles/... and"
                    + " organizations/ORGANIZATION_ID/roles/...) are read from a bundle; nothing to do.");
        }
        log.info("Read {} custom roles from {}", read, file);
    }
}
