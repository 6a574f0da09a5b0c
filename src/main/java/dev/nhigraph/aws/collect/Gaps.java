package dev.nhigraph.aws.collect;

import dev.nhigraph.collect.CollectionGap;
import dev.nhigraph.collect.CollectionGap.Reason;
import dev.nhigraph.db.Messages;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place where survivable AWS errors are handled: a call that is denied, not enabled, in a disabled region,
 * timed out, still throttled after its retries, or failed otherwise logs a WARN naming account, region and call,
 * becomes a {@link CollectionGap}, and returns nothing, so the run goes on.
 *
 * <p>A region that timed out or is disabled is skipped for the rest of the run in that account, so a region that
 * does not respond costs one call timeout, not one per call.
 */
final class Gaps {

    private static final Logger log = LoggerFactory.getLogger(Gaps.class);

    private static final Set<String> ACCESS_DENIED = Set.of("AccessDenied", "AccessDeniedException",
            "UnauthorizedOperation", "AuthorizationError", "AuthorizationErrorException", "UnauthorizedException");
    private static final Set<String> NOT_ENABLED = Set.of("OptInRequired", "SubscriptionRequiredException",
            "AWSOrganizationsNotInUseException", "ServiceNotEnabled");
    /** Error codes that the services return in a region the account has not enabled, where they do not know its credentials. */
    private static final Set<String> REGION_DISABLED = Set.of("UnrecognizedClientException", "InvalidClientTokenId",
            "AuthFailure");

    private final List<CollectionGap> gaps = new ArrayList<>();
    /** How many more times each gap of {@link #gaps} occurred, by account, region, service, call and reason. */
    private final java.util.Map<String, Integer> repeats = new java.util.HashMap<>();
    private final Set<String> skippedRegions = ConcurrentHashMap.newKeySet();

    /**
     * Runs one call and returns its result, or empty when it failed with a survivable error, which is then recorded.
     * Nothing is called when the region was already given up in this account.
     */
    <T> Optional<T> call(String account, String region, String service, String call, Supplier<T> request) {
        if (region != null && skippedRegions.contains(account + "/" + region)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(request.get());
        } catch (SdkException e) {
            Reason reason = classify(e);
            String message = message(e);
            boolean giveUpRegion = region != null && (reason == Reason.TIMEOUT || reason == Reason.REGION_DISABLED);
            if (giveUpRegion) {
                message += " (the other calls in this region of the account were skipped)";
                if (!skippedRegions.add(account + "/" + region)) {
                    return Optional.empty();
                }
            }
            record(new CollectionGap("aws", account, region, service, call, reason, message));
            return Optional.empty();
        }
    }

    /**
     * Records a gap, such as a failed call or a credential report that was never ready. A call that fails the same
     * way again in the same account and region (ListAccessKeys for each user, say) is counted on the first gap
     * instead of being logged and listed once per call.
     */
    void record(CollectionGap gap) {
        String key = key(gap);
        synchronized (gaps) {
            Integer earlier = repeats.get(key);
            if (earlier != null) {
                repeats.put(key, earlier + 1);
                return;
            }
            repeats.put(key, 0);
            gaps.add(gap);
        }
        log.warn("Collection gap in account {}{}: {}:{} {}: {}", gap.scope(),
                gap.region() == null ? "" : " region " + gap.region(), gap.service(), gap.call(), gap.reason().label(),
                gap.message());
    }

    /** Returns the gaps so far, sorted by account, region, service and call, each with the count of its repeats. */
    List<CollectionGap> all() {
        synchronized (gaps) {
            List<CollectionGap> sorted = new ArrayList<>();
            for (CollectionGap gap : gaps) {
                int more = repeats.get(key(gap));
                sorted.add(more == 0 ? gap : new CollectionGap(gap.cloud(), gap.scope(), gap.region(), gap.service(),
                        gap.call(), gap.reason(), gap.message() + " (and " + Messages.count(more, "more call", "more calls")
                        + " that failed the same way)"));
            }
            sorted.sort(Comparator.comparing(CollectionGap::scope)
                    .thenComparing(gap -> gap.region() == null ? "" : gap.region())
                    .thenComparing(CollectionGap::service).thenComparing(CollectionGap::call));
            return sorted;
        }
    }

    private static String key(CollectionGap gap) {
        return gap.scope() + "|" + gap.region() + "|" + gap.service() + "|" + gap.call() + "|" + gap.reason();
    }

    static Reason classify(SdkException e) {
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
                || hasCause(e, SocketTimeoutException.class)) {
            return Reason.TIMEOUT;
        }
        if (e instanceof AwsServiceException service) {
            // An error without a code (a 404 from a proxy, say) gets "" because the immutable sets reject null.
            String code = service.awsErrorDetails() == null || service.awsErrorDetails().errorCode() == null ? ""
                    : service.awsErrorDetails().errorCode();
            if (ACCESS_DENIED.contains(code) || service.statusCode() == 403 && !REGION_DISABLED.contains(code)) {
                return Reason.ACCESS_DENIED;
            }
            if (NOT_ENABLED.contains(code)) {
                return Reason.NOT_ENABLED;
            }
            if (REGION_DISABLED.contains(code)) {
                return Reason.REGION_DISABLED;
            }
            if (service.isThrottlingException()) {
                return Reason.THROTTLED;
            }
        }
        return Reason.ERROR;
    }

    private static String message(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String code = service.awsErrorDetails().errorCode();
            String text = service.awsErrorDetails().errorMessage();
            return (code == null ? "" : code + ": ") + (text == null ? "status " + service.statusCode() : text);
        }
        return e.getMessage();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
