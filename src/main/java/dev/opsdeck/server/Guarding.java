package dev.opsdeck.server;

import dev.opsdeck.api.AccessRoutes;
import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.ApiKeys;
import dev.opsdeck.auth.Bootstrap;
import dev.opsdeck.auth.Sessions;
import dev.opsdeck.auth.Users;
import dev.opsdeck.blueprint.ConfigWatcher;
import dev.opsdeck.checklist.BootstrapState;
import dev.opsdeck.cluster.Cluster;
import dev.opsdeck.config.Cidr;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.doctor.Doctor;
import dev.opsdeck.gate.Access;
import dev.opsdeck.gate.Gate;
import dev.opsdeck.network.ClientAddress;
import dev.opsdeck.network.NetworkGuard;
import dev.opsdeck.store.Store;
import dev.opsdeck.web.AccountPages;
import dev.opsdeck.web.ApiKeyPages;
import dev.opsdeck.web.AuditPages;
import dev.opsdeck.web.Dashboard;
import io.javalin.config.JavalinConfig;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what: users, sessions, API keys and the audit log ({@link Access}), the bootstrap admin, the network
 * guard (limits, CORS, security headers) and the gate that checks every request's permission.
 */
record Guarding(Access access, NetworkGuard network, Gate gate, CompletableFuture<Void> bootstrap, Clock clock) {
    private static final Logger LOG = LoggerFactory.getLogger(Guarding.class);

    static Guarding start(Store store, OpsdeckConfig config, Clock clock) {
        Access access = access(store, config, clock);
        // only the store knows whether the bootstrap is done; asked before the bootstrap below could create an admin
        if (config.runtime().production()) {
            StartRefused.on(Doctor.bootstrapBlockers(config, bootstrapState(access)));
        }
        // the first start hashes a new admin password (Argon2id, ~0.5 s on a cold JVM): let it run while the
        // engine and HTTP start; awaitBootstrap() waits for it before the server counts as started
        CompletableFuture<Void> bootstrap = CompletableFuture.runAsync(
                () -> Bootstrap.ensureAdmin(access.users(), config.server().dataDir()),
                task -> Thread.ofVirtual().name("opsdeck-bootstrap").start(task));
        NetworkGuard network = new NetworkGuard(config.network(), clock);
        Gate gate = new Gate(access.sessions(), access.apiKeys(), config.auth(), network::admitKey);
        return new Guarding(access, network, gate, bootstrap, clock);
    }

    /** Installs the network guard, then the gate: before any route, so that every request passes both. */
    void guard(JavalinConfig c) {
        network.register(c);
        gate.register(c);
    }

    void register(JavalinConfig c, ConfigWatcher watcher, Dashboard dashboard) {
        new AccessRoutes(access, watcher).register(c);
        new AccountPages(access, dashboard.assets()).register(c);
        new ApiKeyPages(access.apiKeys(), access.audit(), clock, dashboard.assets()).register(c);
        new AuditPages(access.audit(), dashboard.assets()).register(c);
    }

    /** Waits for the bootstrap admin; its own exception (e.g. the store's) comes out as thrown, not wrapped. */
    void awaitBootstrap() {
        try {
            bootstrap.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    void housekeep(ScheduledExecutorService housekeeping, Cluster cluster) {
        housekeeping.scheduleWithFixedDelay(
                () -> cluster.asLeader("sessions", this::pruneSessions), 5, 10, TimeUnit.MINUTES);
    }

    private void pruneSessions() {
        try {
            int n = access.sessions().prune();
            if (n > 0) LOG.info("event=sessions_pruned rows={}", n);
        } catch (Exception e) {
            LOG.warn("event=session_prune_failed error=\"{}\"", e.toString());
        }
    }

    private static Access access(Store store, OpsdeckConfig config, Clock clock) {
        List<Cidr> proxies = config.network().trustedProxies();
        return new Access(
                new Users(store, config.auth(), clock),
                new Sessions(store, config.auth(), clock),
                new ApiKeys(store, clock),
                new AuditLog(store, clock),
                config.auth(),
                config.server().dataDir(),
                ctx -> ClientAddress.secure(ctx, proxies));
    }

    /**
     * The bootstrap state read from the store (not from the file, which anyone could delete): an admin who still
     * must change the bootstrap password, or no user at all, blocks the production profile.
     */
    static BootstrapState bootstrapState(Access access) {
        try {
            // a store administered by a service-account key (opsdeck apikey bootstrap) has no password to change
            if (!access.users().any()) {
                return access.users().administeredByServiceAccount() ? BootstrapState.CHANGED : BootstrapState.NEW;
            }
            return access.users()
                            .find(Bootstrap.ADMIN)
                            .map(u -> u.mustChangePassword())
                            .orElse(false)
                    ? BootstrapState.PENDING
                    : BootstrapState.CHANGED;
        } catch (RuntimeException e) {
            return BootstrapState.UNKNOWN;
        }
    }
}
