package dev.opsdeck.server;

/**
 * Start-up work the server can skip or move off the main thread. Each item was measured on a 2-core
 * machine; see "Monitoring engine" in docs/BENCHMARKS.md for the figures.
 */
final class FastStart {
    static final String JETTY_REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    private FastStart() {}

    /**
     * Jetty pads its queues to a cache line and, unless told how many references fit in one, asks the
     * platform MBean server whether object pointers are compressed: starting that server cost ~0.2 s.
     * Heaps below 32 GB use compressed (4-byte) references, 16 to a 64-byte line; larger heaps 8-byte ones.
     * A value set by the operator ({@code -D...}) wins.
     */
    static void tellJettyTheCacheLine() {
        if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) == null) {
            boolean compressed = Runtime.getRuntime().maxMemory() < (32L << 30);
            System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE, compressed ? "16" : "8");
        }
    }
}
