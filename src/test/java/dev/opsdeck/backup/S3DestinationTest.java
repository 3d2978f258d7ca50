package dev.opsdeck.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** Uploads to a real S3 API (s3proxy): a file above part_size goes up in parts and reads back byte for byte. */
class S3DestinationTest {
    @TempDir
    Path dir;

    @Test
    void aLargeFileIsUploadedInPartsAndReadsBackIdentical() throws Exception {
        Path file = dir.resolve("main_20250101T000000Z.dump");
        Random random = new Random(7);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 12; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        String sha;
        try (InputStream in = Files.newInputStream(file)) {
            sha = Hashing.of(in);
        }
        try (S3Proxy s3 = S3Proxy.start()) {
            s3.createBucket("parts");
            S3Destination.Settings def = new S3Destination.Settings(
                    "parts",
                    "pg/",
                    "us-east-1",
                    s3.endpoint(),
                    true,
                    "STANDARD",
                    "none",
                    null,
                    S3Proxy.ACCESS_KEY,
                    S3Proxy.SECRET_KEY,
                    5L << 20);
            try (S3Destination d = new S3Destination("cloud", def)) {
                assertThat(d.put(file, "{}".getBytes())).isEqualTo("s3://parts/pg/" + file.getFileName());
                try (S3Client c = s3.client()) {
                    String etag = c.headObject(h -> h.bucket("parts").key("pg/" + file.getFileName()))
                            .eTag();
                    assertThat(etag).as("a multipart ETag ends with -<parts>").endsWith("-3\"");
                }
                try (InputStream in = d.open(file.getFileName().toString())) {
                    assertThat(Hashing.of(in)).isEqualTo(sha);
                }
                d.delete(file.getFileName().toString());
                assertThatThrownBy(() -> d.open(file.getFileName().toString()))
                        .isInstanceOf(IOException.class)
                        .hasMessageStartingWith("download from s3://parts/pg/" + file.getFileName() + " at "
                                + s3.endpoint() + " failed: The specified key does not exist.");
            }
        }
    }
}
