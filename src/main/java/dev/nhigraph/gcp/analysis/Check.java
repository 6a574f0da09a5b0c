package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.analysis.GcpAuthorization.Decision;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.eval.Tri;
import java.util.ArrayList;
import java.util.List;

/**
 * The combined decision on every permission a technique needs: YES only when all are YES, NO when any is NO, and
 * the evidence of each permission that was decided.
 */
record Check(Tri value, List<Evidence> evidence) {

    static final Check YES = new Check(Tri.TRUE, List.of());
    static final Check NO = new Check(Tri.FALSE, List.of());

    static Check of(Decision decision) {
        if (decision.result() == Tri.FALSE) {
            return NO;
        }
        List<Evidence> evidence = new ArrayList<>(decision.allowing());
        evidence.addAll(decision.denying());
        return new Check(decision.result(), List.copyOf(evidence));
    }

    /** Returns this AND {@code other}, which is NO as soon as either is NO. */
    Check and(Check other) {
        Tri combined = value.and(other.value);
        if (combined == Tri.FALSE) {
            return NO;
        }
        List<Evidence> all = new ArrayList<>(evidence);
        all.addAll(other.evidence);
        return new Check(combined, List.copyOf(all));
    }

    boolean possible() {
        return value != Tri.FALSE;
    }

    boolean conditional() {
        return value == Tri.UNKNOWN;
    }

    /** Returns this check made conditional, with {@code reason} added to the first evidence's note. */
    Check conditionalBecause(String reason) {
        if (value == Tri.FALSE) {
            return this;
        }
        return new Check(Tri.UNKNOWN, withNote(evidence, reason));
    }

    /** Returns this check with {@code sentence} added to the first evidence's note, value unchanged. */
    Check noting(String sentence) {
        return new Check(value, withNote(evidence, sentence));
    }

    private static List<Evidence> withNote(List<Evidence> evidence, String sentence) {
        if (evidence.isEmpty()) {
            return evidence;
        }
        List<Evidence> copy = new ArrayList<>(evidence);
        Evidence first = copy.get(0);
        String note = first.note() == null ? sentence : first.note() + " " + sentence;
        copy.set(0, new Evidence(first.policy(), first.policyName(), first.policyKind(), first.via(), first.statement(),
                first.sid(), first.effect(), first.actions(), first.resources(), first.principals(), first.condition(),
                note));
        return List.copyOf(copy);
    }
}
