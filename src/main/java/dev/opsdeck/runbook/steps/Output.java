package dev.opsdeck.runbook.steps;

/**
 * A step's captured output, capped: past {@code limit} characters the rest is counted, not kept, and a marker
 * says how much was dropped. A command printing gigabytes costs its pipe, never the server's memory.
 */
public final class Output {
    /** What a step keeps unless its type says otherwise. */
    public static final long DEFAULT_LIMIT = 64 * 1024;

    private final StringBuilder kept = new StringBuilder();
    private final long limit;
    private long dropped;

    public Output(long limit) {
        this.limit = limit;
    }

    public synchronized void append(String text) {
        long room = Math.max(0, limit - kept.length());
        if (text.length() <= room) {
            kept.append(text);
        } else {
            kept.append(text, 0, (int) room);
            dropped += text.length() - room;
        }
    }

    public synchronized String text() {
        return dropped == 0 ? kept.toString() : kept + "\n[output truncated: " + dropped + " more characters not kept]";
    }

    public synchronized boolean truncated() {
        return dropped > 0;
    }
}
