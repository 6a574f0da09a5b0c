package dev.nhigraph.gcp.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.aws.IamModel.SkippedItem;
import dev.nhigraph.gcp.GcpInventory;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the gcloud outputs of an offline bundle into one {@link GcpInventory}.
 *
 * <p>Call {@link GcloudFileKind#recognise} on each file's JSON, {@link #add} for each recognised file, then
 * {@link #build} once. Names are made canonical in {@link #build}, with the project numbers and service-account
 * unique ids of all files, so the files may come in any order. Items that lack a required field are listed in
 * {@link GcpInventory#skipped()} with the reason, and the rest of their file is read.
 */
public final class GcpBundleParser {

    private final RawInventory raw = new RawInventory();

    /** Reads one file of the given kind; {@code file} names it in messages. */
    public void add(GcloudFileKind kind, JsonNode root, Path file) {
        String name = file.toString();
        Items items = Items.of(root);
        switch (kind) {
            case IAM_POLICY_SEARCH -> AssetSearchReader.readPolicies(items, name, raw);
            case RESOURCE_SEARCH -> AssetSearchReader.readResources(items, name, raw);
            case SERVICE_ACCOUNT_LIST, SERVICE_ACCOUNT_DESCRIBE -> ServiceAccountReader.readAccounts(items, name, raw);
            case KEY_LIST, KEY_OBJECT -> ServiceAccountReader.readKeys(items, name, raw);
            case CREDENTIALS_FILE -> ServiceAccountReader.skipCredentialsFile(root, name, raw);
            case ROLE_LIST -> RoleReader.readRoles(items, false, name, raw);
            case ROLE_DESCRIBE -> RoleReader.readRoles(items, true, name, raw);
            case PROJECT_LIST, PROJECT_DESCRIBE -> HierarchyReader.readProjects(items, name, raw);
            case FOLDER_LIST, FOLDER_DESCRIBE -> HierarchyReader.readFolders(items, name, raw);
            case ORGANIZATION_LIST, ORGANIZATION_DESCRIBE -> HierarchyReader.readOrganizations(items, name, raw);
            case DENY_POLICY_LIST, DENY_POLICY_GET -> DenyPolicyReader.readPolicies(items, name, raw);
            case INSTANCE_LIST -> WorkloadReader.readInstances(items, name, raw);
            case FUNCTION_LIST -> WorkloadReader.readFunctions(items, name, raw);
            case RUN_SERVICE_LIST -> WorkloadReader.readRunServices(items, name, raw);
        }
    }

    /** Returns the recognised files that were left out whole, such as key files, each with the reason. */
    public List<SkippedItem> skippedFiles() {
        return List.copyOf(raw.skippedFiles);
    }

    /** Returns the inventory of every file added; {@link GcpInventory#empty()} content when none was. */
    public GcpInventory build() {
        return new InventoryBuilder(raw).build();
    }
}
