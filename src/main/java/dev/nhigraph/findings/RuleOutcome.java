package dev.nhigraph.findings;

import java.util.List;

/**
 * The findings of one rule, and why the list may be incomplete.
 *
 * @param stoppedBy the bound that cut the evaluation short (time limit, result cap) or the error that failed the rule,
 *                  or null when the list is complete
 */
public record RuleOutcome(List<Finding> findings, String stoppedBy) {
}
