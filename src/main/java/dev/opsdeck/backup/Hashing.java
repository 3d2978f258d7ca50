package dev.opsdeck.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/** SHA-256 and a byte count of what passes through, computed while streaming (the file is never read twice to hash it). */
final class Hashing extends FilterOutputStream {
    private final MessageDigest digest = sha256();
    private final AtomicLong bytes;

    Hashing(OutputStream out, AtomicLong bytes) {
        super(out);
        this.bytes = bytes;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        digest.update((byte) b);
        bytes.incrementAndGet();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        digest.update(b, off, len);
        bytes.addAndGet(len);
    }

    String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The SHA-256 of a whole stream, as hex. */
    static String of(InputStream in) throws IOException {
        MessageDigest d = sha256();
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) >= 0; ) d.update(buffer, 0, n);
        return HexFormat.of().formatHex(d.digest());
    }
}
