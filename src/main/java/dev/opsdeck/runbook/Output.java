package dev.opsdeck.runbook;

/**
 * A step's captured output, capped: past {@code limit} characters the rest is counted, not kept, and a marker
 * says how much was dropped. A command printing gigabytes costs its pipe, never the server's memory.
 */
final class Output {
    private final StringBuilder kept = new StringBuilder();
    private final long limit;
    private long dropped;

    Output(long limit) {
        this.limit = limit;
    }

    synchronized void append(String text) {
        long room = Math.max(0, limit - kept.length());
        if (text.length() <= room) {
            kept.append(text);
        } else {
            kept.append(text, 0, (int) room);
            dropped += text.length() - room;
        }
    }

    synchronized String text() {
        return dropped == 0 ? kept.toString() : kept + "\n[output truncated: " + dropped + " more characters not kept]";
    }

    synchronized boolean truncated() {
        return dropped > 0;
    }
}
