package dev.opsdeck.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The deploys an incident's responders should look at first: those of its services that landed in the hour (by
 * default) before it opened, or were still under way when it opened, newest first, each as a line such as
 * {@code api v1.4.0 deployed 12 min before, by ci}. Times are counted back from the incident's opening, not from
 * now, so every message about one incident names the same deploys in the same words.
 */
public final class Correlation {
    /** How far before an incident a deploy is still named, unless the caller says otherwise. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

    /** A deploy named for an incident, how long before the incident it landed (or started), and its line. */
    public record Link(Deploy deploy, long beforeMs, String line) {}

    private Correlation() {}

    /**
     * The deploys of {@code services} among {@code deploys} that landed at most {@code window} before
     * {@code openedMs}, or had started and not yet ended then; newest first. Deploys that never started (pending,
     * or cancelled before starting) changed nothing and are left out, as are those that started after the opening.
     */
    public static List<Link> before(Collection<Deploy> deploys, Set<String> services, long openedMs, Duration window) {
        if (window.isNegative()) throw new IllegalArgumentException("the window must not be negative: " + window);
        List<Link> links = new ArrayList<>();
        for (Deploy d : deploys) {
            if (!services.contains(d.service()) || d.startedMs() == null || d.startedMs() > openedMs) continue;
            boolean landed = d.endedMs() != null && d.endedMs() <= openedMs;
            if (landed) {
                long before = openedMs - d.endedMs();
                if (before > window.toMillis()) continue;
                String outcome = d.state() == DeployState.SUCCEEDED ? "" : " (" + words(d.state()) + ")";
                links.add(new Link(
                        d, before, name(d) + " deployed " + span(before) + " before, by " + actor(d) + outcome));
            } else {
                long before = openedMs - d.startedMs();
                links.add(new Link(
                        d,
                        before,
                        name(d) + " deploy started " + span(before) + " before, by " + actor(d) + " ("
                                + (d.state().isFinal() ? "then " : "") + words(d.state()) + ")"));
            }
        }
        links.sort(Comparator.comparingLong(Link::beforeMs)
                .thenComparing(l -> l.deploy().id()));
        return links;
    }

    /** The lines of {@link #before}, for messages and pages. */
    public static List<String> lines(Collection<Deploy> deploys, Set<String> services, long openedMs, Duration window) {
        return before(deploys, services, openedMs, window).stream()
                .map(Link::line)
                .toList();
    }

    private static String name(Deploy d) {
        return d.service() + " " + d.version();
    }

    private static String actor(Deploy d) {
        return d.actor() == null || d.actor().isBlank() ? d.source() : d.actor();
    }

    private static String words(DeployState s) {
        return s.label().replace('_', ' ');
    }

    /** A length of time in its two largest units, the second left out when zero: {@code 40 s}, {@code 12 min}, {@code 1 h 5 min}, {@code 1 h}. */
    static String span(long ms) {
        long s = Math.max(0, ms / 1000);
        if (s < 60) return s + " s";
        if (s < 3_600) return s / 60 + " min";
        if (s < 86_400) return s / 3_600 + " h" + (s % 3_600 / 60 == 0 ? "" : " " + s % 3_600 / 60 + " min");
        return s / 86_400 + " d" + (s % 86_400 / 3_600 == 0 ? "" : " " + s % 86_400 / 3_600 + " h");
    }
}
