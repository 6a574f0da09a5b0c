package dev.nhigraph.aws.collect;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The settings of one {@code nhigraph collect aws} run: what it collects and how.
 *
 * @param profile            the AWS CLI profile to take credentials from, or null for the default credential chain
 * @param regions            the regions to collect, or empty for every region enabled in each account
 * @param assumeRoleName     the role to assume in every member account, or null to collect the caller's account only
 * @param accounts           the member accounts to assume the role in, or empty for every active account of the
 *                           organisation
 * @param parallelism        the maximum number of API calls in flight at once
 * @param endpoint           the URL that every client sends its calls to, or null for the services' own endpoints
 * @param callTimeout        the limit of one API call, retries included
 * @param attemptTimeout     the limit of one HTTP attempt of a call
 * @param maxAttempts        the attempts of a call that is throttled or fails with a 5xx status, the first included
 * @param reportPolls        how many times GetCredentialReport is polled while the report is being generated
 * @param reportPollInterval the wait between those polls, and between the polls of a service last accessed report
 * @param serviceLastAccessed whether to request IAM's service last accessed report of every user and role, two or
 *                           more calls per principal
 */
public record CollectSettings(String profile, List<String> regions, String assumeRoleName, List<String> accounts,
                              int parallelism, URI endpoint, Duration callTimeout, Duration attemptTimeout,
                              int maxAttempts, int reportPolls, Duration reportPollInterval,
                              boolean serviceLastAccessed) {

    public static final int DEFAULT_PARALLELISM = 8;
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(20);
    public static final int DEFAULT_MAX_ATTEMPTS = 6;

    public CollectSettings {
        regions = List.copyOf(regions);
        accounts = List.copyOf(accounts);
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
        }
    }

    /** Returns the settings of a run with the defaults for timeouts, retries and the credential report's polling. */
    public static CollectSettings of(String profile, List<String> regions, String assumeRoleName, List<String> accounts,
                                     int parallelism, URI endpoint) {
        return new CollectSettings(profile, regions, assumeRoleName, accounts, parallelism, endpoint,
                DEFAULT_CALL_TIMEOUT, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_MAX_ATTEMPTS, 30, Duration.ofSeconds(2), false);
    }

    /** Returns these settings with other regions; empty means every enabled region. */
    public CollectSettings withRegions(List<String> newRegions) {
        return new CollectSettings(profile, newRegions, assumeRoleName, accounts, parallelism, endpoint, callTimeout,
                attemptTimeout, maxAttempts, reportPolls, reportPollInterval, serviceLastAccessed);
    }

    /** Returns these settings with other call and attempt timeouts. */
    public CollectSettings withTimeouts(Duration call, Duration attempt) {
        return new CollectSettings(profile, regions, assumeRoleName, accounts, parallelism, endpoint, call, attempt,
                maxAttempts, reportPolls, reportPollInterval, serviceLastAccessed);
    }

    /** Returns these settings with another polling of the credential report. */
    public CollectSettings withReportPolling(int polls, Duration interval) {
        return new CollectSettings(profile, regions, assumeRoleName, accounts, parallelism, endpoint, callTimeout,
                attemptTimeout, maxAttempts, polls, interval, serviceLastAccessed);
    }

    /** Returns these settings with the service last accessed reports requested or not. */
    public CollectSettings withServiceLastAccessed(boolean requested) {
        return new CollectSettings(profile, regions, assumeRoleName, accounts, parallelism, endpoint, callTimeout,
                attemptTimeout, maxAttempts, reportPolls, reportPollInterval, requested);
    }
}
