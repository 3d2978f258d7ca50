package dev.opsdeck.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The DORA figures of deploys, per service and overall, computed from the records themselves: which deploy an
 * incident counts against, which deploy fixed which failure, is decided by the links Opsdeck holds (the service, the
 * times, {@link Deploy#rollbackOf()}), not guessed afterwards from text. Pure computation over what the caller read;
 * every rule is written out in the "DORA metrics" section of docs/deploys.md, and this class follows it line by line.
 */
public final class Dora {
    /** How long after a deploy an incident on its service still counts against it, unless the caller says otherwise. */
    public static final Duration DEFAULT_FAILURE_WINDOW = Duration.ofHours(1);

    /** The default window of the figures on /metrics (config {@code deploys.metrics_period}): the last 30 days. */
    public static final Duration METRICS_WINDOW = Duration.ofDays(30);

    private static final double DAY_MS = 86_400_000.0;

    /** An incident as the figures see it: the services it touched, when it opened, when it was resolved (null: open). */
    public record Incident(String id, Set<String> services, long openedMs, Long resolvedMs) {
        public Incident {
            services = Set.copyOf(services);
        }
    }

    /**
     * The deploys that count are those that ended in {@code [fromMs, toMs)}; {@code failureWindow} is how long after a
     * deploy an incident on its service counts against it.
     */
    public record Window(long fromMs, long toMs, Duration failureWindow) {
        public Window {
            if (toMs <= fromMs)
                throw new IllegalArgumentException(
                        "the window must end after it starts: from " + fromMs + " to " + toMs);
            if (failureWindow.isNegative())
                throw new IllegalArgumentException("the failure window must not be negative: " + failureWindow);
        }

        /** The last {@code length} before {@code nowMs}, with the default failure window. */
        public static Window last(Duration length, long nowMs) {
            return new Window(nowMs - length.toMillis(), nowMs, DEFAULT_FAILURE_WINDOW);
        }

        /** The last {@code length} before {@code nowMs}, with {@code failureWindow} (config {@code deploys:}). */
        public static Window last(Duration length, long nowMs, Duration failureWindow) {
            return new Window(nowMs - length.toMillis(), nowMs, failureWindow);
        }

        double days() {
            return (toMs - fromMs) / DAY_MS;
        }
    }

    /** The median and 90th percentile of some durations (null when there are none), and how many there were. */
    public record Spread(int samples, Long medianMs, Long p90Ms) {
        static Spread of(Collection<Long> values) {
            List<Long> sorted = values.stream().sorted().toList();
            return new Spread(sorted.size(), percentile(sorted, 0.5), percentile(sorted, 0.9));
        }
    }

    /** A deploy that counts as a failed change, and why (its state, the deploy that rolled it back, an incident). */
    public record Failure(String deployId, String service, List<String> reasons) {}

    /**
     * The figures of one service or of all. Ratios are null without deploys; {@code perDay}/{@code perWeek} count
     * succeeded deploys; {@code inFlight} deploys (pending, running, verifying) are in no other figure.
     */
    public record Figures(
            int deploys,
            int succeeded,
            double perDay,
            double perWeek,
            Spread leadTime,
            int changeFailures,
            Double changeFailureRate,
            Spread recovery,
            int unrecovered,
            int rework,
            Double reworkRate,
            int inFlight) {}

    /** The figures of every service with a deploy in the window or in flight (by name), all of them, and the failures. */
    public record Result(Window window, Figures overall, Map<String, Figures> byService, List<Failure> failures) {}

    private Dora() {}

    /**
     * The figures of {@code deploys} in {@code window}. Pass the deploys and incidents from a little before the window
     * too (a failure window's worth): a deploy at the start of the window may fix, or be blamed on, what came before.
     */
    public static Result compute(List<Deploy> deploys, List<Incident> incidents, Window window) {
        Map<String, List<Deploy>> byService = deploys.stream()
                .filter(d -> d.state() != DeployState.CANCELLED)
                .sorted(Comparator.comparingLong(Dora::startMs)
                        .thenComparingLong(Dora::endMs)
                        .thenComparing(Deploy::id))
                .collect(Collectors.groupingBy(Deploy::service, TreeMap::new, Collectors.toList()));
        Links links = Links.of(byService, incidents, window.failureWindow());
        Map<String, Figures> figures = new TreeMap<>();
        List<Counted> all = new ArrayList<>();
        byService.forEach((service, sequence) -> {
            Counted counted = count(sequence, links, window);
            if (counted.deploys.isEmpty() && counted.inFlight == 0) return;
            figures.put(service, counted.figures(window));
            all.add(counted);
        });
        List<Failure> failures = new ArrayList<>();
        for (Counted c : all)
            for (Deploy d : c.deploys) {
                List<String> reasons = links.reasons.get(d.id());
                if (reasons != null) failures.add(new Failure(d.id(), d.service(), List.copyOf(reasons)));
            }
        return new Result(window, Counted.merge(all).figures(window), figures, failures);
    }

    /** When a deploy began changing its service: its start, or its request while it has not started. */
    static long startMs(Deploy d) {
        return d.startedMs() != null ? d.startedMs() : d.requestedMs();
    }

    /** When a deploy was over: its end (a final deploy has one; the fallbacks only guard against a record without). */
    static long endMs(Deploy d) {
        if (d.endedMs() != null) return d.endedMs();
        return startMs(d);
    }

    /** One service's deploys in the window with what the figures need of each. */
    private static Counted count(List<Deploy> sequence, Links links, Window window) {
        Counted c = new Counted();
        Deploy previous = null;
        for (int k = 0; k < sequence.size(); k++) {
            Deploy d = sequence.get(k);
            if (!d.state().isFinal()) {
                if (d.requestedMs() < window.toMs()) c.inFlight++;
                continue;
            }
            long end = endMs(d);
            boolean inWindow = end >= window.fromMs() && end < window.toMs();
            if (inWindow) {
                c.deploys.add(d);
                if (d.state() == DeployState.SUCCEEDED) c.succeeded++;
                if (d.state() == DeployState.SUCCEEDED
                        && d.rollbackOf() == null
                        && d.commitMs() != null
                        && d.commitMs() <= end) c.leadTimes.add(end - d.commitMs());
                if (links.reasons.containsKey(d.id())) {
                    c.failures++;
                    Long recovery = recovery(d, sequence.subList(k + 1, sequence.size()), links);
                    if (recovery == null) c.unrecovered++;
                    else c.recoveries.add(recovery);
                }
                if (previous != null && links.reasons.containsKey(previous.id())) c.rework++;
            }
            previous = d;
        }
        return c;
    }

    /**
     * How long the service took to recover from the failed change {@code f}, given the deploys after it; null while it
     * has not. An automatic rollback recovered within the deploy itself; otherwise the first of the next succeeded
     * deploy and the resolution of an incident counted against {@code f} ends it.
     */
    private static Long recovery(Deploy f, List<Deploy> later, Links links) {
        long end = endMs(f);
        if (f.state() == DeployState.ROLLED_BACK) return end - startMs(f);
        Long recovered = null;
        for (Deploy n : later) {
            if (n.state() == DeployState.SUCCEEDED && endMs(n) >= end) {
                recovered = endMs(n);
                break;
            }
        }
        for (Incident i : links.incidents.getOrDefault(f.id(), List.of())) {
            if (i.resolvedMs() != null && (recovered == null || i.resolvedMs() < recovered))
                recovered = Math.max(end, i.resolvedMs());
        }
        return recovered == null ? null : recovered - end;
    }

    /** The p-quantile of sorted values, interpolated linearly between the closest ranks; null when there are none. */
    static Long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) return null;
        double rank = p * (sorted.size() - 1);
        int lo = (int) Math.floor(rank), hi = (int) Math.ceil(rank);
        double value = sorted.get(lo) + (sorted.get(hi) - sorted.get(lo)) * (rank - lo);
        return Math.round(value);
    }

    /** Which deploys are failed changes and why, and which incidents count against each. */
    private record Links(Map<String, List<String>> reasons, Map<String, List<Incident>> incidents) {
        static Links of(Map<String, List<Deploy>> byService, List<Incident> incidents, Duration failureWindow) {
            Links links = new Links(new LinkedHashMap<>(), new LinkedHashMap<>());
            Map<String, Deploy> byId = new LinkedHashMap<>();
            byService.values().forEach(sequence -> sequence.forEach(d -> byId.put(d.id(), d)));
            for (Deploy d : byId.values()) {
                if (d.state().isFailure()) links.add(d, d.state().label());
                Deploy target = d.rollbackOf() == null ? null : byId.get(d.rollbackOf());
                if (target != null) links.add(target, "rolled back by deploy " + d.id());
            }
            for (Incident i : incidents)
                for (String service : i.services()) {
                    Deploy suspect = lastStartedBy(byService.getOrDefault(service, List.of()), i.openedMs());
                    if (suspect == null || !suspect.state().isFinal()) continue;
                    if (suspect.endedMs() != null && suspect.endedMs() < i.openedMs() - failureWindow.toMillis())
                        continue;
                    links.add(suspect, "incident " + i.id() + " on " + service);
                    links.incidents
                            .computeIfAbsent(suspect.id(), k -> new ArrayList<>())
                            .add(i);
                }
            return links;
        }

        private void add(Deploy d, String reason) {
            List<String> list = reasons.computeIfAbsent(d.id(), k -> new ArrayList<>());
            if (!list.contains(reason)) list.add(reason);
        }

        /** The last deploy of a sequence (in start order) that started at or before {@code atMs}; null if none did. */
        private static Deploy lastStartedBy(List<Deploy> sequence, long atMs) {
            Deploy last = null;
            for (Deploy d : sequence) if (startMs(d) <= atMs) last = d;
            return last;
        }
    }

    /** What one service (or all together) counted in the window. */
    private static final class Counted {
        final List<Deploy> deploys = new ArrayList<>();
        final List<Long> leadTimes = new ArrayList<>();
        final List<Long> recoveries = new ArrayList<>();
        int succeeded, failures, unrecovered, rework, inFlight;

        static Counted merge(List<Counted> parts) {
            Counted all = new Counted();
            for (Counted c : parts) {
                all.deploys.addAll(c.deploys);
                all.leadTimes.addAll(c.leadTimes);
                all.recoveries.addAll(c.recoveries);
                all.succeeded += c.succeeded;
                all.failures += c.failures;
                all.unrecovered += c.unrecovered;
                all.rework += c.rework;
                all.inFlight += c.inFlight;
            }
            return all;
        }

        Figures figures(Window window) {
            int n = deploys.size();
            double perDay = succeeded / window.days();
            return new Figures(
                    n,
                    succeeded,
                    perDay,
                    perDay * 7,
                    Spread.of(leadTimes),
                    failures,
                    n == 0 ? null : (double) failures / n,
                    Spread.of(recoveries),
                    unrecovered,
                    rework,
                    n == 0 ? null : (double) rework / n,
                    inFlight);
        }
    }
}
