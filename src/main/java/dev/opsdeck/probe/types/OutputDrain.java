package dev.opsdeck.probe.types;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a child process's stdout or stderr to the end on its own thread, keeping the first
 * {@code limit} bytes and discarding the rest. Reading on (rather than stopping) matters:
 * a child blocked on a full pipe would never exit, and would then be reported as hung.
 */
final class OutputDrain {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final long limit;
    private final Thread thread;
    private long total;

    private OutputDrain(InputStream in, long limit, String name) {
        this.limit = limit;
        this.thread = Thread.ofPlatform().daemon().name(name).start(() -> pump(in));
    }

    static OutputDrain start(InputStream in, long limit, String name) {
        return new OutputDrain(in, limit, name);
    }

    private void pump(InputStream in) {
        byte[] chunk = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                synchronized (this) {
                    int keep = (int) Math.max(0, Math.min(n, limit - kept.size()));
                    kept.write(chunk, 0, keep);
                    total += n;
                }
            }
        } catch (IOException ignored) {
            // the pipe closes when the process is killed: what was read so far stands
        }
    }

    /**
     * Waits up to {@code millis} for the end of the stream. It may not come even after the
     * process exited, when a background child inherited the pipe; then what was read is used.
     */
    void await(long millis) throws InterruptedException {
        thread.join(Math.max(1, millis));
    }

    synchronized String text() {
        return kept.toString(StandardCharsets.UTF_8).stripTrailing();
    }

    synchronized boolean truncated() {
        return total > kept.size();
    }
}
