package dev.nhigraph.generate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Random;

/**
 * A seeded source of random choices for the generator.
 *
 * <p>{@link java.util.Random} is used because its algorithm is fixed by its Javadoc, so a seed gives the same
 * sequence on every JVM. Each part of the organisation draws from its own {@link #fork fork}, so adding a draw in
 * one part does not shift the choices of the others.
 */
public final class SeededRandom {

    private static final String ALPHANUMERIC_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String ALPHANUMERIC_LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String HEX = "0123456789abcdef";

    private final long seed;
    private final Random random;
    /** Set when {@link #sample} draws indexes instead of shuffling a copy of the whole list. */
    private final boolean sampleByIndex;

    public SeededRandom(long seed) {
        this(seed, false);
    }

    private SeededRandom(long seed, boolean sampleByIndex) {
        this.seed = seed;
        this.random = new Random(seed);
        this.sampleByIndex = sampleByIndex;
    }

    /**
     * Returns a stream whose {@link #sample} of a few elements draws their indexes, and whose forks do the same.
     * M and L use it: shuffling a list of 20,000 resources to name one to three of them in each statement made their
     * generation quadratic in the account size. S and Q keep the shuffle, because a change of draws changes their
     * bytes.
     */
    public static SeededRandom sampledByIndex(long seed) {
        return new SeededRandom(seed, true);
    }

    /** Returns an independent stream for the part of the organisation named {@code label}. */
    public SeededRandom fork(String label) {
        // String.hashCode is specified by the Java language, so the fork seed is the same on every JVM.
        long mixed = seed * 0x9E3779B97F4A7C15L + label.hashCode();
        mixed ^= mixed >>> 31;
        return new SeededRandom(mixed * 0xBF58476D1CE4E5B9L, sampleByIndex);
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Returns a number between {@code min} and {@code max}, both included. */
    public int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    public boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    public double nextDouble() {
        return random.nextDouble();
    }

    public <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Returns {@code count} distinct elements of {@code values} (all of them when there are fewer), in random order. */
    public <T> List<T> sample(List<T> values, int count) {
        if (sampleByIndex && count * 4L < values.size()) {
            // With few draws from a long list, a repeated index is rare, so drawing again is cheaper than a shuffle.
            Set<Integer> drawn = new HashSet<>();
            List<T> picked = new ArrayList<>(count);
            while (picked.size() < count) {
                int index = random.nextInt(values.size());
                if (drawn.add(index)) {
                    picked.add(values.get(index));
                }
            }
            return picked;
        }
        List<T> copy = new ArrayList<>(values);
        shuffle(copy);
        return copy.subList(0, Math.min(count, copy.size()));
    }

    public <T> void shuffle(List<T> values) {
        Collections.shuffle(values, random);
    }

    /** Returns the index picked by {@code weights}, which need not sum to 1. */
    public int weighted(double... weights) {
        double total = 0;
        for (double weight : weights) {
            total += weight;
        }
        double point = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            point -= weights[i];
            if (point < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    public String upperAlphanumeric(int length) {
        return characters(ALPHANUMERIC_UPPER, length);
    }

    public String lowerAlphanumeric(int length) {
        return characters(ALPHANUMERIC_LOWER, length);
    }

    public String hex(int length) {
        return characters(HEX, length);
    }

    public String digits(int length) {
        return characters("0123456789", length);
    }

    private String characters(String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /**
     * A Zipf distribution over {@code size} ranks: rank {@code k} (from 0) has weight {@code 1 / (k + 1)^exponent}.
     * Sampling is a binary search over the cumulative weights.
     */
    public static final class Zipf {
        private final double[] cumulative;

        public Zipf(int size, double exponent) {
            cumulative = new double[size];
            double total = 0;
            for (int k = 0; k < size; k++) {
                // StrictMath gives the same bits on every platform, where Math.pow may differ in the last place.
                total += 1.0 / StrictMath.pow(k + 1, exponent);
                cumulative[k] = total;
            }
        }

        public int sample(SeededRandom random) {
            double point = random.nextDouble() * cumulative[cumulative.length - 1];
            int low = 0;
            int high = cumulative.length - 1;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (cumulative[middle] <= point) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }
    }
}
