package dev.nhigraph.policy.eval;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which of up to {@value #STATEMENTS} statements of a policy cover each action, as a bit mask per action, filled on
 * first use. Actions are keyed by a small integer id per lower-case action name, assigned by {@link #resolve}.
 *
 * <p>Each entry is one {@code long}: the action id plus one in the high 32 bits and the mask in the low 32 bits,
 * in an open-addressing table with linear probing. A lookup thus reads one array element. A table with up to
 * 3,072 entries takes 32 KB, so that the tables of all policies of a decision can stay in the CPU caches.
 *
 * <p>Reads take no lock. An entry is written with release semantics and read with acquire semantics, in one
 * 64-bit access, so a reader sees either an empty slot or the whole entry. A grown table is built completely
 * before it is published through a volatile field. A reader that races a write finds no entry and computes
 * the same mask again. Writes are synchronized.
 */
final class ActionIndex {

    /** Maximum number of statements per index: the width of the mask in an entry. */
    static final int STATEMENTS = 32;

    private static final ConcurrentHashMap<String, ActionName> BY_LOWER_CASE = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, ActionName> BY_SPELLING = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int INITIAL_SLOTS = 16;
    private static final long EMPTY = 0L;

    private final CompiledStatement[] statements;
    /**
     * True when every statement has {@code "Action": "*"}, as in the FullAWSAccess SCP. The mask is then
     * {@link #allStatements} for every action, and no entry is read or stored.
     */
    private final boolean everyAction;
    private final int allStatements;
    private volatile long[] slots = new long[INITIAL_SLOTS];
    /** Number of entries in {@link #slots}; guarded by this. */
    private int size;

    /** The lower-case form of an action name and its id, the same for every spelling. */
    record ActionName(int id, String lowerCase) {
    }

    /** Indexes {@code statements}, at most {@value #STATEMENTS} of them, in document order. */
    ActionIndex(CompiledStatement[] statements) {
        if (statements.length > STATEMENTS) {
            throw new IllegalArgumentException("An action index takes at most " + STATEMENTS + " statements, got "
                    + statements.length + ".");
        }
        this.statements = statements.clone();
        boolean every = statements.length > 0;
        for (CompiledStatement statement : statements) {
            every &= statement.coversEveryAction();
        }
        this.everyAction = every;
        this.allStatements = statements.length == STATEMENTS ? -1 : (1 << statements.length) - 1;
    }

    /**
     * Returns the id and lower-case form of {@code action}, assigning an id on first use. A spelling seen before
     * costs one hash lookup on the string as the caller passes it, without lower-casing it again.
     * NOTE: ids and spellings are never released. Their number is bounded by the catalogue plus the unknown names
     * written in loaded policies and asked about, each in the spellings that callers pass.
     */
    static ActionName resolve(String action) {
        ActionName name = BY_SPELLING.get(action);
        if (name != null) {
            return name;
        }
        String lowerCase = action.toLowerCase(Locale.ROOT);
        // computeIfAbsent runs the function at most once per key, so each lower-case name gets exactly one id.
        name = BY_LOWER_CASE.computeIfAbsent(lowerCase, key -> new ActionName(NEXT_ID.getAndIncrement(), key));
        BY_SPELLING.putIfAbsent(action, name);
        return name;
    }

    /** Returns the mask of the statements whose Action or NotAction covers the action, computing it on first use. */
    int mask(ActionName action) {
        if (everyAction) {
            return allStatements;
        }
        long[] table = slots;
        int last = table.length - 1;
        long key = action.id() + 1L;
        for (int slot = home(action.id(), last); ; slot = (slot + 1) & last) {
            long entry = (long) SLOT.getAcquire(table, slot);
            if (entry >>> STATEMENTS == key) {
                return (int) entry;
            }
            if (entry == EMPTY) {
                return fill(action);
            }
        }
    }

    private int fill(ActionName action) {
        int mask = 0;
        for (int i = 0; i < statements.length; i++) {
            if (statements[i].coversAction(action.lowerCase())) {
                mask |= 1 << i;
            }
        }
        insert(action.id(), mask);
        return mask;
    }

    private synchronized void insert(int id, int mask) {
        long[] table = slots;
        // Grows at three quarters full, a usual load limit for linear probing.
        if ((size + 1) * 4L > table.length * 3L) {
            table = grown(table);
        }
        if (place(table, id, mask)) {
            size++;
        }
        slots = table;
    }

    /** Returns a table of twice the size with the same entries, written plainly: it is published only afterwards. */
    private static long[] grown(long[] table) {
        long[] bigger = new long[table.length * 2];
        int last = bigger.length - 1;
        for (long entry : table) {
            if (entry != EMPTY) {
                int slot = home((int) (entry >>> STATEMENTS) - 1, last);
                while (bigger[slot] != EMPTY) {
                    slot = (slot + 1) & last;
                }
                bigger[slot] = entry;
            }
        }
        return bigger;
    }

    /**
     * Writes the entry unless {@code id} already has one, which another thread may have written after the same miss.
     * Called with the lock held, so plain reads see every earlier write. The write itself is a release, for readers.
     */
    private static boolean place(long[] table, int id, int mask) {
        int last = table.length - 1;
        long key = id + 1L;
        for (int slot = home(id, last); ; slot = (slot + 1) & last) {
            long entry = table[slot];
            if (entry >>> STATEMENTS == key) {
                return false;
            }
            if (entry == EMPTY) {
                SLOT.setRelease(table, slot, key << STATEMENTS | (mask & 0xFFFF_FFFFL));
                return true;
            }
        }
    }

    private static int home(int id, int last) {
        return (id * 0x9E3779B9) & last;
    }
}
