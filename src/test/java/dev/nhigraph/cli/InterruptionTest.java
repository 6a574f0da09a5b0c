package dev.nhigraph.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.analysis.LoadService.Phase;
import org.junit.jupiter.api.Test;

/** Messages of an interrupted load about what remains in the graph. */
class InterruptionTest {

    @Test
    void firstLoad_doesNotClaimPreviousSnapshot() {
        for (Phase phase : new Phase[] {Phase.NOT_STARTED, Phase.STORING_FACTS, Phase.COMMITTING_FACTS}) {
            String message = Interruption.loadMessage(phase, false, false);

            assertFalse(message.contains("previous snapshot"), phase + ": " + message);
            assertTrue(message.contains("stays empty"), phase + ": " + message);
        }
    }

    @Test
    void laterLoad_keepsPreviousSnapshot() {
        String message = Interruption.loadMessage(Phase.STORING_FACTS, true, false);

        assertTrue(message.contains("keeps the previous snapshot"), message);
    }

    @Test
    void deriving_saysEdgesMayBeMissing() {
        String message = Interruption.loadMessage(Phase.DERIVING, true, false);

        assertTrue(message.contains("while it derived"), message);
        assertTrue(message.contains("loading the same files again also finishes it"), message);
        assertFalse(message.contains("before it derived"), message);
    }

    @Test
    void derivingWithJournal_saysTheNextStartRestores() {
        String message = Interruption.loadMessage(Phase.DERIVING, true, true);

        assertTrue(message.contains("undoes the stored files from the load journal"), message);
        assertTrue(message.contains("returns the graph to the previous snapshot"), message);
        assertFalse(message.contains("reject"), message);
        assertTrue(Interruption.loadMessage(Phase.DERIVING, false, true).contains("returns the graph to empty"));
    }

    @Test
    void derivingLaterStage_namesWhatWasDone() {
        String message = Interruption.loadMessage(Phase.DERIVING, true, true, "CAN_ESCALATE");

        assertTrue(message.contains("while it derived CAN_ESCALATE (CAN_ASSUME and CAN_ACCESS were done)"), message);
    }
}
