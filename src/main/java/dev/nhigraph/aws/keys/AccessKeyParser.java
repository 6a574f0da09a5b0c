package dev.nhigraph.aws.keys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.aws.IamModel.SkippedItem;
import dev.nhigraph.aws.keys.AccessKeyFacts.AccessKey;
import dev.nhigraph.aws.keys.AccessKeyFacts.ReportKey;
import dev.nhigraph.aws.keys.AccessKeyFacts.ReportUser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the IAM outputs about access keys and joins them into {@link AccessKeyFacts}: the credential report
 * (JSON of {@code aws iam get-credential-report}, or its decoded CSV), {@code aws iam list-access-keys} and
 * {@code aws iam get-access-key-last-used}.
 *
 * <p>The report has no key ids, and the listing has no last use. Report key 1 or 2 of a user is joined to the
 * listed key of that user whose CreateDate equals the report's last_rotated time (to the second), and the listed
 * key then takes the report's last use. A report key that no listed key matches keeps its last use out of the
 * graph, with a warning. For a user whose keys are not listed at all, each active report key becomes a key node
 * with the id {@code USER_ARN#access-key-N} and {@code idKnown = false}, so the hygiene rules still see it; that is
 * always the case for the root user, whose keys list-access-keys does not list. get-access-key-last-used, when
 * given, decides the last use of its key over the report.
 */
public final class AccessKeyParser {

    /** The outputs this parser reads, with the command that produces each one. */
    public enum FileKind {
        CREDENTIAL_REPORT("aws iam get-credential-report"),
        ACCESS_KEY_LIST("aws iam list-access-keys --user-name USER"),
        ACCESS_KEY_LAST_USED("aws iam get-access-key-last-used --access-key-id KEY_ID");

        private final String command;

        FileKind(String command) {
            this.command = command;
        }

        public String command() {
            return command;
        }
    }

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");
    /** The layout of a key listing, which names its user but not its account. */
    private static final String LIST_LAYOUT = "iam/access-keys/ACCOUNT/USER_NAME.json";
    private static final String LAST_USED_LAYOUT = "iam/access-key-last-used/ACCOUNT/KEY_ID.json";

    private final List<ReportUser> reportUsers = new ArrayList<>();
    private final List<ListedKey> listed = new ArrayList<>();
    private final Map<String, LastUse> lastUse = new HashMap<>();
    private final List<SkippedItem> skipped = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    /** A key of list-access-keys; {@code account} is null until the layout or the other inputs give it. */
    private record ListedKey(String file, String userName, String account, String id, String status, String createdAt) {
    }

    /** The output of get-access-key-last-used for one key. */
    private record LastUse(String file, String userName, String at, String service, String region) {
    }

    /** Returns the kind of access-key output {@code root} is, or null for any other JSON. */
    public static FileKind recognise(JsonNode root) {
        if (root == null || !root.isObject()) {
            return null;
        }
        if (root.path("Content").isTextual() && (root.has("ReportFormat") || root.has("GeneratedTime"))) {
            return FileKind.CREDENTIAL_REPORT;
        }
        if (root.path("AccessKeyMetadata").isArray()) {
            return FileKind.ACCESS_KEY_LIST;
        }
        if (root.path("AccessKeyLastUsed").isObject()) {
            return FileKind.ACCESS_KEY_LAST_USED;
        }
        return null;
    }

    /** Returns true when {@code text}, the start of a non-JSON file, is the header of a credential report CSV. */
    public static boolean isReportCsv(String text) {
        return CredentialReportCsv.looksLikeReport(text);
    }

    /** Reads one JSON file of the given kind; {@code file} is used for messages and for its layout. */
    public void add(FileKind kind, JsonNode root, Path file) {
        switch (kind) {
            case CREDENTIAL_REPORT -> addReport(root, file);
            case ACCESS_KEY_LIST -> addList(root, file);
            case ACCESS_KEY_LAST_USED -> addLastUse(root, file);
        }
    }

    /** Reads a credential report saved as CSV, which has no GeneratedTime. */
    public void addCsv(String csv, Path file) {
        readReport(csv, file.toString(), null);
    }

    private void addReport(JsonNode root, Path file) {
        String name = file.toString();
        String format = root.path("ReportFormat").asText("text/csv");
        if (!format.equals("text/csv")) {
            skipped.add(new SkippedItem(name, "whole file", "the report format is " + format + ", but nhigraph reads"
                    + " text/csv, the only format IAM produces; export it again with `aws iam get-credential-report`"));
            return;
        }
        String generatedAt;
        String csv;
        try {
            generatedAt = AwsDates.instant(root.path("GeneratedTime").asText(null));
            // The AWS CLI prints the blob base64-encoded; a MIME-style encoder may wrap it in lines.
            csv = new String(Base64.getMimeDecoder().decode(root.path("Content").asText()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            skipped.add(new SkippedItem(name, "whole file", "the GeneratedTime or the base64 Content cannot be read ("
                    + e.getMessage() + "); export it again with `aws iam get-credential-report --output json`"));
            return;
        }
        readReport(csv, name, generatedAt);
    }

    private void readReport(String csv, String file, String generatedAt) {
        if (!CredentialReportCsv.looksLikeReport(csv)) {
            skipped.add(new SkippedItem(file, "whole file", "the content does not start with the credential report's"
                    + " header (user,arn,...); export it again with `aws iam get-credential-report`"));
            return;
        }
        try {
            reportUsers.addAll(CredentialReportCsv.parse(csv, file, generatedAt, skipped));
        } catch (IllegalArgumentException e) {
            skipped.add(new SkippedItem(file, "whole file", e.getMessage()
                    + "; export it again with `aws iam get-credential-report`"));
        }
    }

    private void addList(JsonNode root, Path file) {
        String name = file.toString();
        String layoutAccount = layoutAccount(file);
        int index = 0;
        for (JsonNode item : root.path("AccessKeyMetadata")) {
            String itemName = "AccessKeyMetadata[" + index++ + "]";
            String id = item.path("AccessKeyId").asText(null);
            String user = item.path("UserName").asText(null);
            if (id == null || !KEY_ID.matcher(id).matches() || user == null) {
                skipped.add(new SkippedItem(name, itemName, "the item has no AccessKeyId or UserName; export it again"
                        + " with `aws iam list-access-keys --user-name USER --output json`"));
                continue;
            }
            String created;
            try {
                created = AwsDates.instant(item.path("CreateDate").asText(null));
            } catch (IllegalArgumentException e) {
                skipped.add(new SkippedItem(name, itemName + " (" + id + ")", "CreateDate " + e.getMessage()
                        + "; export it again with `aws iam list-access-keys --output json`"));
                continue;
            }
            listed.add(new ListedKey(name, user, layoutAccount, id, item.path("Status").asText(null), created));
        }
    }

    private void addLastUse(JsonNode root, Path file) {
        String name = file.toString();
        String fileName = file.getFileName().toString();
        String keyId = fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
        if (!KEY_ID.matcher(keyId).matches()) {
            skipped.add(new SkippedItem(name, "whole file", "get-access-key-last-used output does not name its key, and"
                    + " the file name is not a key id; save it as " + LAST_USED_LAYOUT));
            return;
        }
        JsonNode used = root.path("AccessKeyLastUsed");
        try {
            lastUse.put(keyId, new LastUse(name, root.path("UserName").asText(null),
                    AwsDates.instant(used.path("LastUsedDate").asText(null)), textOrNull(used.path("ServiceName")),
                    textOrNull(used.path("Region"))));
        } catch (IllegalArgumentException e) {
            skipped.add(new SkippedItem(name, "AccessKeyLastUsed", "LastUsedDate " + e.getMessage()
                    + "; export it again with `aws iam get-access-key-last-used --output json`"));
        }
    }

    /**
     * Joins what was read. {@code iamAccounts} gives, per IAM user name in the bundle's authorization details, the
     * accounts that have a user of that name; it places a key listing that neither its folder nor a credential report
     * places.
     */
    public AccessKeyFacts build(Map<String, Set<String>> iamAccounts) {
        if (reportUsers.isEmpty() && listed.isEmpty() && lastUse.isEmpty() && skipped.isEmpty()) {
            return AccessKeyFacts.NONE;
        }
        Map<String, ReportUser> users = latestRows();
        Map<String, Set<String>> reportAccounts = new HashMap<>();
        users.values().stream().filter(u -> !u.root())
                .forEach(u -> reportAccounts.computeIfAbsent(u.name(), n -> new TreeSet<>()).add(u.account()));

        Map<String, List<ListedKey>> listedByUser = new LinkedHashMap<>();
        for (ListedKey key : listed) {
            String account = key.account() != null ? key.account() : onlyAccount(key.userName(), reportAccounts, iamAccounts);
            if (account == null) {
                skipped.add(new SkippedItem(key.file(), key.id(), "list-access-keys output does not name the account of"
                        + " user " + key.userName() + ", and the bundle has no single user of that name; save it as "
                        + LIST_LAYOUT));
                continue;
            }
            listedByUser.computeIfAbsent(account + "/" + key.userName(), k -> new ArrayList<>())
                    .add(new ListedKey(key.file(), key.userName(), account, key.id(), key.status(), key.createdAt()));
        }

        List<AccessKey> keys = new ArrayList<>();
        for (ReportUser user : users.values()) {
            String userKey = user.account() + "/" + (user.root() ? "" : user.name());
            List<ListedKey> ofUser = listedByUser.remove(userKey);
            keys.addAll(join(user, ofUser == null ? List.of() : ofUser));
        }
        for (List<ListedKey> ofUser : listedByUser.values()) {
            for (ListedKey key : ofUser) {
                keys.add(withLastUse(new AccessKey(key.id(), true, key.account(), key.userName(), null, key.status(),
                        key.createdAt(), null, null, null, null, false, key.file())));
            }
        }
        String collectedAt = users.values().stream().map(ReportUser::reportGeneratedAt).filter(t -> t != null)
                .max(Comparator.naturalOrder()).orElse(null);
        return new AccessKeyFacts(List.copyOf(users.values()), List.copyOf(keys), collectedAt, List.copyOf(skipped),
                List.copyOf(warnings));
    }

    /** Returns the rows by user ARN, the row of the latest report winning when reports of one account repeat a user. */
    private Map<String, ReportUser> latestRows() {
        Map<String, ReportUser> rows = new LinkedHashMap<>();
        for (ReportUser user : reportUsers) {
            rows.merge(user.arn(), user, (kept, next) -> compareNullsFirst(next.reportGeneratedAt(), kept.reportGeneratedAt()) > 0 ? next : kept);
        }
        return rows;
    }

    private static int compareNullsFirst(String a, String b) {
        return Comparator.nullsFirst(Comparator.<String>naturalOrder()).compare(a, b);
    }

    /** Joins one user's report keys to the listed keys, as the class comment describes. */
    private List<AccessKey> join(ReportUser user, List<ListedKey> ofUser) {
        List<AccessKey> keys = new ArrayList<>();
        // Two keys created in the same second both match both slots; they are then joined in listing order, so
        // their last uses may be swapped.
        Map<String, Deque<ReportKey>> bySlotDate = new HashMap<>();
        for (ReportKey slot : user.keys()) {
            if (slot.lastRotated() != null) {
                bySlotDate.computeIfAbsent(slot.lastRotated(), date -> new ArrayDeque<>()).add(slot);
            }
        }
        Set<Integer> joined = new HashSet<>();
        for (ListedKey key : ofUser) {
            Deque<ReportKey> slots = key.createdAt() == null ? null : bySlotDate.get(key.createdAt());
            ReportKey slot = slots == null ? null : slots.poll();
            if (slot != null && joined.add(slot.slot())) {
                keys.add(withLastUse(new AccessKey(key.id(), true, user.account(), key.userName(), user.arn(), key.status(),
                        key.createdAt(), slot.lastUsedAt(), slot.lastUsedService(), slot.lastUsedRegion(), slot.slot(),
                        true, key.file())));
            } else {
                keys.add(withLastUse(new AccessKey(key.id(), true, user.account(), key.userName(), user.arn(), key.status(),
                        key.createdAt(), null, null, null, null, false, key.file())));
            }
        }
        for (ReportKey slot : user.keys()) {
            if (joined.contains(slot.slot())) {
                continue;
            }
            if (!ofUser.isEmpty()) {
                if (slot.active()) {
                    warnings.add("Credential report key " + slot.slot() + " of " + user.arn() + " (last rotated "
                            + slot.lastRotated() + ") matches no key that list-access-keys lists by creation date, so its"
                            + " last use is not stored; export the report and the key listing at the same time");
                }
                continue;
            }
            if (slot.active()) {
                keys.add(new AccessKey(user.arn() + "#access-key-" + slot.slot(), false, user.account(),
                        user.root() ? null : user.name(), user.arn(), "Active", slot.lastRotated(), slot.lastUsedAt(),
                        slot.lastUsedService(), slot.lastUsedRegion(), slot.slot(), true, "credential report"));
            }
        }
        return keys;
    }

    /** Returns {@code key} with the last use of get-access-key-last-used, when the bundle has that output for it. */
    private AccessKey withLastUse(AccessKey key) {
        LastUse use = lastUse.get(key.id());
        if (use == null) {
            return key;
        }
        return new AccessKey(key.id(), key.idKnown(), key.account(), key.userName(), key.userArn(), key.status(),
                key.createdAt(), use.at(), use.service(), use.region(), key.slot(), true, key.source());
    }

    private static String onlyAccount(String userName, Map<String, Set<String>> reportAccounts,
                                      Map<String, Set<String>> iamAccounts) {
        Set<String> accounts = new TreeSet<>(reportAccounts.getOrDefault(userName, Set.of()));
        if (accounts.isEmpty()) {
            accounts.addAll(iamAccounts.getOrDefault(userName, Set.of()));
        }
        return accounts.size() == 1 ? accounts.iterator().next() : null;
    }

    /** Returns the account folder of iam/access-keys/ACCOUNT/FILE, or null when the file is not in that layout. */
    private static String layoutAccount(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !ACCOUNT.matcher(parent.getFileName().toString()).matches()) {
            return null;
        }
        return parent.getFileName().toString();
    }

    private static String textOrNull(JsonNode value) {
        String text = value.isTextual() ? value.asText() : null;
        return AwsDates.absent(text) ? null : text;
    }
}
