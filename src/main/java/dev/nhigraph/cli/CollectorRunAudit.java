package dev.nhigraph.cli;

import dev.nhigraph.audit.Audit;

/**
 * The audit line of one {@code collect} run, written once when the run ends, whether it succeeded or failed.
 *
 * <p>It names the operating-system user, the cloud and scope requested, what was collected and the outcome with the
 * number of collection gaps. It never contains credentials: the AWS profile and the impersonated service account are
 * names, not secrets.
 */
final class CollectorRunAudit {

    private final String scope;
    private String collected;
    private int gaps = -1;
    private boolean loaded;

    CollectorRunAudit(String scope) {
        this.scope = scope;
    }

    /** Records that collection finished with {@code gaps} collection gaps, before the load starts. */
    void collected(String collected, int gaps) {
        this.collected = collected;
        this.gaps = gaps;
    }

    /** Records that the collected bundle was loaded into the graph. */
    void loaded() {
        this.loaded = true;
    }

    /** Writes the audit line with the stage the run reached. */
    void write() {
        Audit.collectorRun(Audit.commandLineUser(), scope, collected, outcome());
    }

    private String outcome() {
        if (gaps < 0) {
            return "failed:collect";
        }
        String gapCount = gaps + (gaps == 1 ? " gap" : " gaps");
        return loaded ? "ok:" + gapCount : "failed:load, " + gapCount;
    }
}
