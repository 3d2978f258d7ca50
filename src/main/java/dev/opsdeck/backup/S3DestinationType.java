package dev.opsdeck.backup;

import dev.opsdeck.config.DestinationDef;
import dev.opsdeck.config.Fields;
import dev.opsdeck.config.Problems;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code type: s3} — an S3-compatible bucket (AWS, MinIO, Backblaze, Wasabi, Ceph) under a key prefix. */
final class S3DestinationType implements DestinationType {
    private static final Set<String> STORAGE_CLASSES = ordered(
            "STANDARD",
            "STANDARD_IA",
            "ONEZONE_IA",
            "INTELLIGENT_TIERING",
            "GLACIER_IR",
            "GLACIER",
            "DEEP_ARCHIVE",
            "REDUCED_REDUNDANCY");
    private static final Set<String> ENCRYPTION = ordered("none", "AES256", "aws:kms");
    private static final long DEFAULT_PART_SIZE = 64L << 20;

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public CompiledDestination configure(DestinationDef def, Fields f) {
        String section = f.section();
        Problems problems = f.problems();
        String bucket = f.requiredString("bucket");
        String prefix = f.string("prefix", "");
        if (prefix.startsWith("/")) {
            problems.add(f.positionOf("prefix"), section + ".prefix: must not start with '/'", "write backups/db/");
        }
        String region = f.string("region", "us-east-1");
        URI endpoint = endpoint(f);
        boolean pathStyle = f.bool("path_style", false);
        String storageClass = f.oneOf("storage_class", "STANDARD", STORAGE_CLASSES);
        String encryption = f.oneOf("server_side_encryption", "none", ENCRYPTION);
        String kmsKeyId = f.string("kms_key_id", null);
        if (kmsKeyId != null && !"aws:kms".equals(encryption)) {
            problems.add(
                    f.positionOf("kms_key_id"),
                    section + ".kms_key_id: only used with server_side_encryption: aws:kms");
        }
        String accessKey = f.secret("access_key_id", null);
        String secretKey = f.secret("secret_access_key", null);
        if ((accessKey == null) != (secretKey == null)) {
            problems.add(
                    f.position(),
                    section + ": access_key_id and secret_access_key go together",
                    "set both, or neither to use the AWS default credentials (environment, profile, instance role)");
        }
        Long partSize = f.size("part_size", DEFAULT_PART_SIZE);
        if (partSize != null && partSize < 5L << 20) {
            problems.add(
                    f.positionOf("part_size"), section + ".part_size: must be at least 5MiB (the S3 minimum part)");
            partSize = DEFAULT_PART_SIZE;
        }
        if (bucket == null) return null;
        S3Destination.Settings settings = new S3Destination.Settings(
                bucket,
                prefix,
                region,
                endpoint,
                pathStyle,
                storageClass,
                encryption,
                kmsKeyId,
                accessKey,
                secretKey,
                partSize);
        return new CompiledDestination(
                def, "s3://" + bucket + "/" + prefix, null, () -> new S3Destination(def.name(), settings));
    }

    /** The endpoint URL; null when unset (the AWS endpoint of the region) or not an http(s) URL (reported). */
    private static URI endpoint(Fields f) {
        String e = f.string("endpoint", null);
        if (e == null) return null;
        try {
            URI endpoint = URI.create(e);
            if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())
                    || endpoint.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return endpoint;
        } catch (IllegalArgumentException bad) {
            f.problem(
                    "endpoint",
                    "expected an http(s) URL, got \"" + e + "\"",
                    "e.g. https://s3.eu-central-003.backblazeb2.com");
            return null;
        }
    }

    /** A set that lists in the order written, so hints read the same every run. */
    private static Set<String> ordered(String... values) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(values)));
    }
}
