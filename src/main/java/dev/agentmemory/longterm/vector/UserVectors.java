package dev.agentmemory.longterm.vector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One user's vectors as a service keeps them (portable backend): the {@link VectorCodec#int8} codes in one array,
 * with each memory's kind and creation time for the kind filter and the recency boost, and the epoch and version of
 * the user's vector state in Redis they reflect. There is no index to go stale: up to {@code exactUpTo} vectors, a
 * search scores every one of them; above that, it first compares every vector's signs with the query's (one bit per
 * dimension, 48 bytes at 384 dimensions: a popcount per 64 dimensions) and scores the {@code shortlist} closest
 * exactly, which reads a tenth of the memory and finds nearly the same top 10 (see docs/benchmarks.md for the measured
 * recall against the exact search).
 *
 * <p>Searches share the read lock; changes take the write lock.
 */
final class UserVectors {

    private final String model;
    private final String epoch;
    private long version;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Integer> slots = new HashMap<>();

    private int dimension = -1;
    private int words; // longs of sign bits per vector
    private int size;
    private String[] ids = new String[16];
    private byte[] codes = new byte[0];
    private long[] signs = new long[0];
    private float[] scales = new float[16];
    private long[] created = new long[16];
    private String[] kinds = new String[16];

    /** Sizes up to which a search scores every vector; above, the sign-bit shortlist first (see the class). */
    static final int EXACT_UP_TO = 20_000;

    /** Vectors the sign bits shortlist for the exact score, at least (more for a larger {@code n}). */
    static final int SHORTLIST = 2_000;

    UserVectors(String model, String epoch, long version) {
        this.model = model;
        this.epoch = epoch;
        this.version = version;
    }

    String model() {
        return model;
    }

    String epoch() {
        return epoch;
    }

    long version() {
        lock.readLock().lock();
        try {
            return version;
        } finally {
            lock.readLock().unlock();
        }
    }

    int size() {
        return size;
    }

    /** Roughly what this takes in memory, in bytes. */
    long bytes() {
        return 64L + (long) ids.length * (Math.max(dimension, 0) + 8L * words + 4 + 8 + 8 + 64);
    }

    /**
     * Applies the changes a sync found up to {@code version}, unless this copy is already that recent (another
     * search applied them, or later ones, meanwhile).
     */
    void catchUp(List<VectorSync.Change> changes, long version) {
        lock.writeLock().lock();
        try {
            if (version <= this.version) {
                return;
            }
            changes.forEach(c -> applyLocked(c.id(), c.vector(), c.meta()));
            this.version = version;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Sets or removes one memory's vector.
     *
     * @param vector the {@link VectorCodec#int8} vector, or null when the memory has none (any more)
     * @param meta the portable index's meta of the memory, {@code "length createdAt kind"}, or null
     */
    void apply(String id, byte[] vector, String meta) {
        lock.writeLock().lock();
        try {
            applyLocked(id, vector, meta);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void applyLocked(String id, byte[] vector, String meta) {
        if (vector == null || meta == null) {
            remove(id);
        } else {
            put(id, vector, meta);
        }
    }

    private void put(String id, byte[] vector, String meta) {
        int dim = VectorCodec.dimension(vector);
        if (dimension < 0) {
            dimension = dim;
            words = (dim + 63) / 64;
            codes = new byte[ids.length * dim];
            signs = new long[ids.length * words];
        } else if (dim != dimension) {
            return; // not of this space's model: never compared
        }
        Integer slot = slots.get(id);
        if (slot == null) {
            if (size == ids.length) {
                grow();
            }
            slot = size++;
            slots.put(id, slot);
            ids[slot] = id;
        }
        System.arraycopy(vector, 4, codes, slot * dimension, dimension);
        signBits(codes, slot * dimension, dimension, signs, slot * words);
        scales[slot] = VectorCodec.scale(vector);
        String[] parts = meta.split(" ", 3);
        created[slot] = Long.parseLong(parts[1]);
        kinds[slot] = parts.length > 2 ? parts[2].intern() : "";
    }

    private void remove(String id) {
        Integer slot = slots.remove(id);
        if (slot == null) {
            return;
        }
        int last = --size;
        if (slot != last) {
            ids[slot] = ids[last];
            slots.put(ids[slot], slot);
            System.arraycopy(codes, last * dimension, codes, slot * dimension, dimension);
            System.arraycopy(signs, last * words, signs, slot * words, words);
            scales[slot] = scales[last];
            created[slot] = created[last];
            kinds[slot] = kinds[last];
        }
        ids[last] = null;
        kinds[last] = null;
    }

    private void grow() {
        int capacity = ids.length * 2;
        ids = Arrays.copyOf(ids, capacity);
        codes = Arrays.copyOf(codes, capacity * Math.max(dimension, 0));
        signs = Arrays.copyOf(signs, capacity * words);
        scales = Arrays.copyOf(scales, capacity);
        created = Arrays.copyOf(created, capacity);
        kinds = Arrays.copyOf(kinds, capacity);
    }

    /**
     * The {@code n} vectors nearest the query (cosine, best first), among the given kinds (all when empty).
     *
     * @param query a unit vector of this space's model
     */
    List<VectorHit> nearest(float[] query, Set<String> kindFilter, int n) {
        return nearest(query, kindFilter, n, null);
    }

    /**
     * {@link #nearest(float[], Set, int)}, through the sign-bit shortlist or not whatever the size; {@code null}
     * decides by the size, under the same lock as the search.
     */
    List<VectorHit> nearest(float[] query, Set<String> kindFilter, int n, Boolean shortlisted) {
        lock.readLock().lock();
        try {
            boolean useShortlist = shortlisted != null ? shortlisted : size > EXACT_UP_TO;
            if (size == 0 || query.length != dimension || n <= 0) {
                return List.of();
            }
            byte[] q = new byte[dimension];
            float max = 0;
            for (float v : query) {
                max = Math.max(max, Math.abs(v));
            }
            float queryScale = max == 0 ? 1 : max / 127f;
            for (int j = 0; j < dimension; j++) {
                q[j] = (byte) Math.round(query[j] / queryScale);
            }
            int[] shortlist = useShortlist ? shortlist(q, kindFilter, Math.max(SHORTLIST, 50 * n)) : null;
            int scanned = shortlist == null ? size : shortlist.length;
            PriorityQueue<Candidate> best = new PriorityQueue<>(n + 1, Comparator.comparingDouble(Candidate::score));
            for (int k = 0; k < scanned; k++) {
                int i = shortlist == null ? k : shortlist[k];
                if (shortlist == null && !kindFilter.isEmpty() && !kindFilter.contains(kinds[i])) {
                    continue;
                }
                int offset = i * dimension;
                int dot = 0;
                for (int j = 0; j < dimension; j++) {
                    dot += codes[offset + j] * q[j];
                }
                double score = dot * (double) scales[i] * queryScale;
                if (best.size() < n) {
                    best.add(new Candidate(i, score));
                } else if (score > best.peek().score()) {
                    best.poll();
                    best.add(new Candidate(i, score));
                }
            }
            List<VectorHit> hits = new ArrayList<>(best.size());
            for (Candidate c : best) {
                hits.add(new VectorHit(ids[c.slot()], c.score(), created[c.slot()]));
            }
            hits.sort(Comparator.comparingDouble(VectorHit::cosine).reversed().thenComparing(VectorHit::id));
            return hits;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The cosines of these memories with the query, for those that have a vector here. */
    List<VectorHit> cosines(float[] query, java.util.Collection<String> memories) {
        lock.readLock().lock();
        try {
            List<VectorHit> hits = new ArrayList<>();
            if (query.length != dimension) {
                return hits;
            }
            for (String id : memories) {
                Integer slot = slots.get(id);
                if (slot != null) {
                    double dot = 0;
                    int offset = slot * dimension;
                    for (int j = 0; j < dimension; j++) {
                        dot += codes[offset + j] * query[j];
                    }
                    hits.add(new VectorHit(id, dot * scales[slot], created[slot]));
                }
            }
            return hits;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The vector of one memory, decoded, or null. */
    float[] vector(String id) {
        lock.readLock().lock();
        try {
            Integer slot = slots.get(id);
            if (slot == null) {
                return null;
            }
            float[] vector = new float[dimension];
            for (int j = 0; j < dimension; j++) {
                vector[j] = codes[slot * dimension + j] * scales[slot];
            }
            return vector;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The slots of the {@code count} vectors (among the given kinds) whose signs agree most with the query's: by the
     * Hamming distance of the sign bits, with a histogram of the distances instead of a sort.
     */
    private int[] shortlist(byte[] query, Set<String> kindFilter, int count) {
        long[] q = new long[words];
        signBits(query, 0, dimension, q, 0);
        int bits = words * 64;
        int[] distance = new int[size];
        int[] histogram = new int[bits + 2];
        for (int i = 0; i < size; i++) {
            if (!kindFilter.isEmpty() && !kindFilter.contains(kinds[i])) {
                distance[i] = bits + 1; // never taken
                continue;
            }
            int d = 0;
            int offset = i * words;
            for (int w = 0; w < words; w++) {
                d += Long.bitCount(signs[offset + w] ^ q[w]);
            }
            distance[i] = d;
            histogram[d]++;
        }
        int cutoff = 0;
        for (int seen = 0; cutoff <= bits && seen + histogram[cutoff] < count; cutoff++) {
            seen += histogram[cutoff];
        }
        // every vector closer than the cutoff, then those at the cutoff until count
        int[] taken = new int[Math.min(count, size)];
        int n = 0;
        for (int i = 0; i < size && n < taken.length; i++) {
            if (distance[i] < cutoff) {
                taken[n++] = i;
            }
        }
        for (int i = 0; i < size && n < taken.length && cutoff <= bits; i++) {
            if (distance[i] == cutoff) {
                taken[n++] = i;
            }
        }
        return n == taken.length ? taken : Arrays.copyOf(taken, n);
    }

    /** One bit per dimension, set where the code is positive. */
    private static void signBits(byte[] codes, int from, int dimension, long[] signs, int at) {
        for (int j = 0; j < dimension; j++) {
            if (codes[from + j] > 0) {
                signs[at + j / 64] |= 1L << (j % 64);
            } else {
                signs[at + j / 64] &= ~(1L << (j % 64));
            }
        }
    }

    private record Candidate(int slot, double score) {}
}
