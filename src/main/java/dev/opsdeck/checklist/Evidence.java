package dev.opsdeck.checklist;

import dev.opsdeck.runbook.Masker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes evidence safe to keep and show: every text masked with the configuration's known secrets (as runbook output
 * is) and cut to {@link #MAX_TEXT} characters, so one chatty command cannot fill the store.
 */
final class Evidence {
    static final int MAX_TEXT = 2048;
    private static final int MAX_ITEMS = 50;

    private Evidence() {}

    static String text(Masker masker, String text) {
        if (text == null) return null;
        // mask before cutting: a secret cut in half would no longer be recognised
        String masked = masker.mask(text);
        return masked.length() <= MAX_TEXT
                ? masked
                : masked.substring(0, MAX_TEXT) + "... (" + (masked.length() - MAX_TEXT) + " more characters)";
    }

    static Map<String, Object> clean(Masker masker, Map<String, ?> evidence) {
        Map<String, Object> out = new LinkedHashMap<>();
        evidence.forEach((k, v) -> out.put(k, value(masker, v)));
        return out;
    }

    private static Object value(Masker masker, Object v) {
        return switch (v) {
            case null -> null;
            case String s -> text(masker, s);
            case Number n -> n;
            case Boolean b -> b;
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, x) -> {
                    if (out.size() < MAX_ITEMS) out.put(text(masker, String.valueOf(k)), value(masker, x));
                });
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>();
                for (Object x : l.subList(0, Math.min(l.size(), MAX_ITEMS))) out.add(value(masker, x));
                yield out;
            }
            default -> text(masker, v.toString());
        };
    }
}
