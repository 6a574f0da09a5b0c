package dev.nhigraph.gcp.collect;

/**
 * A call that failed in a way the run survives, as collection-gaps.json records it.
 *
 * @param scope   the organization, folder or project the call was about ({@code organizations/ID} and the like)
 * @param call    the method that failed
 * @param reason  access-denied, not-enabled, timeout, throttled or error
 * @param message the service's error message, or what the collector observed
 */
public record CollectionGap(String scope, GcpCall call, String reason, String message) {

    public static final String ACCESS_DENIED = "access-denied";
    public static final String NOT_ENABLED = "not-enabled";
    public static final String TIMEOUT = "timeout";
    public static final String THROTTLED = "throttled";
    public static final String ERROR = "error";
}
