package dev.opsdeck.runbook.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One output stream of a remote command: keeps the first {@code cap} bytes, counts the rest, and hands complete
 * lines to a listener while they are within the cap (an endless log must not flood the dashboard either).
 */
final class CappedOutput extends OutputStream {
    private final int cap;
    private final boolean stderr;
    private final Consumer<OutputLine> listener;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long total;

    CappedOutput(int cap, boolean stderr, Consumer<OutputLine> listener) {
        if (cap < 0) throw new IllegalArgumentException("output cap must not be negative");
        this.cap = cap;
        this.stderr = stderr;
        this.listener = listener;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) {
        int room = (int) Math.max(0, Math.min(len, cap - total));
        if (room > 0) {
            kept.write(bytes, off, room);
            for (int i = off; i < off + room; i++) {
                if (bytes[i] == '\n') emit();
                else line.write(bytes[i]);
            }
        }
        total += len;
    }

    private void emit() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) text = text.substring(0, text.length() - 1);
        if (listener != null) listener.accept(new OutputLine(stderr, text));
    }

    synchronized boolean truncated() {
        return total > cap;
    }

    /** The kept text; a partial last line is flushed to the listener; a truncated stream ends with a marker. */
    synchronized String text() {
        if (line.size() > 0) emit();
        String text = kept.toString(StandardCharsets.UTF_8);
        if (!truncated()) return text;
        return text + (text.endsWith("\n") || text.isEmpty() ? "" : "\n") + "[output truncated: " + (total - cap)
                + " more bytes not kept]";
    }
}
