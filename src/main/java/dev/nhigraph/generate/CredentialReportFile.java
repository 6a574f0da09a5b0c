package dev.nhigraph.generate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.generate.SyntheticAccount.User;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the output of {@code aws iam get-credential-report --output json} for one account: the CSV report,
 * base64-encoded as the CLI prints a blob, with a row for the root user and one per IAM user. The report is where
 * AWS gives the age and last use of access keys, which the authorization-details export leaves out. With it come
 * the {@code aws iam list-access-keys} outputs of the users that have keys, whose creation dates equal the report's
 * last-rotated times, so that nhigraph joins each listed key to its report key.
 *
 * <p>Key ages are drawn from four bands: 35 % younger than 90 days, 30 % up to a year, 25 % up to three years and
 * 10 % up to six years, never older than the user. Service users mostly have a key, people seldom; some keys are
 * inactive, and some were never used.
 */
final class CredentialReportFile {

    static final String COLUMNS = "user,arn,user_creation_time,password_enabled,password_last_used,"
            + "password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
            + "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
            + "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,"
            + "access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    private static final long DAY = 86_400;
    private static final List<String> SERVICES = List.of("s3", "sts", "dynamodb", "sqs", "ecr", "logs", "secretsmanager");
    private static final String NOT_AVAILABLE = "N/A";

    /** The access keys of an organisation or account, counted as the report states them. */
    static final class KeyCounts {
        int users;
        int usersWithKeys;
        int keys;
        int activeKeys;
        int activeOlderThan90Days;
        int activeOlderThan365Days;
        int neverUsed;

        void add(KeyCounts other) {
            users += other.users;
            usersWithKeys += other.usersWithKeys;
            keys += other.keys;
            activeKeys += other.activeKeys;
            activeOlderThan90Days += other.activeOlderThan90Days;
            activeOlderThan365Days += other.activeOlderThan365Days;
            neverUsed += other.neverUsed;
        }

        ObjectNode toJson() {
            ObjectNode node = PolicyStatement.NODES.objectNode();
            node.put("users", users);
            node.put("usersWithAccessKeys", usersWithKeys);
            node.put("accessKeys", keys);
            node.put("activeAccessKeys", activeKeys);
            node.put("activeAccessKeysOlderThan90Days", activeOlderThan90Days);
            node.put("activeAccessKeysOlderThan365Days", activeOlderThan365Days);
            node.put("accessKeysNeverUsed", neverUsed);
            return node;
        }
    }

    /**
     * The report of one account, the counts of its keys, and the key listings by their path below the bundle
     * ({@code iam/access-keys/ACCOUNT/USER.json}).
     */
    record Report(ObjectNode content, KeyCounts counts, Map<String, ObjectNode> listings) {
    }

    /** One key slot of a report row, and the key behind it when the slot has one. */
    private record Slot(List<String> columns, boolean exists, boolean active, long rotated) {
    }

    private final SeededRandom random;
    private final SeededRandom keyIds;
    private final String accountId;
    private final KeyCounts counts = new KeyCounts();
    private final Map<String, ObjectNode> listings = new LinkedHashMap<>();

    private CredentialReportFile(SeededRandom random, String accountId) {
        this.random = random;
        // A fork of its own, so that the key ids leave the report's draws, and so the reports, as they were.
        this.keyIds = random.fork("access-key-ids");
        this.accountId = accountId;
    }

    static Report build(SyntheticAccount account, SeededRandom random) {
        CredentialReportFile report = new CredentialReportFile(random, account.id);
        StringBuilder csv = new StringBuilder(COLUMNS);
        csv.append('\n').append(report.rootRow(account));
        for (User user : account.users) {
            csv.append('\n').append(report.userRow(user));
        }
        ObjectNode content = PolicyStatement.NODES.objectNode();
        content.put("Content", Base64.getEncoder().encodeToString(csv.toString().getBytes(StandardCharsets.UTF_8)));
        content.put("ReportFormat", "text/csv");
        content.put("GeneratedTime", date(AwsIdentifiers.EXPORTED_AT));
        return new Report(content, report.counts, report.listings);
    }

    private String rootRow(SyntheticAccount account) {
        long created = AwsIdentifiers.EARLIEST + random.nextInt(90) * DAY;
        long passwordUsed = AwsIdentifiers.EXPORTED_AT - (1 + random.nextInt(200)) * DAY;
        return String.join(",", "<root_account>", account.rootArn(), date(created), "not_supported", date(passwordUsed),
                "not_supported", "not_supported", "true", "false", NOT_AVAILABLE, NOT_AVAILABLE, NOT_AVAILABLE,
                NOT_AVAILABLE, "false", NOT_AVAILABLE, NOT_AVAILABLE, NOT_AVAILABLE, NOT_AVAILABLE, "false",
                NOT_AVAILABLE, "false", NOT_AVAILABLE);
    }

    private String userRow(User user) {
        long created = OffsetDateTime.parse(user.createDate).toEpochSecond();
        List<String> row = new ArrayList<>(List.of(user.name, user.arn, user.createDate));
        if (user.human) {
            long changed = created + (long) (random.nextDouble() * (AwsIdentifiers.EXPORTED_AT - created));
            row.addAll(List.of("true", random.chance(0.9) ? date(lastUse(changed)) : "no_information", date(changed),
                    NOT_AVAILABLE, random.chance(0.7) ? "true" : "false"));
        } else {
            row.addAll(List.of("false", NOT_AVAILABLE, NOT_AVAILABLE, NOT_AVAILABLE, "false"));
        }
        boolean first = random.chance(user.human ? 0.3 : 0.85);
        boolean second = first && random.chance(0.12);
        Slot one = key(first, created);
        Slot two = key(second, created);
        row.addAll(one.columns());
        row.addAll(two.columns());
        row.addAll(List.of("false", NOT_AVAILABLE, "false", NOT_AVAILABLE));
        addListing(user, List.of(one, two));

        counts.users++;
        counts.usersWithKeys += first ? 1 : 0;
        return String.join(",", row);
    }

    /** Adds the list-access-keys output of a user with keys, one item per existing slot. */
    private void addListing(User user, List<Slot> slots) {
        if (slots.stream().noneMatch(Slot::exists)) {
            return;
        }
        ObjectNode listing = PolicyStatement.NODES.objectNode();
        ArrayNode items = listing.putArray("AccessKeyMetadata");
        for (Slot slot : slots) {
            if (slot.exists()) {
                items.addObject().put("UserName", user.name).put("AccessKeyId", "AKIA" + keyIds.upperAlphanumeric(16))
                        .put("Status", slot.active() ? "Active" : "Inactive").put("CreateDate", date(slot.rotated()));
            }
        }
        listing.put("IsTruncated", false);
        listings.put("iam/access-keys/" + accountId + "/" + user.name + ".json", listing);
    }

    /** Returns one access key slot, whose five columns are: active, last rotated, last used date, region, service. */
    private Slot key(boolean exists, long userCreated) {
        if (!exists) {
            return new Slot(List.of("false", NOT_AVAILABLE, NOT_AVAILABLE, NOT_AVAILABLE, NOT_AVAILABLE), false, false, 0);
        }
        long age = switch (random.weighted(35, 30, 25, 10)) {
            case 0 -> random.nextInt(90);
            case 1 -> 90 + random.nextInt(275);
            case 2 -> 365 + random.nextInt(730);
            default -> 1_095 + random.nextInt(1_095);
        };
        long rotated = Math.max(userCreated, AwsIdentifiers.EXPORTED_AT - age * DAY - random.nextInt((int) DAY));
        boolean active = random.chance(0.92);
        boolean used = random.chance(active ? 0.88 : 0.5);

        counts.keys++;
        long days = (AwsIdentifiers.EXPORTED_AT - rotated) / DAY;
        if (active) {
            counts.activeKeys++;
            counts.activeOlderThan90Days += days > 90 ? 1 : 0;
            counts.activeOlderThan365Days += days > 365 ? 1 : 0;
        }
        if (!used) {
            counts.neverUsed++;
            return new Slot(List.of(Boolean.toString(active), date(rotated), NOT_AVAILABLE, NOT_AVAILABLE, NOT_AVAILABLE),
                    true, active, rotated);
        }
        return new Slot(List.of(Boolean.toString(active), date(rotated), date(lastUse(rotated)),
                random.chance(0.8) ? "us-east-1" : "eu-west-1", random.pick(SERVICES)), true, active, rotated);
    }

    /** Returns a last use after {@code since}: within 30 days of the export for most, earlier for the rest. */
    private long lastUse(long since) {
        long span = AwsIdentifiers.EXPORTED_AT - since;
        long recent = Math.min(span, 30 * DAY);
        long back = random.chance(0.8) ? (long) (random.nextDouble() * recent) : (long) (random.nextDouble() * span);
        return AwsIdentifiers.EXPORTED_AT - back;
    }

    private static String date(long epochSecond) {
        return AwsIdentifiers.CLI_DATE.format(Instant.ofEpochSecond(epochSecond));
    }
}
