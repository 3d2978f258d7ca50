package dev.opsdeck.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.LinkedHashMap;

/**
 * The one JSON mapper of Opsdeck: Jackson's defaults plus java.time types. Configured once here and never
 * afterwards, so it is safe to share between threads; a use that needs other settings takes a {@code copy()} or a
 * writer and says why.
 */
public final class Json {
    /** Stored JSON (columns, spool files), request and response bodies, CLI output. */
    public static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule());

    /**
     * For the HTTP API's responses: times as ISO-8601 text, which people and other tools read, where stored JSON
     * keeps the numbers it has always been written with.
     */
    public static final ObjectMapper API = MAPPER.copy().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** A JSON object read into a map that keeps its fields in their order. */
    public static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {};

    private Json() {}

    /** {@code value} as JSON text; a value that cannot be written is a programming error, thrown unchecked. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code value} as indented JSON text, for people to read (CLI output). */
    public static String pretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
