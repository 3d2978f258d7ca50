package dev.opsdeck.credential;

import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.alert.AlertSink;
import dev.opsdeck.config.CertificateDef;
import dev.opsdeck.config.CredentialsConfig;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every certificate from every source: the {@code certificates:} sources and, unless {@code from_checks: false},
 * the endpoints of the tls checks and https http checks. A refresh reads them all (endpoints in parallel, at most
 * {@value #PARALLEL_HANDSHAKES} handshakes at once, so a large inventory never crowds the probes), keeps the result
 * in memory and alerts each place once per threshold crossed: the first threshold fires, each smaller one fires
 * again one severity higher, renewal resolves. The alerted threshold is stored, so neither a refresh nor a restart
 * repeats an alert.
 */
public final class CertificateInventory {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateInventory.class);
    static final int PARALLEL_HANDSHAKES = 8;
    static final int EXPIRED_LEVEL = -1;
    static final int UNREADABLE_LEVEL = -2;

    /** Asked for the certificates of a source the inventory does not hold. */
    public static final class UnknownCertificate extends NoSuchElementException {
        public UnknownCertificate(String id) {
            super("no certificates of source '" + id + "' in the inventory");
        }
    }

    private final InventoryStore store;
    private final Supplier<OpsdeckConfig> config;
    private final AlertSink alerts;
    private final InventoryMetrics metrics;
    private final Clock clock;
    private volatile List<Certificate> last = List.of();
    private volatile long refreshedMs;

    public CertificateInventory(
            Store store, Supplier<OpsdeckConfig> config, AlertSink alerts, InventoryMetrics metrics, Clock clock) {
        this.store = new InventoryStore(store);
        this.config = config;
        this.alerts = alerts;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The inventory as last refreshed, sorted by what needs action first. */
    public List<Certificate> list() {
        return last;
    }

    /** When the last refresh ended (epoch ms); 0 before the first. */
    public long refreshedMs() {
        return refreshedMs;
    }

    /** Every source to read now: the configured ones, then the checks' endpoints. */
    List<CertificateDef> sources() {
        OpsdeckConfig c = config.get();
        CredentialsConfig cc = c.credentials();
        List<CertificateDef> out = new ArrayList<>(cc.certificates().values());
        if (cc.fromChecks()) out.addAll(CheckEndpoints.of(c.checks()));
        return out;
    }

    /** Reads every source now, alerts what crossed a threshold; the new inventory. */
    public synchronized List<Certificate> refresh() {
        CredentialsConfig cc = config.get().credentials();
        List<CertificateDef> sources = sources();
        List<List<CertificateReader.Chain>> read = readAll(sources);
        long now = clock.millis();
        List<Certificate> out = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            CertificateDef def = sources.get(i);
            int warn = (def.thresholds().isEmpty() ? cc.thresholds() : def.thresholds()).getFirst();
            for (CertificateReader.Chain chain : read.get(i)) out.addAll(Judging.rows(def, chain, now, warn));
        }
        out.sort(Certificate.BY_ACTION);
        try {
            alert(out, sources, cc, now);
        } catch (RuntimeException e) { // the store is away: the next refresh alerts what is still due
            LOG.warn("event=certificate_alerts_failed error=\"{}\"", e.toString());
        }
        last = List.copyOf(out);
        refreshedMs = now;
        metrics.certificates(out);
        return last;
    }

    private static List<List<CertificateReader.Chain>> readAll(List<CertificateDef> sources) {
        Semaphore handshakes = new Semaphore(PARALLEL_HANDSHAKES);
        List<Future<List<CertificateReader.Chain>>> pending = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (CertificateDef def : sources) {
                boolean network = def.host() != null;
                pending.add(pool.submit(() -> {
                    if (!network) return CertificateReader.read(def); // files: read here, cheap
                    handshakes.acquire();
                    try {
                        return CertificateReader.read(def);
                    } finally {
                        handshakes.release();
                    }
                }));
            }
            List<List<CertificateReader.Chain>> out = new ArrayList<>();
            for (var f : pending) {
                try {
                    out.add(f.get());
                } catch (Exception e) {
                    out.add(List.of(CertificateReader.Chain.failed("", "reading failed: " + e)));
                }
            }
            return out;
        }
    }

    private void alert(List<Certificate> rows, List<CertificateDef> sources, CredentialsConfig cc, long now) {
        Map<String, Integer> alerted = store.certificateAlerts();
        Set<String> present = new HashSet<>();
        for (Certificate c : rows) {
            present.add(c.id());
            CertificateDef def = sources.stream()
                    .filter(s -> s.name().equals(c.source()))
                    .findFirst()
                    .orElseThrow();
            List<Integer> thresholds = def.thresholds().isEmpty() ? cc.thresholds() : def.thresholds();
            Integer level = level(c, thresholds);
            Integer before = alerted.get(c.id());
            if (level != null && (before == null || level < before)) {
                store.alerted(c.id(), c.source(), level, now);
                alerts.accept(event(c, AlertEvent.State.FIRING, severity(cc.severity(), thresholds, level), level));
            } else if (level == null && before != null) {
                store.cleared(c.id());
                alerts.accept(event(c, AlertEvent.State.RESOLVED, AlertEvent.Severity.valueOf(cc.severity()), null));
            }
        }
        Set<String> sourceNames = new HashSet<>();
        sources.forEach(s -> sourceNames.add(s.name()));
        // a place that is gone (renewed into another chain, a file removed from a directory, a source removed from
        // the config) resolves what it alerted; one whose source cannot be read now keeps its state
        Set<String> failedSources = new HashSet<>();
        rows.stream().filter(r -> r.state().equals(Certificate.ERROR)).forEach(r -> failedSources.add(r.source()));
        alerted.keySet().stream()
                .filter(id -> !present.contains(id))
                .filter(id -> !failedSources.contains(sourceOf(id)))
                .sorted()
                .forEach(id -> {
                    store.cleared(id);
                    alerts.accept(gone(id, cc));
                });
    }

    /**
     * The certificates' alerts that fire now, as the events that raised them, for {@code GET /api/v1/alerts} beside
     * the rules' alerts: each place whose threshold alert is stored, at the severity of the threshold it last crossed
     * and dated then. Read from the store, so every node sharing it lists the same alerts; the summary comes from
     * this node's last refresh, or names only the place before its first.
     */
    public List<AlertEvent> firing() {
        if (alerts == null) return List.of();
        CredentialsConfig cc = config.get().credentials();
        Map<String, CertificateDef> sources = new HashMap<>();
        sources().forEach(s -> sources.put(s.name(), s));
        Map<String, Certificate> rows = new HashMap<>();
        last.forEach(c -> rows.put(c.id(), c));
        List<AlertEvent> out = new ArrayList<>();
        for (InventoryStore.Alerted a : store.certificateAlertsFiring()) {
            CertificateDef def = sources.get(a.source());
            List<Integer> thresholds = def == null || def.thresholds().isEmpty() ? cc.thresholds() : def.thresholds();
            AlertEvent.Severity severity = severity(cc.severity(), thresholds, a.days());
            Certificate c = rows.get(a.id());
            AlertEvent e = c != null
                    ? event(c, AlertEvent.State.FIRING, severity, a.days())
                    : new AlertEvent(
                            "certificate/" + a.id(),
                            "certificate",
                            a.days() == UNREADABLE_LEVEL ? "CertificateUnreadable" : "CertificateExpiring",
                            AlertEvent.State.FIRING,
                            severity,
                            null,
                            null,
                            List.of(),
                            false,
                            Map.of("certificate", a.id(), "source", a.source()),
                            "certificate " + a.id() + ": "
                                    + (a.days() == UNREADABLE_LEVEL
                                            ? "source unreadable"
                                            : a.days() == EXPIRED_LEVEL
                                                    ? "expired"
                                                    : "expires within " + a.days() + " days"),
                            null,
                            null,
                            Instant.ofEpochMilli(a.atMs()),
                            null);
            out.add(e.at(Instant.ofEpochMilli(a.atMs())));
        }
        return out;
    }

    /** The smallest threshold (days) the certificate is at or below; -1 expired, -2 unreadable; null none. */
    static Integer level(Certificate c, List<Integer> thresholds) {
        if (c.state().equals(Certificate.ERROR)) return UNREADABLE_LEVEL;
        if (c.state().equals(Certificate.EXPIRED)) return EXPIRED_LEVEL;
        if (c.notAfter() == null) return null;
        return thresholds.stream()
                .filter(t -> c.daysLeft() <= t)
                .min(Comparator.naturalOrder())
                .orElse(null);
    }

    /** The configured severity at the first threshold, one step higher for each smaller one; P1 once expired. */
    static AlertEvent.Severity severity(String configured, List<Integer> thresholds, int level) {
        int base = AlertEvent.Severity.valueOf(configured).ordinal();
        int steps = level < 0 ? base : Math.max(0, thresholds.indexOf(level));
        return AlertEvent.Severity.values()[Math.max(0, base - steps)];
    }

    private AlertEvent event(Certificate c, AlertEvent.State state, AlertEvent.Severity severity, Integer level) {
        String summary;
        if (state == AlertEvent.State.RESOLVED)
            summary = "certificate " + c.id() + " renewed: " + c.daysLeft() + " days left";
        else if (level == UNREADABLE_LEVEL) summary = "certificate source " + c.source() + ": " + c.error();
        else if (level == EXPIRED_LEVEL)
            summary = "certificate " + c.subject() + " (" + c.usedBy() + ") expired on " + c.notAfter();
        else
            summary = "certificate " + c.subject() + " (" + c.usedBy() + ") expires in " + c.daysLeft() + " days, on "
                    + c.notAfter() + " (threshold " + level + " days)";
        return new AlertEvent(
                "certificate/" + c.id(),
                "certificate",
                level != null && level == UNREADABLE_LEVEL ? "CertificateUnreadable" : "CertificateExpiring",
                state,
                severity,
                null,
                null,
                List.of(),
                false,
                Map.of("certificate", c.id(), "source", c.source(), "used_by", c.usedBy()),
                summary,
                null,
                null,
                clock.instant(),
                null);
    }

    private AlertEvent gone(String id, CredentialsConfig cc) {
        return new AlertEvent(
                "certificate/" + id,
                "certificate",
                "CertificateExpiring",
                AlertEvent.State.RESOLVED,
                AlertEvent.Severity.valueOf(cc.severity()),
                null,
                null,
                List.of(),
                false,
                Map.of("certificate", id, "source", sourceOf(id)),
                "certificate " + id + " is no longer in the inventory",
                null,
                null,
                clock.instant(),
                null);
    }

    static String sourceOf(String id) {
        int bar = id.indexOf('|');
        return bar < 0 ? id : id.substring(0, bar);
    }
}
