package dev.opsdeck.auth;

import dev.opsdeck.store.StoreException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The four roles, each including everything the ones before it may do. */
public enum Role {
    VIEWER,
    RESPONDER,
    OPERATOR,
    ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    /** The name users write and see: {@code viewer}, {@code responder}, {@code operator}, {@code admin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String text) {
        return Arrays.stream(values()).filter(r -> r.label().equals(text)).findFirst();
    }

    /** The role a stored label names; the store holds only labels this class wrote. */
    static Role stored(String label) {
        return parse(label).orElseThrow(() -> new StoreException("unknown role in store: " + label, null));
    }
}
