package dev.nhigraph.collect;

import java.util.Objects;

/**
 * One call that a live collection could not make or finish, so the snapshot lacks what it would have returned.
 *
 * @param cloud   {@code aws} or {@code gcp}
 * @param scope   an AWS account id, or a GCP {@code organizations/ID}, {@code folders/ID} or {@code projects/ID}
 * @param region  the region of a regional call, or null for a global one
 * @param service the service, such as {@code kms}
 * @param call    the API operation, such as {@code ListKeys}
 * @param reason  why the call gave nothing
 * @param message the service's error message, or the client's when no response came
 */
public record CollectionGap(String cloud, String scope, String region, String service, String call, Reason reason,
                            String message) {

    /** The cause of a gap, with the value that the {@code reason} field of collection-gaps.json gives it. */
    public enum Reason {
        ACCESS_DENIED("access-denied"),
        NOT_ENABLED("not-enabled"),
        REGION_DISABLED("region-disabled"),
        TIMEOUT("timeout"),
        THROTTLED("throttled"),
        ERROR("error");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** Returns the value written to collection-gaps.json. */
        public String label() {
            return label;
        }

        /** Returns the reason of a collection-gaps.json value, or null when the value is none of them. */
        public static Reason of(String label) {
            for (Reason reason : values()) {
                if (reason.label.equals(label)) {
                    return reason;
                }
            }
            return null;
        }
    }

    public CollectionGap {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(reason, "reason");
    }

    /** Returns the one-line form stored on the Snapshot node and printed in reports. */
    public String describe() {
        return cloud + " " + scope + (region == null ? "" : " " + region) + " " + service + ":" + call + " "
                + reason.label() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
