package dev.opsdeck.backup;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;

/**
 * The compressions of a plain-format dump, both written here from pg_dump's plain SQL on every core ({@link
 * #workers}), beside pg_dump instead of on its core: gzip as one standard member ({@link ParallelGzip}, read back
 * with the JDK's zlib) and zstd (zstd-jni, its own worker threads).
 */
enum Codec {
    GZIP(".gz") {
        @Override
        OutputStream compress(OutputStream out, int level) throws IOException {
            return new ParallelGzip(out, level, workers());
        }

        @Override
        InputStream decompress(InputStream in) throws IOException {
            return new GZIPInputStream(in, 1 << 16);
        }
    },
    ZSTD(".zst") {
        @Override
        OutputStream compress(OutputStream out, int level) throws IOException {
            // zstd's own threads compress while the caller reads the next input (its jobs are a few MB each)
            return new ZstdOutputStream(out, level).setChecksum(true).setWorkers(workers());
        }

        @Override
        InputStream decompress(InputStream in) throws IOException {
            return new ZstdInputStream(in);
        }
    };

    final String extension;

    Codec(String extension) {
        this.extension = extension;
    }

    /** A compressing stream into {@code out}; closing it ends the stream, closes {@code out} and stops its threads. */
    abstract OutputStream compress(OutputStream out, int level) throws IOException;

    /**
     * How many threads compress: one per core. pg_dump and its server process take some of them; the rest of the
     * time would otherwise be idle while a single compressing thread holds up the dump.
     */
    static int workers() {
        return Runtime.getRuntime().availableProcessors();
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
