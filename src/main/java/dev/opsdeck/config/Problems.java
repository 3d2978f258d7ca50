package dev.opsdeck.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects every problem found while loading, so users see all of them at once. It also notes
 * secrets written as literal text: legal, but the production profile refuses them.
 */
public final class Problems {
    private final List<Problem> list = new ArrayList<>();
    private final List<String> literalSecrets = new ArrayList<>();

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
        list.add(new Problem(at, message, hint));
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
}
