package dev.opsdeck.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One readiness checklist ({@code checklists.<name>}): its sections of items, and when it runs by itself
 * ({@code schedule}, a cron expression in UTC, and/or {@code every}). Both absent: it runs only on demand.
 */
public record ChecklistDef(
        String name,
        String title,
        String description,
        Cron schedule,
        Duration every,
        List<Section> sections,
        Position position) {

    public record Section(String title, List<Item> items) {}

    /** How much an item counts: a failed required item makes the checklist not ready, a recommended one warns. */
    public enum Severity {
        REQUIRED,
        RECOMMENDED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One item: exactly one {@link Source} says how it is proven. */
    public record Item(String id, String title, Severity severity, String link, Source source, Position position) {}

    /** How an item is proven. */
    public sealed interface Source {
        /** {@code check}, {@code inline}, {@code manual} or {@code fact}: for people and the API. */
        String kind();
    }

    /** The latest result of a configured check, {@code service/check}. */
    public record CheckRef(String ref) implements Source {
        public String kind() {
            return "check";
        }
    }

    /**
     * A check written in the item itself ({@code type:} and its keys, {@code conditions:}). {@code check} carries the
     * item's node; the check type reads its keys when the configuration is compiled, so every type works here.
     */
    public record Inline(CheckDef check) implements Source {
        public String kind() {
            return "inline";
        }
    }

    /**
     * A person attests it; the attestation holds for {@code expires}. {@code role}: the least role that may attest
     * ({@code responder}, {@code operator} or {@code admin}; responder when not given).
     */
    public record Manual(Duration expires, String role) implements Source {
        public String kind() {
            return "manual";
        }
    }

    /** A fact Opsdeck knows (its last verified backup, drills, runbook runs...); {@code params} read by the fact. */
    public record Fact(String name, YamlNode params, Position position) implements Source {
        public String kind() {
            return "fact";
        }
    }

    public List<Item> items() {
        return sections.stream().flatMap(s -> s.items().stream()).toList();
    }

    public java.util.Optional<Item> item(String id) {
        return items().stream().filter(i -> i.id().equals(id)).findFirst();
    }

    /** Without positions: two configurations that say the same compare the same as text. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(
                "ChecklistDef[" + name + " \"" + title + "\" schedule=" + schedule + " every=" + every);
        for (Section s : sections) {
            b.append(" section \"").append(s.title()).append('"');
            for (Item i : s.items()) {
                b.append(" item ")
                        .append(i.id())
                        .append(' ')
                        .append(i.severity().label())
                        .append(' ');
                switch (i.source()) {
                    case CheckRef r -> b.append("check:").append(r.ref());
                    case Inline in ->
                        b.append("inline:").append(in.check().spec().canonical());
                    case Manual m ->
                        b.append("manual:").append(m.expires()).append('/').append(m.role());
                    case Fact f ->
                        b.append("fact:")
                                .append(f.name())
                                .append(f.params() == null ? "" : f.params().canonical());
                }
            }
        }
        return b.append(']').toString();
    }
}
