package dev.opsdeck.backup;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * An S3-compatible bucket through the AWS SDK v2: any endpoint (MinIO, Backblaze, Wasabi, Ceph), path-style
 * addressing, a storage class and server-side encryption. Files above {@code part_size} go up in parts, read
 * from the file one part at a time. SDK errors become {@link IOException}s with the bucket and key named.
 */
final class S3Destination implements Destination, AutoCloseable {
    private final String name;
    private final Settings s3;
    private final S3Client client;

    S3Destination(String name, Settings s3) {
        this.name = name;
        this.s3 = s3;
        var builder = S3Client.builder()
                .region(Region.of(s3.region()))
                .forcePathStyle(s3.pathStyle())
                // many S3-compatible stores reject the SDK's newer default checksums; Opsdeck re-reads every copy
                // and compares its own SHA-256 instead
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofMinutes(2)))
                // a few quick retries inside the SDK; the backup's own backoff handles longer outages
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(2)))
                .credentialsProvider(
                        s3.accessKeyId() != null
                                ? StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey()))
                                : DefaultCredentialsProvider.builder().build());
        if (s3.endpoint() != null) builder.endpointOverride(s3.endpoint());
        this.client = builder.build();
    }

    /** The bucket and how to reach it; credentials null means the SDK's default chain (environment, profile, role). */
    record Settings(
            String bucket,
            String prefix,
            String region,
            URI endpoint,
            boolean pathStyle,
            String storageClass,
            String encryption,
            String kmsKeyId,
            String accessKeyId,
            String secretAccessKey,
            long partSize) {
        @Override
        public String toString() { // never the secret key
            return "S3[" + bucket + "/" + prefix + " " + region + " " + endpoint + "]";
        }
    }

    @Override
    public String name() {
        return name;
    }

    Settings settings() {
        return s3;
    }

    private String key(String fileName) {
        return s3.prefix() + fileName;
    }

    @Override
    public String put(Path file, byte[] manifest) throws IOException {
        String fileName = file.getFileName().toString();
        try {
            long size = Files.size(file);
            if (size > s3.partSize()) {
                multipart(file, key(fileName), size);
            } else {
                client.putObject(put(key(fileName)), RequestBody.fromFile(file));
            }
            client.putObject(
                    put(key(fileName + Manifest.suffix())).toBuilder()
                            .contentType("application/json")
                            .build(),
                    RequestBody.fromBytes(manifest));
            return location(fileName);
        } catch (SdkException e) {
            throw failure("upload to", fileName, e);
        }
    }

    private PutObjectRequest put(String key) {
        var b = PutObjectRequest.builder().bucket(s3.bucket()).key(key).storageClass(s3.storageClass());
        if (!s3.encryption().equals("none")) {
            b.serverSideEncryption(ServerSideEncryption.fromValue(s3.encryption()));
            if (s3.kmsKeyId() != null) b.ssekmsKeyId(s3.kmsKeyId());
        }
        return b.build();
    }

    private void multipart(Path file, String key, long size) throws IOException {
        var create = CreateMultipartUploadRequest.builder()
                .bucket(s3.bucket())
                .key(key)
                .storageClass(s3.storageClass());
        if (!s3.encryption().equals("none")) {
            create.serverSideEncryption(ServerSideEncryption.fromValue(s3.encryption()));
            if (s3.kmsKeyId() != null) create.ssekmsKeyId(s3.kmsKeyId());
        }
        String uploadId = client.createMultipartUpload(create.build()).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            try (InputStream in = Files.newInputStream(file)) {
                int number = 1;
                for (long offset = 0; offset < size; offset += s3.partSize(), number++) {
                    long length = Math.min(s3.partSize(), size - offset);
                    int n = number;
                    String etag = client.uploadPart(
                                    b -> b.bucket(s3.bucket())
                                            .key(key)
                                            .uploadId(uploadId)
                                            .partNumber(n)
                                            .contentLength(length),
                                    RequestBody.fromInputStream(new Bounded(in, length), length))
                            .eTag();
                    parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
                }
            }
            client.completeMultipartUpload(b -> b.bucket(s3.bucket())
                    .key(key)
                    .uploadId(uploadId)
                    .multipartUpload(
                            CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (IOException | RuntimeException e) {
            try {
                client.abortMultipartUpload(b -> b.bucket(s3.bucket()).key(key).uploadId(uploadId));
            } catch (SdkException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public InputStream open(String fileName) throws IOException {
        try {
            return client.getObject(b -> b.bucket(s3.bucket()).key(key(fileName)));
        } catch (SdkException e) {
            throw failure("download from", fileName, e);
        }
    }

    @Override
    public void delete(String fileName) throws IOException {
        try {
            client.deleteObject(b -> b.bucket(s3.bucket()).key(key(fileName)));
            client.deleteObject(b -> b.bucket(s3.bucket()).key(key(fileName + Manifest.suffix())));
        } catch (SdkException e) {
            throw failure("delete from", fileName, e);
        }
    }

    @Override
    public String location(String fileName) {
        return "s3://" + s3.bucket() + "/" + key(fileName);
    }

    private IOException failure(String what, String fileName, SdkException e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new IOException(
                what + " " + location(fileName) + (s3.endpoint() != null ? " at " + s3.endpoint() : "") + " failed: "
                        + detail,
                e);
    }

    @Override
    public void close() {
        client.close();
    }

    /** At most {@code limit} bytes of the underlying stream, which stays open for the next part. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) return -1;
            int b = in.read();
            if (b >= 0) left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) left -= n;
            return n;
        }

        @Override
        public void close() {
            // the file stays open for the next part
        }
    }
}
