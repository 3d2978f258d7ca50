package dev.opsdeck.credential;

import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.alert.AlertSink;
import dev.opsdeck.config.CredentialDef;
import dev.opsdeck.config.CredentialsConfig;
import dev.opsdeck.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credentials of {@code credentials:}: reads each readable secret at every refresh, keeps its keyed fingerprint,
 * and so sees a rotation happen rather than being told about it. A credential older than {@code rotate_every} is
 * overdue and alerts through the incident path until it changes; a source that is gone alerts as well. Nothing
 * here ever returns or logs a secret or a fingerprint.
 */
public final class Credentials {
    private static final Logger LOG = LoggerFactory.getLogger(Credentials.class);
    static final String OVERDUE_ALERT = "overdue";
    static final String SOURCE_ALERT = "source";

    /** Asked for a credential the configuration does not have. */
    public static final class UnknownCredential extends NoSuchElementException {
        public UnknownCredential(String name) {
            super("no credential '" + name + "'");
        }
    }

    private final InventoryStore store;
    private final Supplier<CredentialsConfig> config;
    private final Fingerprints fingerprints;
    private final SecretSources sources;
    private final AlertSink alerts;
    private final InventoryMetrics metrics;
    private final Clock clock;

    public Credentials(
            Store store,
            Supplier<CredentialsConfig> config,
            Fingerprints fingerprints,
            Function<String, String> env,
            AlertSink alerts,
            InventoryMetrics metrics,
            Clock clock) {
        this.store = new InventoryStore(store);
        this.config = config;
        this.fingerprints = fingerprints;
        this.sources = new SecretSources(env);
        this.alerts = alerts;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Reads every credential now, records changes and alerts; the inventory sorted by what needs action first. */
    public synchronized List<Credential> refresh() {
        List<Credential> out = new ArrayList<>();
        for (CredentialDef def : config.get().credentials().values()) {
            try {
                out.add(refresh(def));
            } catch (RuntimeException e) { // the store is away: the next refresh tries again
                LOG.warn("event=credential_refresh_failed credential={} error=\"{}\"", def.name(), e.toString());
            }
        }
        out.sort(Credential.BY_ACTION);
        metrics.credentials(out, clock.instant());
        return out;
    }

    /** The inventory as last refreshed, sorted by what needs action first; reads no source. */
    public List<Credential> list() {
        Instant now = clock.instant();
        List<Credential> out = new ArrayList<>();
        for (CredentialDef def : config.get().credentials().values()) {
            out.add(view(def, store.credential(def.name()).orElse(null), now));
        }
        out.sort(Credential.BY_ACTION);
        return out;
    }

    public Credential get(String name) {
        CredentialDef def = config.get().credentials().get(name);
        if (def == null) throw new UnknownCredential(name);
        return view(def, store.credential(name).orElse(null), clock.instant());
    }

    /** The credentials past their cadence now: a fact for readiness checklists and reports. */
    public List<Credential> overdue() {
        return list().stream().filter(Credential::overdue).toList();
    }

    private Credential refresh(CredentialDef def) {
        long now = clock.millis();
        InventoryStore.Row old = store.credential(def.name()).orElse(null);
        String fingerprint = old == null ? null : old.fingerprint();
        String previous = old == null ? null : old.previousFingerprint();
        Long firstSeen = old == null ? null : old.firstSeenMs();
        Long rotated = old == null ? null : old.rotatedMs();
        Long previousUntil = old == null ? null : old.previousUntilMs();
        String state = null;
        String message = null;
        if (def.source() != null) {
            try {
                String current = fingerprints.of(sources.read(def.source()));
                if (fingerprint == null) {
                    firstSeen = now;
                } else if (!current.equals(fingerprint)) {
                    if (previousUntil != null && now < previousUntil && !current.equals(previous)) {
                        // a change inside the overlap window withdraws the previous value (seed 002: "remove old
                        // keys after all consumers have switched"): the overlap ends now, not a second rotation
                        previousUntil = now;
                    } else {
                        previous = fingerprint;
                        rotated = now;
                        previousUntil = def.overlap().isZero()
                                ? null
                                : now + def.overlap().toMillis();
                    }
                    LOG.info("event=credential_rotated credential={}", def.name());
                }
                fingerprint = current;
                if (previousUntil != null && now >= previousUntil) previous = null; // the old value is gone now
            } catch (SecretSources.Unavailable u) {
                state = u.state;
                message = u.getMessage();
            }
        }
        var row = new InventoryStore.Row(
                def.name(), fingerprint, previous, firstSeen, rotated, previousUntil, now, "", message, null);
        Credential c = view(def, row, Instant.ofEpochMilli(now));
        if (state == null) state = c.state();
        Set<String> firing = new LinkedHashSet<>();
        if (state.equals(Credential.OVERDUE)) firing.add(OVERDUE_ALERT);
        if (state.equals(Credential.SOURCE_MISSING) || state.equals(Credential.SOURCE_UNREADABLE))
            firing.add(SOURCE_ALERT);
        Map<String, Long> before = old == null ? Map.of() : firingSince(old.alerted(), old.checkedMs());
        if (state.startsWith("source_") && before.containsKey(OVERDUE_ALERT))
            firing.add(OVERDUE_ALERT); // not known now
        // each alert that fires is kept with the time it began, so GET /api/v1/alerts dates it on every node
        List<String> alerted = new ArrayList<>();
        for (String kind : firing) alerted.add(kind + "@" + before.getOrDefault(kind, now));
        store.save(new InventoryStore.Row(
                def.name(),
                fingerprint,
                previous,
                firstSeen,
                rotated,
                previousUntil,
                now,
                state,
                message,
                String.join(",", alerted)));
        Credential result = view(def, store.credential(def.name()).orElseThrow(), Instant.ofEpochMilli(now));
        for (String kind : firing)
            if (!before.containsKey(kind)) alert(def, kind, AlertEvent.State.FIRING, result, clock.instant());
        for (String kind : before.keySet())
            if (!firing.contains(kind)) alert(def, kind, AlertEvent.State.RESOLVED, result, clock.instant());
        return result;
    }

    /**
     * The credentials' alerts that fire now, as the events that raised them dated when they began, for
     * {@code GET /api/v1/alerts} beside the rules' alerts. Read from the store (what the last refresh alerted), so
     * every node sharing it lists the same.
     */
    public List<AlertEvent> firing() {
        if (alerts == null) return List.of();
        Instant now = clock.instant();
        List<AlertEvent> out = new ArrayList<>();
        for (CredentialDef def : config.get().credentials().values()) {
            InventoryStore.Row row = store.credential(def.name()).orElse(null);
            if (row == null) continue;
            Credential c = view(def, row, now);
            firingSince(row.alerted(), row.checkedMs())
                    .forEach((kind, since) ->
                            out.add(event(def, kind, AlertEvent.State.FIRING, c, Instant.ofEpochMilli(since))));
        }
        return out;
    }

    /**
     * The stored {@code alerted} column: {@code kind@epochMs} for each alert firing, comma-separated. A kind without a
     * time (written before the time was kept) counts from {@code fallbackMs}, the row's last check.
     */
    static Map<String, Long> firingSince(String alerted, long fallbackMs) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (alerted == null || alerted.isEmpty()) return out;
        for (String part : alerted.split(",")) {
            int at = part.indexOf('@');
            out.put(
                    at < 0 ? part : part.substring(0, at),
                    at < 0 ? fallbackMs : Long.parseLong(part.substring(at + 1)));
        }
        return out;
    }

    /** The credential from its definition and stored row at {@code now}; a row's state is kept when it is a source's. */
    private static Credential view(CredentialDef def, InventoryStore.Row row, Instant now) {
        Long since = row == null ? null : row.rotatedMs();
        boolean seen = since != null;
        if (since == null && def.lastRotated() != null) {
            since = def.lastRotated().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        if (since == null && row != null) since = row.firstSeenMs();
        Instant rotatedAt = since == null ? null : Instant.ofEpochMilli(since);
        Instant due = rotatedAt == null || def.rotateEvery() == null ? null : rotatedAt.plus(def.rotateEvery());
        String state;
        String message = null;
        if (row != null && row.state() != null && row.state().startsWith("source_")) {
            state = row.state();
            message = row.message();
        } else if (due == null) {
            state = Credential.UNKNOWN;
            message = "not read yet";
        } else if (!now.isBefore(due)) {
            state = Credential.OVERDUE;
            message = "older than its rotation cadence since " + due;
        } else {
            state = Credential.OK;
        }
        Instant previousUntil =
                row == null || row.previousUntilMs() == null || row.previousUntilMs() <= now.toEpochMilli()
                        ? null
                        : Instant.ofEpochMilli(row.previousUntilMs());
        Instant checked = row == null ? null : Instant.ofEpochMilli(row.checkedMs());
        return new Credential(def, state, message, rotatedAt, seen, due, previousUntil, checked);
    }

    private void alert(CredentialDef def, String kind, AlertEvent.State state, Credential c, Instant at) {
        if (alerts == null) return;
        alerts.accept(event(def, kind, state, c, at));
    }

    private static AlertEvent event(CredentialDef def, String kind, AlertEvent.State state, Credential c, Instant at) {
        boolean overdue = kind.equals(OVERDUE_ALERT);
        String summary = state == AlertEvent.State.RESOLVED
                ? "credential " + def.name() + (overdue ? " was rotated" : " can be read again")
                : overdue
                        ? "credential " + def.name() + " is overdue for rotation (due " + c.dueAt() + ")"
                        : "credential " + def.name() + ": " + c.message();
        return new AlertEvent(
                "credential/" + def.name() + "/" + kind,
                "credential",
                overdue ? "CredentialOverdue" : "CredentialSourceMissing",
                state,
                AlertEvent.Severity.valueOf(def.severity()),
                null,
                null,
                List.of(),
                false,
                Map.of("credential", def.name(), "owner", def.owner()),
                summary,
                def.purpose().isEmpty() ? null : def.purpose(),
                def.rotationRunbook(),
                at,
                null);
    }
}
