package dev.opsdeck.runbook;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Replaces secret values with {@code ***} wherever they appear, output included: a secret a command echoes
 * must not land in the store or on a screen. Longer secrets first, so one that contains another is hidden whole.
 */
final class Masker {
    static final String MASK = "***";
    private final List<String> secrets;

    Masker(Collection<String> secrets) {
        // one- and two-character values would mask half the output and reveal more than they hide
        this.secrets = secrets.stream()
                .filter(s -> s != null && s.length() >= 3)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    String mask(String text) {
        if (text == null || secrets.isEmpty()) return text;
        String out = text;
        for (String s : secrets) out = out.replace(s, MASK);
        return out;
    }

    Masker with(Collection<String> more) {
        ArrayList<String> all = new ArrayList<>(secrets);
        all.addAll(more);
        return new Masker(all);
    }
}
