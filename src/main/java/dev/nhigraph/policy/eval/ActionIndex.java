package dev.nhigraph.policy.eval;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The statements of one policy by action, keyed by a small integer id per lower-case action name, so a decision
 * costs one id lookup in total and then one array probe per policy instead of a string-keyed map lookup.
 *
 * <p>Reads take no lock: keys are written after their value, and values sit in an {@link AtomicReferenceArray}, so
 * a reader that sees a value also sees the array it points to fully built. A reader that races a write sees a miss
 * and computes the same statements again. Writes are synchronized.
 */
final class ActionIndex {

    private static final ConcurrentHashMap<String, Integer> IDS = new ConcurrentHashMap<>();
    private static final int EMPTY = -1;

    private volatile Table table = new Table(64);

    /**
     * Returns the id of a lower-case action name, assigning one on first use.
     * NOTE: ids are never released; the set of action names a process sees is bounded by the catalogue plus the
     * unknown names written in loaded policies and asked about.
     */
    static int id(String lowerAction) {
        Integer id = IDS.get(lowerAction);
        return id != null ? id : IDS.computeIfAbsent(lowerAction, key -> IDS.size());
    }

    /** Returns the statements stored for {@code id}, or null when they have not been computed yet. */
    CompiledStatement[] get(int id) {
        Table current = table;
        int mask = current.keys.length - 1;
        for (int slot = mix(id) & mask; ; slot = (slot + 1) & mask) {
            int key = current.keys[slot];
            if (key == id) {
                return current.values.get(slot);
            }
            if (key == EMPTY) {
                return null;
            }
        }
    }

    synchronized void put(int id, CompiledStatement[] statements) {
        Table current = table;
        if ((current.size + 1) * 2 > current.keys.length) {
            current = current.grown();
        }
        current.insert(id, statements);
        table = current;
    }

    private static int mix(int id) {
        return id * 0x9E3779B9;
    }

    private static final class Table {
        final int[] keys;
        final AtomicReferenceArray<CompiledStatement[]> values;
        int size;

        Table(int capacity) {
            keys = new int[capacity];
            Arrays.fill(keys, EMPTY);
            values = new AtomicReferenceArray<>(capacity);
        }

        void insert(int id, CompiledStatement[] statements) {
            int mask = keys.length - 1;
            for (int slot = mix(id) & mask; ; slot = (slot + 1) & mask) {
                if (keys[slot] == id) {
                    values.set(slot, statements);
                    return;
                }
                if (keys[slot] == EMPTY) {
                    values.set(slot, statements);
                    keys[slot] = id;
                    size++;
                    return;
                }
            }
        }

        Table grown() {
            Table bigger = new Table(keys.length * 2);
            for (int slot = 0; slot < keys.length; slot++) {
                if (keys[slot] != EMPTY) {
                    bigger.insert(keys[slot], values.get(slot));
                }
            }
            return bigger;
        }
    }
}
