package dev.nhigraph.generate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Set;

/**
 * Identifiers and timestamps in the formats AWS prints them, drawn from one seeded stream and unique within an
 * organisation.
 */
final class AwsIdentifiers {

    /** Entity creation dates fall between this instant and {@link #LATEST}; no date depends on the clock. */
    static final long EARLIEST = Instant.parse("2019-01-01T00:00:00Z").getEpochSecond();
    private static final long LATEST = Instant.parse("2025-06-01T00:00:00Z").getEpochSecond();
    /** The date of the synthetic export: RoleLastUsed dates fall in the 120 days before it. */
    static final long EXPORTED_AT = Instant.parse("2025-09-01T00:00:00Z").getEpochSecond();
    static final DateTimeFormatter CLI_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'+00:00'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ORGANIZATIONS_DATE = DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'+00:00'").withZone(ZoneOffset.UTC);

    private final SeededRandom random;
    private final Set<String> issued = new HashSet<>();

    AwsIdentifiers(SeededRandom random) {
        this.random = random;
    }

    /** Returns a 12-digit account id that does not start with 0. */
    String accountId() {
        return unique(() -> random.between(1, 9) + random.digits(11));
    }

    /**
     * Returns an IAM unique id: the four-letter prefix of the entity type (AIDA user, AROA role, AGPA group,
     * ANPA managed policy, AIPA instance profile) and 17 upper-case letters and digits, as IAM writes them.
     */
    String uniqueId(String prefix) {
        return unique(() -> prefix + random.upperAlphanumeric(17));
    }

    String organizationId() {
        return unique(() -> "o-" + random.lowerAlphanumeric(10));
    }

    String rootId() {
        return unique(() -> "r-" + random.lowerAlphanumeric(4));
    }

    String organizationalUnitId(String rootId) {
        return unique(() -> "ou-" + rootId.substring(2) + "-" + random.lowerAlphanumeric(8));
    }

    String policyId() {
        return unique(() -> "p-" + random.lowerAlphanumeric(8));
    }

    /** Returns a KMS key id in the UUID form that KMS uses. */
    String keyId() {
        return unique(() -> random.hex(8) + "-" + random.hex(4) + "-" + random.hex(4) + "-" + random.hex(4) + "-"
                + random.hex(12));
    }

    /** Returns the six characters that Secrets Manager appends to a secret's name in its ARN. */
    String secretSuffix() {
        return random.upperAlphanumeric(3) + random.lowerAlphanumeric(3);
    }

    /** Returns a creation date as the AWS CLI prints it, such as 2021-03-04T10:11:12+00:00. */
    String createDate() {
        return CLI_DATE.format(Instant.ofEpochSecond(EARLIEST + (long) (random.nextDouble() * (LATEST - EARLIEST))));
    }

    /** Returns a date after {@code createDate} and before the export, for policy updates. */
    String updateDate(String createDate) {
        long created = Instant.from(CLI_DATE.parse(createDate)).getEpochSecond();
        return CLI_DATE.format(Instant.ofEpochSecond(created + (long) (random.nextDouble() * (LATEST - created))));
    }

    /** Returns a RoleLastUsed date in the 120 days before the export. */
    String lastUsedDate() {
        return CLI_DATE.format(Instant.ofEpochSecond(EXPORTED_AT - random.nextInt(120 * 86_400)));
    }

    /** Returns a JoinedTimestamp as AWS Organizations prints it, with microseconds. */
    String joinedTimestamp() {
        return ORGANIZATIONS_DATE.format(Instant.ofEpochSecond(EARLIEST + (long) (random.nextDouble() * (LATEST - EARLIEST))));
    }

    private String unique(java.util.function.Supplier<String> draw) {
        String value = draw.get();
        while (!issued.add(value)) {
            value = draw.get();
        }
        return value;
    }
}
