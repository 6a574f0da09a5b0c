package dev.nhigraph.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nhigraph.NhigraphException;
import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.policy.PolicyDocuments;

/** Printing shared by the commands: JSON for scripts on stdout, warnings on stderr. */
final class Output {

    private Output() {
    }

    static String json(Object value) {
        try {
            return PolicyDocuments.JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new NhigraphException("Failed to format the output as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static void printLoad(LoadResult result, boolean asJson) {
        if (asJson) {
            System.out.println(json(result));
            return;
        }
        printSkippedAndWarnings(result);
        System.out.println(result.summaryLine());
    }

    /**
     * Prints each skipped item and warning of a load on stderr. The parsers log them only at INFO, so at the default
     * log level this is the one line a user sees for each.
     */
    static void printSkippedAndWarnings(LoadResult result) {
        result.skipped().forEach(item -> System.err.println("skipped: " + item.file() + ": " + item.item() + ": " + item.reason()));
        // A command reports its result as complete within its own bounds, so this line names what it cannot include.
        // A whole file of no known kind is not counted, because it contained nothing that the graph would store.
        long items = result.skipped().stream().filter(item -> !"whole file".equals(item.item())).count();
        if (items > 0) {
            System.err.println("warning: " + (items == 1 ? "1 item of the exports was" : items + " items of the exports were")
                    + " skipped, so no answer includes what they grant, trust or deny. Export them again, or correct"
                    + " them, and load once more.");
        }
        result.warnings().forEach(warning -> System.err.println("warning: " + warning));
    }
}
