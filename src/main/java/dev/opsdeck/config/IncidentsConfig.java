package dev.opsdeck.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code incidents:} response targets per severity, who hears about every incident, the ack timeout, and which
 * incidents need a post-incident review.
 * Defaults are the runbook seed's classification: respond to P1 in 15 minutes, P2 in 1 hour, P3 in 4 hours,
 * P4 by the end of the next business day. The seed gives no resolution targets, so none is set by default.
 */
public record IncidentsConfig(
        Sla ack, Sla resolve, Duration ackTimeout, ZoneId timeZone, List<String> notifyChannels, Review review) {
    public static final IncidentsConfig DEFAULTS = new IncidentsConfig(
            new Sla(
                    Target.of(Duration.ofMinutes(15)),
                    Target.of(Duration.ofHours(1)),
                    Target.of(Duration.ofHours(4)),
                    Target.NEXT_BUSINESS_DAY),
            new Sla(Target.NONE, Target.NONE, Target.NONE, Target.NONE),
            Duration.ofMinutes(30),
            ZoneId.of("UTC"),
            List.of(),
            Review.DEFAULTS);

    /**
     * Post-incident reviews: the seed asks for a blameless review of every P1 and P2 incident within 48 hours.
     * {@code dueAfter} counts from the resolution.
     */
    public record Review(Set<String> requiredFor, Duration dueAfter) {
        public static final Review DEFAULTS = new Review(Set.of("P1", "P2"), Duration.ofHours(48));

        public boolean required(String severity) {
            return requiredFor.contains(severity);
        }
    }

    /** One target per severity, P1 first. */
    public record Sla(Target p1, Target p2, Target p3, Target p4) {
        public Target forSeverity(String severity) {
            return switch (severity) {
                case "P1" -> p1;
                case "P2" -> p2;
                case "P3" -> p3;
                default -> p4;
            };
        }
    }

    /** A time limit: a duration, the end of the next business day (Monday to Friday in {@code time_zone}), or none. */
    public record Target(Duration duration, boolean nextBusinessDay) {
        public static final Target NONE = new Target(null, false);
        public static final Target NEXT_BUSINESS_DAY = new Target(null, true);

        public static Target of(Duration d) {
            return new Target(d, false);
        }

        public boolean none() {
            return duration == null && !nextBusinessDay;
        }
    }

    /** {@code channels} is the raw {@code channels:} node: notify names must be among its keys. */
    public static IncidentsConfig read(Fields f, YamlNode channels) {
        IncidentsConfig d = DEFAULTS;
        Sla ack = sla(f.child("ack_sla"), d.ack);
        Sla resolve = sla(f.child("resolve_sla"), d.resolve);
        Duration ackTimeout = f.duration("ack_timeout", d.ackTimeout);
        if (ackTimeout.isZero() || ackTimeout.isNegative()) {
            f.problems().add(f.positionOf("ack_timeout"), "incidents.ack_timeout: must be longer than zero");
            ackTimeout = d.ackTimeout;
        }
        ZoneId zone = d.timeZone;
        String zoneText = f.string("time_zone", null);
        if (zoneText != null) {
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                f.problems()
                        .add(
                                f.positionOf("time_zone"),
                                "incidents.time_zone: unknown time zone \"" + zoneText + "\"",
                                "a region such as Europe/Berlin, or UTC");
            }
        }
        List<String> notify = notify(f, channels);
        Review review = review(f.child("review"), d.review);
        f.finish();
        return new IncidentsConfig(ack, resolve, ackTimeout, zone, notify, review);
    }

    private static List<String> notify(Fields f, YamlNode channels) {
        Set<String> known = new LinkedHashSet<>();
        if (channels != null && channels.isMap()) channels.entries().keySet().forEach(k -> known.add(k.name()));
        List<String> out = new ArrayList<>();
        for (YamlNode n : f.scalarList("notify")) {
            if (!known.contains(n.text())) {
                f.problems()
                        .add(
                                n.position(),
                                "incidents.notify: no channel named \"" + n.text() + "\"",
                                known.isEmpty()
                                        ? "define it under channels:"
                                        : "known channels: " + String.join(", ", known));
            } else if (!out.contains(n.text())) {
                out.add(n.text());
            }
        }
        return List.copyOf(out);
    }

    private static Review review(Fields f, Review d) {
        Set<String> required = new TreeSet<>();
        List<YamlNode> listed = f.scalarList("required_for");
        for (YamlNode n : listed) {
            if (!IntegrationsConfig.SEVERITIES.contains(n.text())) {
                f.problems()
                        .add(
                                n.position(),
                                "incidents.review.required_for: unknown severity \"" + n.text() + "\"",
                                "severities: P1, P2, P3, P4");
            } else {
                required.add(n.text());
            }
        }
        Duration due = f.positiveDuration("due_after", d.dueAfter());
        boolean given = f.has("required_for");
        f.finish();
        return new Review(given ? Set.copyOf(required) : d.requiredFor(), due);
    }

    private static Sla sla(Fields f, Sla d) {
        Sla sla = new Sla(target(f, "P1", d.p1), target(f, "P2", d.p2), target(f, "P3", d.p3), target(f, "P4", d.p4));
        f.finish();
        return sla;
    }

    private static Target target(Fields f, String severity, Target fallback) {
        String text = f.string(severity, null);
        if (text == null) return fallback;
        if (text.equals("none")) return Target.NONE;
        if (text.equals("next_business_day")) return Target.NEXT_BUSINESS_DAY;
        Duration d = Units.duration(text);
        if (d == null || d.isZero()) {
            f.problem(
                    severity,
                    "bad target \"" + text + "\"",
                    "a duration such as 15m or 4h, next_business_day, or none");
            return fallback;
        }
        return Target.of(d);
    }
}
