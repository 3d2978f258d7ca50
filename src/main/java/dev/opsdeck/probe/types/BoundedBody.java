package dev.opsdeck.probe.types;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads at most {@code limit} bytes of a response body, whatever its framing (Content-Length, chunked or
 * until the server closes), every read bounded by the probe's deadline. A 50 MB body therefore costs one
 * buffer of {@code limit} bytes and the time to receive that much, not 50 MB of heap.
 */
final class BoundedBody {
    /** The bytes read; {@code truncated} when the body was longer than the limit. */
    record Result(byte[] bytes, boolean truncated) {}

    static final Result EMPTY = new Result(new byte[0], false);

    /** A redirect body this small is read and dropped so that its connection can be reused. */
    private static final int DRAIN_MAX = 8 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final Deadline deadline;
    private final long limit;
    private byte[] buf = new byte[0];
    private int size;
    private boolean truncated;

    private BoundedBody(Socket socket, InputStream in, Deadline deadline, long limit) {
        this.socket = socket;
        this.in = in;
        this.deadline = deadline;
        this.limit = Math.min(limit, Integer.MAX_VALUE - 16);
    }

    /** {@code length} bytes; true in {@code [1]} of the answer when the connection can carry another request. */
    static Result fixed(Socket socket, InputStream in, long length, long limit, Deadline deadline, boolean[] reusable)
            throws IOException, Failed {
        BoundedBody b = new BoundedBody(socket, in, deadline, limit);
        long keep = Math.min(length, b.limit);
        if (keep == 0 && length > 0 && length <= DRAIN_MAX) {
            b.skip(length);
            return EMPTY;
        }
        b.buf = new byte[(int) keep];
        b.readFully((int) keep);
        b.truncated = length > keep;
        reusable[0] &= !b.truncated;
        return b.result();
    }

    /** Until the server closes the connection (HTTP/1.0 style); such a connection is never reused. */
    static Result untilClose(Socket socket, InputStream in, long limit, Deadline deadline) throws IOException, Failed {
        BoundedBody b = new BoundedBody(socket, in, deadline, limit);
        byte[] chunk = new byte[8 * 1024];
        while (true) {
            int n = b.read(chunk, 0, chunk.length);
            if (n < 0) return b.result();
            if (!b.append(chunk, n)) return b.result();
        }
    }

    /** Transfer-Encoding: chunked; the connection stays reusable only when the last chunk was read. */
    static Result chunked(Socket socket, InputStream in, long limit, Deadline deadline, boolean[] reusable)
            throws IOException, Failed {
        BoundedBody b = new BoundedBody(socket, in, deadline, limit);
        byte[] chunk = new byte[8 * 1024];
        while (true) {
            long length = chunkSize(HttpConnection.readLine(socket, in, deadline));
            if (length == 0) {
                // trailer fields up to the empty line; they are not reported
                while (!HttpConnection.readLine(socket, in, deadline).isEmpty()) {
                    // skip
                }
                return b.result();
            }
            while (length > 0) {
                int n = b.read(chunk, 0, (int) Math.min(chunk.length, length));
                if (n < 0) throw new EOFException("connection closed in the middle of a chunked body");
                length -= n;
                if (!b.append(chunk, n)) {
                    reusable[0] = false;
                    return b.result();
                }
            }
            if (!HttpConnection.readLine(socket, in, deadline).isEmpty()) throw new Failed("malformed chunked body");
        }
    }

    private static long chunkSize(String line) throws Failed {
        int semi = line.indexOf(';'); // chunk extensions are allowed and ignored
        String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
        try {
            long n = Long.parseLong(hex, 16);
            if (n >= 0 && !hex.isEmpty() && hex.length() <= 15) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new Failed("malformed chunked body (chunk size \"" + abbreviate(line) + "\")");
    }

    /** Adds n bytes; false once the limit is reached and the rest is not wanted. */
    private boolean append(byte[] chunk, int n) {
        int room = (int) (limit - size);
        int take = Math.min(room, n);
        if (size + take > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(limit, Math.max(size + take, Math.max(1024, 2L * buf.length))));
        }
        System.arraycopy(chunk, 0, buf, size, take);
        size += take;
        if (n > take) {
            truncated = true;
            return false;
        }
        return true;
    }

    private void readFully(int n) throws IOException, Failed {
        while (size < n) {
            int r = read(buf, size, n - size);
            if (r < 0) throw new EOFException("connection closed after " + size + " of " + n + " body bytes");
            size += r;
        }
    }

    private void skip(long n) throws IOException, Failed {
        byte[] scratch = new byte[(int) n];
        int done = 0;
        while (done < n) {
            int r = read(scratch, done, (int) n - done);
            if (r < 0) throw new EOFException("connection closed in the middle of a body");
            done += r;
        }
    }

    private int read(byte[] into, int off, int len) throws IOException, Failed {
        socket.setSoTimeout(deadline.remainingMillis());
        return in.read(into, off, len);
    }

    private Result result() {
        return new Result(size == buf.length ? buf : Arrays.copyOf(buf, size), truncated);
    }

    static String abbreviate(String s) {
        String printable = new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.US_ASCII)
                .replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 60 ? printable.substring(0, 60) + "…" : printable;
    }
}
