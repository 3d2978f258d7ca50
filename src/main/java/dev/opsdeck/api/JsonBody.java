package dev.opsdeck.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.config.Json;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A request's JSON object, read field by field with errors that name the field. */
final class JsonBody {
    private final JsonNode node;

    private JsonBody(JsonNode node) {
        this.node = node;
    }

    /** The body as an object holding only {@code allowed} fields; anything else is a 400 naming what is wrong. */
    static JsonBody of(Context ctx, Set<String> allowed) {
        JsonNode n;
        String body = ctx.body(); // outside the try: a body over network.max_request_body is a 413, not "not JSON"
        try {
            n = body.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw ApiProblem.badRequest("the body is not JSON");
        }
        if (n == null || !n.isObject()) throw ApiProblem.badRequest("the body must be a JSON object");
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ApiProblem.badRequest("unknown field '" + f + "'; known: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return new JsonBody(n);
    }

    String text(String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) throw ApiProblem.badRequest("field '" + field + "' is required");
            return null;
        }
        if (!v.isTextual()) throw ApiProblem.badRequest("field '" + field + "': expected text");
        return v.asText();
    }

    /** A list field's items (for nested objects the caller reads itself); null when absent. */
    List<JsonNode> list(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw ApiProblem.badRequest("field '" + field + "': expected a list");
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    /** An object of text values (numbers and booleans are taken as written); empty when absent. */
    Map<String, String> textMap(String field) {
        JsonNode v = node.get(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) return out;
        if (!v.isObject()) throw ApiProblem.badRequest("field '" + field + "': expected an object of names to values");
        v.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw ApiProblem.badRequest("field '" + field + "." + e.getKey() + "': expected text");
            }
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }

    Long number(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.canConvertToLong()) throw ApiProblem.badRequest("field '" + field + "': expected a whole number");
        return v.asLong();
    }

    Boolean bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isBoolean()) throw ApiProblem.badRequest("field '" + field + "': expected true or false");
        return v.asBoolean();
    }
}
