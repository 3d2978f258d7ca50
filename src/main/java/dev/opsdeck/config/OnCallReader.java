package dev.opsdeck.config;

import dev.opsdeck.config.OnCallConfig.Contact;
import dev.opsdeck.config.OnCallConfig.Maintenance;
import dev.opsdeck.config.OnCallConfig.Override;
import dev.opsdeck.config.OnCallConfig.Policy;
import dev.opsdeck.config.OnCallConfig.Rotation;
import dev.opsdeck.config.OnCallConfig.Step;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the on-call sections; every problem at once, names that refer to each other checked against each other. */
final class OnCallReader {
    static final Duration DEFAULT_WAIT = Duration.ofMinutes(15);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Set<String> SEVERITIES = Set.of("P1", "P2", "P3", "P4");

    private final KeyedSections sections;
    private final Set<String> services = new LinkedHashSet<>();
    private final Set<String> channels;
    private final Problems problems;

    OnCallReader(KeyedSections sections, List<ServiceDef> services, Set<String> channels, Problems problems) {
        this.sections = sections;
        services.forEach(s -> this.services.add(s.name()));
        this.channels = channels;
        this.problems = problems;
    }

    OnCallConfig read() {
        Map<String, Contact> contacts = new LinkedHashMap<>();
        entries("contacts", "contact").forEach((key, f) -> contacts.put(key, contact(key, f)));
        Map<String, Rotation> rotations = new LinkedHashMap<>();
        entries("rotations", "rotation").forEach((key, f) -> rotations.put(key, rotation(key, f, contacts.keySet())));
        List<Policy> policies = new ArrayList<>();
        entries("escalation_policies", "escalation policy")
                .forEach((key, f) -> policies.add(policy(key, f, contacts.keySet(), rotations.keySet())));
        List<Policy> defaults = policies.stream().filter(Policy::isDefault).toList();
        if (defaults.size() > 1) {
            problems.add(
                    sections.of("escalation_policies").keySet().stream()
                            .filter(k -> k.name().equals(defaults.get(1).key()))
                            .findFirst()
                            .map(YamlNode.Key::position)
                            .orElse(Position.NONE),
                    "escalation_policies." + defaults.get(1).key() + ".default: only one policy can be the default; "
                            + defaults.getFirst().key() + " is already");
        }
        Map<String, Maintenance> maintenance = new LinkedHashMap<>();
        entries("maintenance", "maintenance window").forEach((key, f) -> {
            Maintenance m = maintenance(key, f);
            if (m != null) maintenance.put(key, m);
        });
        return new OnCallConfig(
                Map.copyOf(contacts), Map.copyOf(rotations), List.copyOf(policies), Map.copyOf(maintenance));
    }

    /** The entries of a keyed section as Fields, in file order; bad names and non-mappings reported. */
    private Map<String, Fields> entries(String section, String what) {
        Map<String, Fields> out = new LinkedHashMap<>();
        sections.of(section).forEach((key, node) -> {
            if (!NAME.matcher(key.name()).matches()) {
                problems.add(
                        key.position(),
                        what + " name '" + key.name() + "' is not allowed",
                        "use letters, digits, '.', '_' or '-', starting with a letter or digit");
                return;
            }
            if (!node.isMap()) {
                problems.add(
                        node.position(), section + "." + key.name() + ": expected a mapping, got " + node.describe());
                return;
            }
            out.put(key.name(), new Fields(node, section + "." + key.name(), problems));
        });
        return out;
    }

    private Contact contact(String key, Fields f) {
        String name = f.string("name", key);
        String email = f.string("email", null);
        if (email != null && !email.matches("[^@\\s]+@[^@\\s]+")) {
            problems.add(f.positionOf("email"), f.section() + ".email: not an email address \"" + email + "\"");
        }
        String slack = f.string("slack", null);
        String phone = f.string("phone", null);
        List<String> notify = names(f, "notify", channels, "channel", "define it under channels:");
        if (notify.isEmpty() && !f.has("notify")) {
            problems.add(
                    f.position(),
                    f.section() + ": missing required key 'notify'",
                    "the channels that reach this person, e.g. notify: [oncall-mail]");
        }
        f.finish();
        return new Contact(key, name, email, slack, phone, notify);
    }

    private Rotation rotation(String key, Fields f, Set<String> contacts) {
        List<String> members = names(f, "members", contacts, "contact", "define it under contacts:");
        if (members.isEmpty() && !f.has("members"))
            problems.add(f.position(), f.section() + ": missing required key 'members'");
        Duration length = f.positiveDuration("length", Duration.ofDays(7));
        if (length.toMinutes() < 60) {
            problems.add(f.positionOf("length"), f.section() + ".length: a turn lasts at least 1h");
            length = Duration.ofDays(7);
        }
        LocalTime handoff = time(f, "handoff", LocalTime.of(9, 0));
        ZoneId zone = zone(f, "time_zone");
        LocalDate start = null;
        String startText = f.requiredString("start");
        if (startText != null) {
            try {
                start = LocalDate.parse(startText);
            } catch (DateTimeException e) {
                problems.add(
                        f.positionOf("start"),
                        f.section() + ".start: not a date \"" + startText + "\"",
                        "the first hand-off day, e.g. 2026-01-05");
            }
        }
        List<Override> overrides = new ArrayList<>();
        YamlNode list = f.node("overrides");
        if (list != null && !list.isList()) {
            problems.add(list.position(), f.section() + ".overrides: expected a list, got " + list.describe());
        } else if (list != null) {
            for (int i = 0; i < list.items().size(); i++) {
                Fields o = new Fields(list.items().get(i), f.section() + ".overrides[" + i + "]", problems);
                LocalDateTime from = localDateTime(o, "from");
                LocalDateTime to = localDateTime(o, "to");
                String contact = o.requiredString("contact");
                if (contact != null && !contacts.contains(contact))
                    unknown(
                            o.positionOf("contact"),
                            o.section() + ".contact",
                            contact,
                            contacts,
                            "contact",
                            "define it under contacts:");
                if (from != null && to != null && !to.isAfter(from)) {
                    problems.add(o.positionOf("to"), o.section() + ".to: must be after from");
                } else if (from != null && to != null && contact != null) {
                    overrides.add(new Override(from, to, contact));
                }
                o.finish();
            }
        }
        f.finish();
        return new Rotation(
                key,
                members,
                length,
                handoff,
                zone,
                start == null ? LocalDate.of(2000, 1, 3) : start,
                List.copyOf(overrides));
    }

    private Policy policy(String key, Fields f, Set<String> contacts, Set<String> rotations) {
        Fields match = f.child("match");
        Set<String> severities = new LinkedHashSet<>();
        for (YamlNode n : match.scalarList("severity")) {
            if (SEVERITIES.contains(n.text())) severities.add(n.text());
            else
                problems.add(
                        n.position(),
                        match.section() + ".severity: unknown severity \"" + n.text() + "\"",
                        "P1, P2, P3 or P4");
        }
        Set<String> svc =
                new LinkedHashSet<>(names(match, "service", services, "service", "define it under services:"));
        Map<String, String> labels = match.stringMap("labels");
        match.finish();
        boolean isDefault = f.bool("default", false);
        int repeat = f.integer("repeat", 0, 0, 10);
        List<Step> steps = new ArrayList<>();
        YamlNode list = f.node("steps");
        if (list == null) {
            problems.add(f.position(), f.section() + ": missing required key 'steps'");
        } else if (!list.isList()) {
            problems.add(list.position(), f.section() + ".steps: expected a list of steps, got " + list.describe());
        } else if (list.items().isEmpty()) {
            problems.add(list.position(), f.section() + ".steps: at least one step is required");
        } else {
            for (int i = 0; i < list.items().size(); i++) {
                Fields s = new Fields(list.items().get(i), f.section() + ".steps[" + i + "]", problems);
                List<String> r = names(s, "rotations", rotations, "rotation", "define it under rotations:");
                List<String> c = names(s, "contacts", contacts, "contact", "define it under contacts:");
                List<String> ch = names(s, "channels", channels, "channel", "define it under channels:");
                Duration wait = s.positiveDuration("wait", DEFAULT_WAIT);
                if (r.isEmpty()
                        && c.isEmpty()
                        && ch.isEmpty()
                        && !s.has("rotations")
                        && !s.has("contacts")
                        && !s.has("channels")) {
                    problems.add(s.position(), s.section() + ": pages nobody", "name rotations, contacts or channels");
                }
                s.finish();
                steps.add(new Step(r, c, ch, wait));
            }
        }
        f.finish();
        boolean hasMatch = !severities.isEmpty() || !svc.isEmpty() || !labels.isEmpty();
        if (!hasMatch && !isDefault) {
            problems.add(
                    f.position(),
                    f.section() + ": routes no incident",
                    "give match: (severity, service, labels) or default: true");
        }
        return new Policy(
                key,
                Set.copyOf(severities),
                Set.copyOf(svc),
                Map.copyOf(labels),
                isDefault,
                repeat,
                List.copyOf(steps));
    }

    private Maintenance maintenance(String key, Fields f) {
        List<String> svc = names(f, "services", services, "service", "define it under services:");
        if (svc.isEmpty() && !f.has("services"))
            problems.add(f.position(), f.section() + ": missing required key 'services'");
        ZoneId zone = zone(f, "time_zone");
        String comment = f.string("comment", "");
        boolean oneOff = f.has("start") || f.has("end");
        boolean weekly = f.has("days") || f.has("at") || f.has("duration");
        Maintenance m = null;
        if (oneOff && weekly) {
            problems.add(
                    f.position(),
                    f.section() + ": give start and end (one-off) or days, at and duration (weekly), not both");
        } else if (oneOff) {
            LocalDateTime start = localDateTime(f, "start");
            LocalDateTime end = localDateTime(f, "end");
            if (start != null && end != null && !end.isAfter(start)) {
                problems.add(f.positionOf("end"), f.section() + ".end: must be after start");
            } else if (start != null && end != null) {
                m = new Maintenance(
                        key,
                        svc,
                        start.atZone(zone).toInstant(),
                        end.atZone(zone).toInstant(),
                        Set.of(),
                        null,
                        null,
                        zone,
                        comment);
            }
        } else if (weekly) {
            Set<DayOfWeek> days = new LinkedHashSet<>();
            for (YamlNode n : f.scalarList("days")) {
                DayOfWeek d = day(n.text());
                if (d == null)
                    problems.add(
                            n.position(),
                            f.section() + ".days: unknown day \"" + n.text() + "\"",
                            "monday .. sunday, or daily");
                else if (n.text().equalsIgnoreCase("daily")) days.addAll(List.of(DayOfWeek.values()));
                else days.add(d);
            }
            if (days.isEmpty() && !f.has("days"))
                problems.add(f.position(), f.section() + ": missing required key 'days'");
            LocalTime at = time(f, "at", null);
            if (at == null && !f.has("at")) problems.add(f.position(), f.section() + ": missing required key 'at'");
            Duration duration = f.positiveDuration("duration", Duration.ofHours(1));
            if (duration.compareTo(Duration.ofDays(7)) > 0) {
                problems.add(f.positionOf("duration"), f.section() + ".duration: at most 7d");
            }
            if (!days.isEmpty() && at != null)
                m = new Maintenance(key, svc, null, null, Set.copyOf(days), at, duration, zone, comment);
        } else {
            problems.add(
                    f.position(),
                    f.section() + ": when is it?",
                    "start and end for a one-off window, or days, at and duration for a weekly one");
        }
        f.finish();
        return m;
    }

    /** A weekday name, or {@code daily} (returned as Monday; the caller adds all days). */
    static DayOfWeek day(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.equals("daily")) return DayOfWeek.MONDAY;
        for (DayOfWeek d : DayOfWeek.values()) {
            String name = d.name().toLowerCase(Locale.ROOT);
            if (t.equals(name) || t.equals(name.substring(0, 3))) return d;
        }
        return null;
    }

    private List<String> names(Fields f, String key, Collection<String> known, String what, String hint) {
        List<String> out = new ArrayList<>();
        for (YamlNode n : f.scalarList(key)) {
            if (!known.contains(n.text())) unknown(n.position(), f.section() + "." + key, n.text(), known, what, hint);
            else if (!out.contains(n.text())) out.add(n.text());
        }
        return List.copyOf(out);
    }

    private void unknown(Position at, String where, String name, Collection<String> known, String what, String hint) {
        String guess = Fields.closest(name, known);
        problems.add(
                at,
                where + ": no " + what + " named \"" + name + "\"",
                guess != null
                        ? "did you mean '" + guess + "'?"
                        : known.isEmpty() ? hint : "known: " + String.join(", ", known));
    }

    private ZoneId zone(Fields f, String key) {
        String text = f.string(key, null);
        if (text == null) return ZoneId.of("UTC");
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            problems.add(
                    f.positionOf(key),
                    f.section() + "." + key + ": unknown time zone \"" + text + "\"",
                    "a region such as Europe/Berlin, or UTC");
            return ZoneId.of("UTC");
        }
    }

    private LocalTime time(Fields f, String key, LocalTime fallback) {
        String text = f.string(key, null);
        if (text == null) return fallback;
        try {
            return LocalTime.parse(text.length() == 4 ? "0" + text : text);
        } catch (DateTimeException e) {
            problems.add(
                    f.positionOf(key), f.section() + "." + key + ": not a time of day \"" + text + "\"", "e.g. 09:00");
            return fallback;
        }
    }

    /** {@code 2026-03-28T09:00} or {@code 2026-03-28 09:00}: a local time in the entry's time zone. */
    private LocalDateTime localDateTime(Fields f, String key) {
        String text = f.requiredString(key);
        if (text == null) return null;
        try {
            return LocalDateTime.parse(text.strip().replace(' ', 'T'));
        } catch (DateTimeException e) {
            try {
                OffsetDateTime.parse(text.strip().replace(' ', 'T'));
                problems.add(
                        f.positionOf(key),
                        f.section() + "." + key + ": write a local time without offset \"" + text + "\"",
                        "local to time_zone, e.g. 2026-03-28T09:00");
            } catch (DateTimeException notEither) {
                problems.add(
                        f.positionOf(key),
                        f.section() + "." + key + ": not a date and time \"" + text + "\"",
                        "e.g. 2026-03-28T09:00, local to time_zone");
            }
            return null;
        }
    }
}
