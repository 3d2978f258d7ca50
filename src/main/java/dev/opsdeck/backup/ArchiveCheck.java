package dev.opsdeck.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The archive test of a plain dump, run while the file is written instead of after it: every byte written to the
 * file also goes to a decompressor on its own thread, which reads the stream to its end ({@link Codec#test}: gzip
 * checks its CRC-32 and length, zstd its frame checksum). The bytes tested are the bytes hashed into the manifest,
 * and every copy, the one in the spool included, is read back and compared with that hash afterwards; so the file
 * passed the test exactly as if it had been decompressed from disk, without waiting for a second pass over it.
 */
final class ArchiveCheck extends FilterOutputStream {
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(64);
    private final Thread reader;
    private volatile IOException failure;
    /** Whether the decompressor read up to the end marker (then nothing is left to drain). */
    private volatile boolean endRead;

    ArchiveCheck(OutputStream file, Codec codec) {
        super(file);
        reader = Thread.ofPlatform().name("opsdeck-backup-test").daemon().start(() -> {
            try {
                codec.test(new QueueInput());
            } catch (IOException | RuntimeException e) {
                failure = e instanceof IOException io ? io : new IOException(e.toString(), e);
            } finally {
                if (!endRead) drain(); // a decompressor that stopped early must not block the writer
            }
        });
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        if (len > 0) put(Arrays.copyOfRange(b, off, off + len));
    }

    /**
     * Ends the stream and waits for the decompressor; throws when the bytes written were not a complete, intact
     * archive. Does not close the file.
     */
    void finish() throws IOException {
        put(END);
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while testing the archive");
        }
        if (failure != null) throw failure;
    }

    /** Stops the decompressor when the file is thrown away. */
    void abort() {
        reader.interrupt();
    }

    @Override
    public void close() {
        // the file is closed by its owner, after fsync: see Dumper
    }

    private void put(byte[] bytes) throws IOException {
        try {
            queue.put(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while testing the archive");
        }
    }

    private void drain() {
        try {
            while (queue.take() != END) {
                // discarded: the verdict is already known
            }
        } catch (InterruptedException ignored) {
            // aborted
        }
    }

    /** The queued bytes as a stream, ending at {@link #END}. */
    private final class QueueInput extends InputStream {
        private byte[] current = new byte[0];
        private int pos;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            while (pos == current.length) {
                if (endRead) return -1;
                try {
                    current = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("archive test stopped");
                }
                pos = 0;
                if (current == END) endRead = true;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        /** As a file would say: more is coming unless the end was read (gzip looks for a next member this way). */
        @Override
        public int available() {
            return current.length - pos + (endRead || queue.isEmpty() ? 0 : 1);
        }
    }
}
