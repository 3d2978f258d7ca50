package dev.opsdeck.runbook;

import dev.opsdeck.config.RunbooksConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Replaces secret values with {@code ***} wherever they appear, output included: a secret a command echoes
 * must not land in the store or on a screen. Longer secrets first, so one that contains another is hidden whole.
 */
public final class Masker {
    public static final String MASK = "***";
    private final List<String> secrets;

    public Masker(Collection<String> secrets) {
        // one- and two-character values would mask half the output and reveal more than they hide
        this.secrets = secrets.stream()
                .filter(s -> s != null && s.length() >= 3)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    public String mask(String text) {
        if (text == null || secrets.isEmpty()) return text;
        String out = text;
        for (String s : secrets) out = out.replace(s, MASK);
        return out;
    }

    /**
     * Every secret the configuration knows: the {@code ${env:}}/{@code ${file:}} values, inventory keys and
     * datasource passwords. What runbook output and checklist evidence are masked with.
     */
    public static Masker of(RunbooksConfig config) {
        List<String> secrets = new ArrayList<>(config.secrets());
        config.inventory().values().forEach(h -> secrets.add(h.key()));
        config.datasources().values().forEach(d -> {
            if (d.password() != null) secrets.add(d.password());
            if (d.url().password() != null) secrets.add(d.url().password());
        });
        return new Masker(secrets);
    }

    public Masker with(Collection<String> more) {
        ArrayList<String> all = new ArrayList<>(secrets);
        all.addAll(more);
        return new Masker(all);
    }
}
