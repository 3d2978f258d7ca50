package dev.opsdeck.deploy;

import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.ServiceDef;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The deploys another tool reports ({@code POST /api/v1/deploys}), once per its external id: a first report creates
 * the record, a later one moves it to a final state (the same final state again changes nothing; another one is
 * refused). Opsdeck carries none of them out, so neither freezes nor one-at-a-time hold them back.
 */
final class CiRecords {
    private static final Set<String> STATES = Set.of("running", "succeeded", "failed", "rolled_back", "cancelled");

    private final DeployStore store;
    private final Supplier<OpsdeckConfig> config;
    private final Clock clock;

    CiRecords(DeployStore store, Supplier<OpsdeckConfig> config, Clock clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    Deploys.Recorded record(Deploys.Report r) {
        if (r.externalId() == null
                || !DeployInput.VERSION.matcher(r.externalId()).matches()) {
            throw new DeployRefused(
                    DeployRefused.Reason.INVALID,
                    "external_id: expected the tool's id for the deploy (letters, digits, . _ : / @ + -; at most 200)");
        }
        ServiceDef s = config.get()
                .service(r.service())
                .orElseThrow(() -> new DeployRefused(
                        DeployRefused.Reason.NOT_FOUND, DeployInput.unknownService(config.get(), r.service())));
        DeployInput.checkVersion(r.version());
        DeployState state = state(r.state());
        String env = r.environment() != null
                ? r.environment()
                : s.deploy() != null ? s.deploy().environment() : Deploys.PRODUCTION;
        if (!DeployInput.VERSION.matcher(env).matches())
            throw new DeployRefused(DeployRefused.Reason.INVALID, "environment: not a valid name");
        synchronized (this) { // one record per external id, even when a tool retries at once
            Optional<Deploy> old = store.byExternalId(Deploy.SOURCE_CI, r.externalId());
            return old.isPresent() ? update(old.get(), r, state) : create(r, state, env);
        }
    }

    private Deploys.Recorded update(Deploy o, Deploys.Report r, DeployState state) {
        if (!o.service().equals(r.service()) || !o.version().equals(r.version())) {
            throw new DeployRefused(
                    DeployRefused.Reason.CONFLICT,
                    "external_id " + r.externalId() + " is a deploy of " + o.service() + " " + o.version());
        }
        if (o.state() == state) return new Deploys.Recorded(o, false);
        if (o.state().isFinal()) {
            throw new DeployRefused(
                    DeployRefused.Reason.CONFLICT,
                    "deploy " + r.externalId() + " already ended " + o.state().label());
        }
        Deploy u = new Deploy(
                o.id(),
                o.service(),
                o.environment(),
                o.version(),
                o.previousVersion(),
                r.commitMs() != null ? r.commitMs() : o.commitMs(),
                r.description() != null ? r.description() : o.description(),
                r.link() != null ? r.link() : o.link(),
                o.source(),
                o.actor(),
                state,
                o.reason(),
                null,
                null,
                null,
                o.requestedMs(),
                o.startedMs(),
                state.isFinal() ? (r.endedMs() != null ? r.endedMs() : clock.millis()) : null,
                o.externalId());
        store.update(u);
        return new Deploys.Recorded(u, false);
    }

    private Deploys.Recorded create(Deploys.Report r, DeployState state, String env) {
        long now = clock.millis();
        String previous = store.succeeded(r.service(), env, 1).stream()
                .map(Deploy::version)
                .findFirst()
                .orElse(null);
        long started = r.startedMs() != null ? r.startedMs() : now;
        Deploy d = new Deploy(
                DeployInput.newId(),
                r.service(),
                env,
                r.version(),
                previous,
                r.commitMs(),
                DeployInput.clip(r.description()),
                DeployInput.clip(r.link()),
                Deploy.SOURCE_CI,
                r.actor(),
                state,
                null,
                null,
                null,
                null,
                started,
                started,
                state.isFinal() ? (r.endedMs() != null ? r.endedMs() : now) : null,
                r.externalId());
        store.insert(d);
        return new Deploys.Recorded(d, true);
    }

    private static DeployState state(String s) {
        if (s == null || !STATES.contains(s)) {
            throw new DeployRefused(
                    DeployRefused.Reason.INVALID,
                    "state: expected one of running, succeeded, failed, rolled_back, cancelled, got '"
                            + (s == null ? "" : DeployInput.clip(s)) + "'");
        }
        return DeployState.of(s);
    }
}
