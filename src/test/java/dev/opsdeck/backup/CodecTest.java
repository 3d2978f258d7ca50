package dev.opsdeck.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compressors a plain dump is written with: the parallel gzip is one standard gzip member that the gzip program
 * and the JDK read back byte for byte, whatever the input's length against the chunk size; its ratio is that of a
 * single stream; and the archive test run while writing ({@link ArchiveCheck}) fails on a damaged or cut stream.
 */
class CodecTest {
    @TempDir
    Path dir;

    /** SQL-like text: repetitive rows with random hex in them, so the ratio is like a real dump's (several to one). */
    static byte[] dumpLike(int size, long seed) {
        Random random = new Random(seed);
        StringBuilder sb = new StringBuilder(size + 200);
        byte[] hex = new byte[32];
        for (int row = 0; sb.length() < size; row++) {
            random.nextBytes(hex);
            sb.append(row)
                    .append('\t')
                    .append(row % 7)
                    .append("\tshipped\t")
                    .append(HexFormat.of().formatHex(hex))
                    .append("\t                                                   \n");
        }
        return Arrays.copyOf(sb.toString().getBytes(StandardCharsets.US_ASCII), size);
    }

    static byte[] parallelGzip(byte[] input, int level, int workers, int writeSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new ParallelGzip(out, level, workers)) {
            for (int off = 0; off < input.length; off += writeSize) {
                gz.write(input, off, Math.min(writeSize, input.length - off));
            }
        }
        return out.toByteArray();
    }

    @Test
    void theGzipProgramAndTheJdkReadEveryLengthBackExactly() throws Exception {
        int chunk = ParallelGzip.CHUNK;
        for (int size : new int[] {0, 1, 1000, chunk - 1, chunk, chunk + 1, 3 * chunk + chunk / 2}) {
            byte[] input = dumpLike(size, size);
            byte[] gz = parallelGzip(input, 6, 2, 65_536);
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
                assertThat(in.readAllBytes())
                        .as("JDK reads %d bytes back", size)
                        .isEqualTo(input);
            }
            Path file = Files.write(dir.resolve("d" + size + ".sql.gz"), gz);
            Process gunzip = new ProcessBuilder("gunzip", "-c", file.toString()).start();
            byte[] back = gunzip.getInputStream().readAllBytes();
            String err = new String(gunzip.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(gunzip.waitFor())
                    .as("gunzip -c of %d bytes: %s", size, err)
                    .isZero();
            assertThat(err).isEmpty();
            assertThat(back).as("gunzip reads %d bytes back", size).isEqualTo(input);
            // one member, as gzip writes it: the program's own listing gives the length from the trailer
            Process list = new ProcessBuilder("gzip", "-lv", file.toString()).start();
            assertThat(new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .contains(" " + size + " ");
            assertThat(list.waitFor()).isZero();
        }
    }

    @Test
    void oneByteWritesAndOneWorkerGiveTheSameStream() throws Exception {
        byte[] input = dumpLike(ParallelGzip.CHUNK + 5000, 7);
        byte[] many = parallelGzip(input, 6, 2, 100_003);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new ParallelGzip(out, 6, 1)) {
            for (byte b : input) gz.write(b);
        }
        assertThat(out.toByteArray())
                .as("chunks do not depend on how the input arrives, nor on how many threads deflate them")
                .isEqualTo(many);
    }

    @Test
    void theRatioIsThatOfOneStream() throws Exception {
        byte[] input = dumpLike(8 * ParallelGzip.CHUNK, 42);
        ByteArrayOutputStream single = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(single)) { // level 6, zlib's default
            gz.write(input);
        }
        int parallel = parallelGzip(input, 6, 2, 1 << 20).length;
        assertThat(input.length / (double) single.size())
                .as("the test data compresses like a dump")
                .isGreaterThan(2.5);
        assertThat((double) parallel)
                .as("parallel %d bytes against one stream's %d", parallel, single.size())
                .isLessThan(single.size() * 1.005);
    }

    @Test
    void theArchiveCheckPassesAnIntactStreamAndFailsADamagedOrCutOne() throws Exception {
        byte[] input = dumpLike(3 * ParallelGzip.CHUNK, 3);
        for (Codec codec : Codec.values()) {
            ByteArrayOutputStream good = new ByteArrayOutputStream();
            ArchiveCheck check = new ArchiveCheck(good, codec);
            try (OutputStream c = codec.compress(check, codec == Codec.ZSTD ? 1 : 6)) {
                c.write(input);
            }
            check.finish();
            try (InputStream in = codec.decompress(new java.io.ByteArrayInputStream(good.toByteArray()))) {
                assertThat(in.readAllBytes()).as(codec + " round trip").isEqualTo(input);
            }

            byte[] damaged = good.toByteArray().clone();
            damaged[damaged.length / 2] ^= 0x55;
            assertThatThrownBy(() -> replay(codec, damaged))
                    .as(codec + " damaged")
                    .isInstanceOf(IOException.class);

            byte[] cut = Arrays.copyOf(good.toByteArray(), good.size() - 9);
            assertThatThrownBy(() -> replay(codec, cut))
                    .as(codec + " cut short")
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void aDamagedStreamDoesNotBlockTheWriter() throws Exception {
        ArchiveCheck check = new ArchiveCheck(OutputStream.nullOutputStream(), Codec.GZIP);
        byte[] junk = new byte[64 * 1024];
        for (int i = 0; i < 500; i++) check.write(junk); // far more than the queue holds, after the test has failed
        assertThatThrownBy(check::finish).isInstanceOf(IOException.class).hasMessageContaining("GZIP");
    }

    /** Writes already compressed bytes through an archive check, in pieces, as the compressor would. */
    private static void replay(Codec codec, byte[] compressed) throws IOException {
        ArchiveCheck check = new ArchiveCheck(OutputStream.nullOutputStream(), codec);
        for (int off = 0; off < compressed.length; off += 10_000) {
            check.write(compressed, off, Math.min(10_000, compressed.length - off));
        }
        check.finish();
    }
}
