package dev.nhigraph.gcp.bundle;

import static dev.nhigraph.gcp.bundle.JsonValues.flag;
import static dev.nhigraph.gcp.bundle.JsonValues.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.gcp.bundle.RawInventory.KeyFact;
import dev.nhigraph.gcp.bundle.RawInventory.ResourceFact;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads service accounts and their keys, and recognises credentials files so that they are left unread.
 *
 * <p>No key material is kept: of a key only the id, type, origin, validity and state are read. A field that contains
 * a private key is never read, and the item is reported by the field's name only.
 */
final class ServiceAccountReader {

    /** Fields that hold a private key: the IAM API's keys.create response, and a key file. */
    private static final List<String> SECRET_FIELDS = List.of("privateKeyData", "private_key", "privateKey");
    /** The Compute Engine default account, PROJECT_NUMBER-compute@developer.gserviceaccount.com. */
    private static final Pattern COMPUTE_DEFAULT_ACCOUNT = Pattern.compile("(\\d+)-compute@developer\\.gserviceaccount\\.com");
    private static final Logger log = LoggerFactory.getLogger(ServiceAccountReader.class);

    private ServiceAccountReader() {
    }

    static void readAccounts(Items items, String file, RawInventory raw) {
        int read = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String email = text(item, "email");
            if (email == null) {
                raw.skip(file, items.label(i), "the account has no email. Check that the file is unedited `"
                        + GcloudFileKind.SERVICE_ACCOUNT_LIST.source() + "` output.");
                continue;
            }
            String projectId = projectOf(item, email);
            if (projectId == null) {
                raw.skip(file, email, "the account has no projectId, and neither its name nor its email names its"
                        + " project. Check that the file is unedited `" + GcloudFileKind.SERVICE_ACCOUNT_LIST.source()
                        + "` output.");
                continue;
            }
            GcpInventory.ServiceAccount account = new GcpInventory.ServiceAccount(email, projectId, text(item, "uniqueId"),
                    text(item, "displayName"), flag(item, "disabled"), file);
            raw.accounts.add(account);
            raw.resources.add(new ResourceFact(account.resourceName(), GcpNames.SERVICE_ACCOUNT_TYPE,
                    GcpNames.projectName(projectId), projectId, account.displayName(), null, file, false));

            Matcher computeDefault = COMPUTE_DEFAULT_ACCOUNT.matcher(email);
            if (computeDefault.matches()) {
                raw.addProjectNumber(computeDefault.group(1), projectId, file);
            }
            read++;
        }
        log.info("Read {} service accounts from {}", read, file);
    }

    private static String projectOf(JsonNode item, String email) {
        String projectId = text(item, "projectId");
        if (projectId != null) {
            return projectId;
        }
        String name = text(item, "name");
        Matcher matcher = name == null ? null : GcloudFileKind.SERVICE_ACCOUNT_NAME.matcher(name);
        if (matcher != null && matcher.matches() && !"-".equals(matcher.group(1))) {
            return matcher.group(1);
        }
        return GcpNames.projectOfEmail(email);
    }

    static void readKeys(Items items, String file, RawInventory raw) {
        int read = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String name = text(item, "name");
            Matcher matcher = name == null ? null : GcloudFileKind.KEY_NAME.matcher(name);
            if (matcher == null || !matcher.matches()) {
                raw.skip(file, items.label(i), "the key has no name of the form"
                        + " projects/PROJECT_ID/serviceAccounts/ACCOUNT/keys/KEY_ID. Check that the file is unedited `"
                        + GcloudFileKind.KEY_LIST.source() + "` output." + (hasSecret(item) ? secretNotRead() : ""));
                continue;
            }
            String account = matcher.group(2);
            String keyId = matcher.group(3);
            String label = "key " + keyId + " of " + account;
            for (String field : SECRET_FIELDS) {
                if (item.has(field)) {
                    raw.skip(file, label + ", field " + field, "the field contains the key's private key, which nhigraph"
                            + " never reads or stores, so it was left unread; the key's id, type and validity were"
                            + " loaded. The file is a working credential: delete it and save the output of `gcloud iam"
                            + " service-accounts keys list --iam-account=" + account + " --format=json` instead.");
                }
            }
            raw.keys.add(new KeyFact(account, keyId, text(item, "keyType"), text(item, "validAfterTime"),
                    text(item, "validBeforeTime"), flag(item, "disabled"), text(item, "keyOrigin"), file, label));
            read++;
        }
        log.info("Read {} service-account keys from {}", read, file);
    }

    /** Records a credentials file as skipped without reading any of its secrets. */
    static void skipCredentialsFile(JsonNode root, String file, RawInventory raw) {
        String type = text(root, "type");
        if ("service_account".equals(type)) {
            // client_email names the account, not a secret; the private key and its id are never read.
            String email = text(root, "client_email");
            raw.skipFile(file, "the file is a service-account key file" + (email == null ? "" : " of " + email)
                    + ". nhigraph never reads key material, so nothing in the file was read. Give the output of `gcloud"
                    + " iam service-accounts keys list --iam-account=" + (email == null ? "EMAIL" : email)
                    + " --format=json` instead, and keep the key file out of the bundle: it is a working credential.");
            return;
        }
        raw.skipFile(file, "the file is a Google credentials file of type " + type + ", which contains secrets. nhigraph"
                + " never reads credentials, so nothing in the file was read; take it out of the bundle.");
    }

    private static boolean hasSecret(JsonNode item) {
        return SECRET_FIELDS.stream().anyMatch(item::has);
    }

    private static String secretNotRead() {
        return " The item also contains a private key, which was not read.";
    }
}
