package dev.nhigraph.aws.collect;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the API calls and HTTP attempts of a run, and records which operations were called, for the progress line,
 * the summary and the test that checks the collector's IAM policy against the calls it makes.
 */
public final class CallJournal implements ExecutionInterceptor {

    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final Set<String> operations = ConcurrentHashMap.newKeySet();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.incrementAndGet();
        operations.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attempts.incrementAndGet();
    }

    /** Returns the number of API calls started. */
    public long calls() {
        return calls.get();
    }

    /** Returns the number of HTTP attempts beyond the first of each call. */
    public long retries() {
        return Math.max(0, attempts.get() - calls.get());
    }

    /**
     * Returns the IAM actions that the calls so far need, such as {@code iam:GetAccountAuthorizationDetails}, from
     * the SDK's service and operation names.
     */
    public Set<String> actions() {
        Set<String> actions = new java.util.TreeSet<>();
        for (String operation : operations) {
            actions.add(IamActions.of(operation));
        }
        return actions;
    }

    /** Returns the counts for the summary line. */
    public Map<String, Long> counts() {
        return Map.of("calls", calls(), "retries", retries());
    }
}
