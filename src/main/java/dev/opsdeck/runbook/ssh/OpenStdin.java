package dev.opsdeck.runbook.ssh;

import java.io.InputStream;
import java.util.concurrent.CountDownLatch;

/**
 * The remote command's stdin: sends nothing and stays open until {@link #close()}. The supervisor on the remote
 * side treats the end of stdin as "the client is gone" and kills the command, so stdin must not end (as the SSH
 * library does at once for a channel without input) while the command is meant to run.
 */
final class OpenStdin extends InputStream {
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public int read() {
        return read(new byte[1], 0, 1);
    }

    @Override
    public int read(byte[] b, int off, int len) {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    @Override
    public int available() {
        return 0;
    }

    @Override
    public void close() {
        closed.countDown();
    }
}
