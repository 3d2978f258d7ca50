package dev.opsdeck.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects every problem found while loading, so users see all of them at once. It also notes
 * secrets written as literal text: legal, but the production profile refuses them.
 *
 * <p>A value that cannot be read as written (an unset {@code ${env:NAME}}, a value over the size limit) is
 * reported once, as the cause; the problems its stand-in value would cause at the same place are dropped,
 * so one unset variable does not read as a list of broken settings.
 */
public final class Problems {
    /** Longest message or hint kept: a long value quoted in a message is cut in the middle, with a marker. */
    static final int MAX_TEXT = 400;
    /** How many further places of one unset variable the hint names. */
    private static final int MAX_PLACES = 3;

    private final List<Problem> list = new ArrayList<>();
    private final List<String> literalSecrets = new ArrayList<>();
    private final Set<Position> causes = new HashSet<>();
    private final Map<String, Unset> unset = new LinkedHashMap<>();

    /** An unset variable: where its problem is in the list, and every place that uses it. */
    private record Unset(int index, List<Position> places) {}

    /** A secret given inline rather than through {@code ${env:}} or {@code ${file:}}; {@code field} names it. */
    public void literalSecret(Position at, String field) {
        literalSecrets.add(field + " (" + at + ")");
    }

    public List<String> literalSecrets() {
        return List.copyOf(literalSecrets);
    }

    public void add(Position at, String message) {
        add(at, message, null);
    }

    public void add(Position at, String message, String hint) {
        if (causes.contains(at)) {
            return; // a consequence of the value's own problem, already reported here
        }
        list.add(new Problem(at, cut(message), hint == null ? null : cut(hint)));
    }

    /** Reports why the value at {@code at} cannot be read; later problems at that place are its consequences. */
    public void cause(Position at, String message, String hint) {
        list.add(new Problem(at, cut(message), hint == null ? null : cut(hint)));
        causes.add(at);
    }

    /** An unset {@code ${env:NAME}}: reported once, at its first use; the hint names the other places. */
    public void unsetVariable(String name, Position at) {
        causes.add(at);
        Unset known = unset.get(name);
        if (known == null) {
            list.add(unsetProblem(name, List.of(at)));
            unset.put(name, new Unset(list.size() - 1, new ArrayList<>(List.of(at))));
            return;
        }
        if (!known.places().contains(at)) known.places().add(at);
        list.set(known.index(), unsetProblem(name, known.places()));
    }

    private static Problem unsetProblem(String name, List<Position> places) {
        StringBuilder hint = new StringBuilder("export " + name + "=... before starting, or use ${file:PATH}");
        if (places.size() > 1) {
            hint.append("; also used at ");
            List<Position> more = places.subList(1, places.size());
            hint.append(String.join(
                    ", ",
                    more.stream().limit(MAX_PLACES).map(Position::toString).toList()));
            if (more.size() > MAX_PLACES)
                hint.append(" and ").append(more.size() - MAX_PLACES).append(" more");
        }
        return new Problem(places.getFirst(), "environment variable " + cut(name) + " is not set", hint.toString());
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Problem> sorted() {
        return list.stream()
                .sorted(Comparator.comparing((Problem p) -> p.position().file())
                        .thenComparingInt(p -> p.position().line())
                        .thenComparingInt(p -> p.position().column()))
                .distinct()
                .toList();
    }

    public void throwIfAny() throws ConfigException {
        if (!list.isEmpty()) {
            throw new ConfigException(sorted());
        }
    }

    /** {@code text} cut in the middle when longer than {@link #MAX_TEXT}, saying how much was left out. */
    static String cut(String text) {
        if (text.length() <= MAX_TEXT) {
            return text;
        }
        int keep = MAX_TEXT / 2;
        int tail = keep / 2;
        if (Character.isHighSurrogate(text.charAt(keep - 1))) keep--; // never split a character in two
        if (Character.isLowSurrogate(text.charAt(text.length() - tail))) tail--;
        return text.substring(0, keep) + "…[" + (text.length() - keep - tail) + " characters cut]…"
                + text.substring(text.length() - tail);
    }
}
