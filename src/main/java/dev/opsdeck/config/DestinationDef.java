package dev.opsdeck.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Where a backup target's files go ({@code backups.<name>.destinations.<name>}): a local directory or an
 * S3-compatible bucket, each with its own retention. {@code keepLast} and {@code maxAge} are null when unset.
 */
public record DestinationDef(
        String name, String type, Path path, S3 s3, Integer keepLast, Duration maxAge, Position position) {
    static final Set<String> TYPES = BackupDef.ordered("local", "s3");
    static final Set<String> ENCRYPTION = BackupDef.ordered("none", "AES256", "aws:kms");

    /** An S3-compatible bucket; credentials null means the SDK's default chain (environment, profile, instance role). */
    public record S3(
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

    public boolean local() {
        return type.equals("local");
    }

    static DestinationDef read(String section, YamlNode.Key key, YamlNode node, Problems problems) {
        Fields f = new Fields(node, section, problems);
        String type = f.oneOf("type", null, TYPES);
        if (type == null && !f.has("type")) {
            problems.add(f.position(), section + ": missing required key 'type'", "local or s3");
        }
        Integer keepLast = f.has("keep_last") ? f.integer("keep_last", 0, 1, 10_000) : null;
        Duration maxAge = f.has("max_age") ? f.positiveDuration("max_age", Duration.ofDays(30)) : null;
        Path path = null;
        S3 s3 = null;
        if ("local".equals(type)) {
            f.requiredString("path");
            path = f.path("path");
            String p = path == null ? null : path.toString();
            if (path != null && !path.isAbsolute()) {
                problems.add(
                        f.positionOf("path"),
                        section + ".path: must be an absolute path, got \"" + p + "\"",
                        "e.g. /var/backups/opsdeck");
            }
        } else if ("s3".equals(type)) {
            s3 = s3(section, f, problems);
        }
        f.finish();
        return type == null ? null : new DestinationDef(key.name(), type, path, s3, keepLast, maxAge, key.position());
    }

    private static S3 s3(String section, Fields f, Problems problems) {
        String bucket = f.requiredString("bucket");
        String prefix = f.string("prefix", "");
        if (prefix.startsWith("/")) {
            problems.add(f.positionOf("prefix"), section + ".prefix: must not start with '/'", "write backups/db/");
        }
        String region = f.string("region", "us-east-1");
        URI endpoint = null;
        String e = f.string("endpoint", null);
        if (e != null) {
            try {
                endpoint = URI.create(e);
                if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())
                        || endpoint.getHost() == null) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException bad) {
                problems.add(
                        f.positionOf("endpoint"),
                        section + ".endpoint: expected an http(s) URL, got \"" + e + "\"",
                        "e.g. https://s3.eu-central-003.backblazeb2.com");
                endpoint = null;
            }
        }
        boolean pathStyle = f.bool("path_style", false);
        String storageClass = f.oneOf(
                "storage_class",
                "STANDARD",
                BackupDef.ordered(
                        "STANDARD",
                        "STANDARD_IA",
                        "ONEZONE_IA",
                        "INTELLIGENT_TIERING",
                        "GLACIER_IR",
                        "GLACIER",
                        "DEEP_ARCHIVE",
                        "REDUCED_REDUNDANCY"));
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
        Long partSize = f.size("part_size", 64L << 20);
        if (partSize != null && partSize < 5L << 20) {
            problems.add(
                    f.positionOf("part_size"), section + ".part_size: must be at least 5MiB (the S3 minimum part)");
            partSize = 64L << 20;
        }
        return new S3(
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
    }
}
