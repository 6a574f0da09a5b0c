package dev.nhigraph.policy;

/**
 * Access level of an AWS action, as the AWS Service Authorization Reference classifies it.
 */
public enum AccessLevel {
    LIST("List"),
    READ("Read"),
    WRITE("Write"),
    PERMISSIONS_MANAGEMENT("Permissions management"),
    TAGGING("Tagging"),
    /** Level missing from the source data or not one of the five levels that AWS publishes. */
    UNKNOWN("Unknown");

    private final String label;

    AccessLevel(String label) {
        this.label = label;
    }

    /**
     * Returns the label as the AWS Service Authorization Reference spells it, for example
     * {@code "Permissions management"}.
     */
    public String label() {
        return label;
    }

    /**
     * Parses a label such as {@code "Permissions management"}, ignoring case and surrounding
     * whitespace.
     *
     * @return the matching level, or {@link #UNKNOWN} for {@code null}, blank or unrecognised text
     */
    public static AccessLevel fromLabel(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        String stripped = text.strip();
        for (AccessLevel level : values()) {
            if (level.label.equalsIgnoreCase(stripped)) {
                return level;
            }
        }
        return UNKNOWN;
    }
}
