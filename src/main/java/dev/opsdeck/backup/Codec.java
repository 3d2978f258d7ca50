package dev.opsdeck.backup;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;

/**
 * The compressions of a plain-format dump: gzip (written by pg_dump itself, read with the JDK's zlib) and zstd
 * (written and read with zstd-jni).
 */
enum Codec {
    GZIP(".gz") {
        InputStream decompress(InputStream in) throws IOException {
            return new GZIPInputStream(in, 1 << 16);
        }
    },
    ZSTD(".zst") {
        OutputStream compress(OutputStream out, int level) throws IOException {
            // the native side copies from a buffer of its own choice: keeps the JNI calls few
            return new ZstdOutputStream(out, level).setChecksum(true);
        }

        InputStream decompress(InputStream in) throws IOException {
            return new ZstdInputStream(in);
        }
    };

    final String extension;

    Codec(String extension) {
        this.extension = extension;
    }

    /** Only zstd: gzip is compressed by pg_dump ({@link Dumper#pgDumpCompresses}). */
    OutputStream compress(OutputStream out, int level) throws IOException {
        throw new UnsupportedOperationException(name() + " is compressed by pg_dump");
    }

    abstract InputStream decompress(InputStream in) throws IOException;

    static Codec of(String name) {
        return name.equals("zstd") ? ZSTD : GZIP;
    }

    /** Reads the whole stream through the decompressor: a truncated or damaged archive throws. */
    void test(InputStream compressed) throws IOException {
        try (InputStream in = decompress(compressed)) {
            byte[] buffer = new byte[1 << 16];
            while (in.read(buffer) >= 0) {
                // reading to the end is the test: gzip checks its CRC-32 and length, zstd its frame checksum
            }
        }
    }
}
