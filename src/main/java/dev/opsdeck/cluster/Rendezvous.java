package dev.opsdeck.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Which live node owns a check: rendezvous (highest random weight) hashing. Every node computes the same owner from
 * the same list of node ids, with nothing to coordinate; when a node leaves only its own checks move (each to the
 * node with the next weight), and when one joins it takes about 1/n of each other node's checks, no more.
 */
public final class Rendezvous {
    private Rendezvous() {}

    /** The owner of {@code key} among {@code nodes}; null when there is none. */
    public static String owner(String key, Collection<String> nodes) {
        String best = null;
        long bestWeight = 0;
        for (String node : nodes) {
            long w = weight(node, key);
            if (best == null
                    || Long.compareUnsigned(w, bestWeight) > 0
                    || w == bestWeight && node.compareTo(best) < 0) {
                best = node;
                bestWeight = w;
            }
        }
        return best;
    }

    /** A 64-bit FNV-1a hash of node and key, finished with a mixer so near keys spread evenly. */
    static long weight(String node, String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (node + '\u0000' + key).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
