package dev.opsdeck.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip compressed on several cores into one standard gzip member, the file {@code gzip -N} would write in content
 * and format: {@code gunzip}, {@code gzip -t}, {@code zcat | psql} and the JDK read it as any other. The input is
 * cut into chunks that are deflated in parallel, each primed with the last 32 KiB of the chunk before it (the
 * window a single deflate stream would have had, so the ratio stays that of one stream) and ended on a byte
 * boundary with a sync flush, so the chunks' outputs, written in order, form one deflate stream. The CRC-32 and
 * length of the trailer are of the input, computed in order on the writing thread.
 *
 * <p>Why not {@link java.util.zip.GZIPOutputStream}: it deflates on the writing thread, one core; a dump of
 * application data (text that compresses 3–10:1) spends most of its time there, while the other core waits.
 */
final class ParallelGzip extends OutputStream {
    /** A chunk: large enough that the 32 KiB priming and the flush marker cost nothing measurable in size. */
    static final int CHUNK = 1 << 20;

    private static final int WINDOW = 32 * 1024;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final OutputStream out;
    private final int level;
    private final ExecutorService workers;
    private final int maxPending;
    private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    private long size;
    private byte[] chunk = new byte[CHUNK];
    private int fill;
    private byte[] window;
    private boolean closed;

    /** {@code workers}: how many chunks are deflated at once (at least 1); their threads end with {@link #close}. */
    ParallelGzip(OutputStream out, int level, int workers) throws IOException {
        this.out = out;
        this.level = level;
        int n = Math.max(1, workers);
        this.workers = Executors.newFixedThreadPool(
                n, Thread.ofPlatform().name("opsdeck-gzip-", 1).daemon().factory());
        this.maxPending = 2 * n; // enough for every worker to have its next chunk waiting
        out.write(HEADER);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("stream closed");
        crc.update(b, off, len);
        size += len;
        while (len > 0) {
            int n = Math.min(len, CHUNK - fill);
            System.arraycopy(b, off, chunk, fill, n);
            fill += n;
            off += n;
            len -= n;
            if (fill == CHUNK) submit(false);
        }
    }

    /** Writes what is left, the final block and the trailer; then releases the worker threads. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        try {
            submit(true);
            while (!pending.isEmpty()) writeNext();
            long c = crc.getValue();
            out.write(new byte[] {
                (byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                (byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)
            });
            out.flush();
        } finally {
            abort();
            out.close();
        }
    }

    /** Stops the workers without writing the end of the stream (the file is being thrown away). */
    void abort() {
        closed = true;
        pending.forEach(f -> f.cancel(true));
        pending.clear();
        workers.shutdownNow();
    }

    private void submit(boolean last) throws IOException {
        byte[] data = chunk;
        int n = fill;
        byte[] dictionary = window;
        // the next chunk's window is the end of this one (a chunk is full unless it is the last)
        window = n >= WINDOW ? Arrays.copyOfRange(data, n - WINDOW, n) : null;
        pending.add(workers.submit(() -> deflate(data, n, dictionary, last)));
        if (!last) chunk = new byte[CHUNK];
        fill = 0;
        while (pending.size() > maxPending
                || !pending.isEmpty() && pending.peek().isDone()) writeNext();
    }

    private void writeNext() throws IOException {
        try {
            byte[] compressed = pending.poll().get();
            out.write(compressed);
        } catch (ExecutionException e) {
            throw new IOException("gzip compression failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        }
    }

    private byte[] deflate(byte[] data, int n, byte[] dictionary, boolean last) {
        Deflater d = new Deflater(level, true); // raw deflate: the gzip header and trailer are written here
        try {
            if (dictionary != null) d.setDictionary(dictionary);
            d.setInput(data, 0, n);
            if (last) d.finish();
            byte[] buf = new byte[Math.max(64 * 1024, n / 2)];
            int len = 0;
            while (true) {
                if (len == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
                int space = buf.length - len;
                int k = d.deflate(buf, len, space, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
                len += k;
                // a sync flush is complete when it left output space unused; the last chunk when it is finished
                if (last ? d.finished() : k < space) return Arrays.copyOf(buf, len);
            }
        } finally {
            d.end();
        }
    }
}
