package dev.opsdeck.backup;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.opsdeck.config.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a backup file holds, written as JSON beside it ({@code <file>.manifest.json}) and into the store, so a
 * file found on a disk or in a bucket years later still says what it is and how to check it.
 */
public record Manifest(
        String target,
        String database,
        String server,
        String serverVersion,
        String pgDumpVersion,
        String format,
        String compression,
        int level,
        String file,
        long sizeBytes,
        String sha256,
        String startedAt,
        String finishedAt,
        long durationMs,
        String opsdeckVersion) {
    // a file people open beside the backup and a format other tools read: snake_case names, indented
    private static final ObjectMapper JSON = Json.MAPPER
            .copy()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public static String suffix() {
        return ".manifest.json";
    }

    @JsonProperty("kind")
    public String kind() {
        return "opsdeck-backup-manifest/v1";
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Manifest parse(String json) {
        try {
            return JSON.readerFor(Manifest.class)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
