package dev.opsdeck.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hides secrets in audit details before they are stored: the value of any field (at any depth) whose name
 * speaks of a password, secret, token, key, authorization or cookie becomes {@code "***"}. Names are compared
 * without case or separators, so {@code apiKey}, {@code api_key} and {@code API-Key} all match. Key identifiers
 * and names ({@code key_id}, {@code key_name}) are kept: they are how the audit trail says which key was used.
 */
final class Scrubber {
    static final String HIDDEN = "***";
    private static final List<String> SENSITIVE =
            List.of("password", "passwd", "passphrase", "secret", "token", "authorization", "cookie", "credential");

    private Scrubber() {}

    static boolean sensitive(String fieldName) {
        String n = fieldName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        for (String s : SENSITIVE) {
            if (n.contains(s)) return true;
        }
        return n.contains("key") && !n.endsWith("keyid") && !n.endsWith("keyname");
    }

    /** Scrubs {@code node} in place; returns it. */
    static JsonNode scrub(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (sensitive(name)) object.put(name, HIDDEN);
                else scrub(object.get(name));
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(Scrubber::scrub);
        }
        return node;
    }
}
