package dev.opsdeck.cluster;

import dev.opsdeck.store.Store;
import dev.opsdeck.store.StoreException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node among the nodes that share its store. Every {@value #BEAT_MS} ms it writes its heartbeat, reads which
 * nodes are live (a heartbeat within {@value #DEAD_AFTER_MS} ms, by the database's clock) and takes or renews the
 * {@value #LEADER} lease; work that must happen once runs through {@link #asLeader}, fenced by the lease's token.
 * Checks are shared by {@link #owns}: rendezvous hashing over the live nodes. On the embedded store there is one
 * node, and a second is refused.
 */
public final class Cluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    public static final long BEAT_MS = 2_000;
    public static final long DEAD_AFTER_MS = 10_000;
    public static final long LEASE_MS = 10_000;
    /**
     * This node stops acting as leader this long before its lease ends by its own reckoning: the database starts
     * the lease when it runs the statement, after this node sent it, so the node's view always ends first.
     */
    static final long LEASE_SAFETY_MS = 2_000;

    public static final String LEADER = "leader";

    private final Store store;
    private final Nodes nodes;
    private final Leases leases;
    private final NodeIdentity self;
    private final Supplier<Nodes.Beat> report;
    private final List<Consumer<List<String>>> listeners = new CopyOnWriteArrayList<>();
    private volatile List<String> live;
    /** The token this node leads under, and until when (System.nanoTime) it may act on it; -1: not leading. */
    private volatile long token = -1;

    private volatile long leadsUntilNanos;
    /** The configuration most live nodes ran at the last beat (null before it); see {@link #configProblem}. */
    private volatile String clusterHash;
    /** When (System.nanoTime) the last beat that reached the store was sent; 0 before the first. */
    private long lastBeatNanos;

    private ScheduledExecutorService beater;

    private Cluster(Store store, NodeIdentity self, Supplier<Nodes.Beat> report) {
        this.store = store;
        this.nodes = new Nodes(store);
        this.leases = new Leases(store);
        this.self = self;
        this.report = report;
        this.live = List.of(self.id());
    }

    /**
     * Registers this node on the store, or refuses: on the embedded store when another node beats on it, and on
     * any store when a node with this id is running elsewhere. {@code report} says what each beat writes.
     */
    public static Cluster join(Store store, NodeIdentity self, Supplier<Nodes.Beat> report) {
        Cluster cluster = new Cluster(store, self, report);
        for (Nodes.Node n : cluster.nodes.all()) {
            if (!n.live(DEAD_AFTER_MS)) continue;
            if (n.id().equals(self.id())) {
                boolean gone = n.host().equals(self.host())
                        && (n.pid() == self.pid()
                                || ProcessHandle.of(n.pid())
                                        .map(p -> !p.isAlive())
                                        .orElse(true));
                if (!gone)
                    throw new NodeRefused("node id '" + self.id() + "' is already running (process " + n.pid()
                            + " on " + n.host() + ", heartbeat " + n.ageMs() + " ms ago); give each node its own"
                            + " server.node_id or data_dir");
            } else if (store.embedded()) {
                throw new NodeRefused("the embedded store (" + store.description() + ") is in use by node '" + n.id()
                        + "' (process " + n.pid() + " on " + n.host() + ", heartbeat " + n.ageMs() + " ms ago);"
                        + " an embedded SQLite store serves one node: stop that node, or give every node the same"
                        + " PostgreSQL store (store.url) to run several");
            }
        }
        cluster.nodes.register(self, report.get());
        cluster.beat();
        LOG.info("event=node_joined node={} live_nodes={} leader={}", self.id(), cluster.live.size(), cluster.leads());
        return cluster;
    }

    /** Beats every {@value #BEAT_MS} ms on a thread of its own, so a busy housekeeping beat never delays it. */
    public Cluster start() {
        beater = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("opsdeck-cluster").daemon().factory());
        beater.scheduleWithFixedDelay(this::beatQuietly, BEAT_MS, BEAT_MS, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * {@code opsdeck_cluster_nodes} (live nodes as this node sees them), {@code opsdeck_cluster_leader} (1 while
     * this node leads) and {@code opsdeck_cluster_owned_checks} (the checks this node probes, from {@code owned}).
     */
    public void bindMetrics(MeterRegistry registry, Supplier<Number> owned) {
        Gauge.builder("opsdeck.cluster.nodes", this, c -> c.live.size())
                .description("Live nodes sharing this node's store, this one included")
                .register(registry);
        Gauge.builder("opsdeck.cluster.leader", this, c -> c.leads() ? 1 : 0)
                .description("1 while this node holds the leader lease, else 0")
                .register(registry);
        Gauge.builder("opsdeck.cluster.owned.checks", owned::get) // held strongly: a weakly held lambda is collected
                .description("Checks this node probes; the live nodes share the others")
                .register(registry);
    }

    /**
     * Told the live node ids (sorted) each time they change, and also when this node's own heartbeats stopped long
     * enough for the others to count it out (a start slower than the dead-after bound, a long pause): the live
     * nodes may look the same to this node, but the others probed its checks meanwhile.
     */
    public void onMembership(Consumer<List<String>> listener) {
        listeners.add(listener);
    }

    public String nodeId() {
        return self.id();
    }

    public NodeIdentity identity() {
        return self;
    }

    /** The live node ids, sorted; this node among them. */
    public List<String> liveNodes() {
        return live;
    }

    /** Whether this node probes the check {@code checkId}: it is the rendezvous owner among the live nodes. */
    public boolean owns(String checkId) {
        return self.id().equals(Rendezvous.owner(checkId, live));
    }

    /** Whether this node holds the leader lease now, with time to spare by its own clock. */
    public boolean leads() {
        return token >= 0 && System.nanoTime() - leadsUntilNanos < 0;
    }

    /**
     * Runs {@code work} when this node leads, with every transaction it opens fenced by the leader lease's token:
     * a node that paused past its lease has each of its writes refused, in the same transaction. Returns whether
     * the work ran to its end.
     */
    public boolean asLeader(String what, Runnable work) {
        long held = token;
        if (!leads()) return false;
        try {
            Store.fenced(leases.fence(LEADER, self.id(), held), work);
            return true;
        } catch (StoreException e) {
            if (!(e.getCause() instanceof Leases.LeaseLost)) throw e;
            token = -1;
            LOG.warn("event=lease_lost work={} node={} token={}", what, self.id(), held);
            return false;
        }
    }

    /** The leader lease as stored, for status: who leads by the database's clock. */
    public String leader() {
        return leases.holder(LEADER).orElse(null);
    }

    /** Every node that ever started on this store, live or not. */
    public List<Nodes.Node> nodes() {
        return nodes.all();
    }

    /**
     * The config hash most live nodes run (a tie: the leader's, else the smallest), or null without any; what a
     * node whose hash differs is told to catch up with.
     */
    public String clusterConfigHash(List<Nodes.Node> all) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        String leader = leader();
        String leaderHash = null;
        for (Nodes.Node n : all) {
            if (!n.live(DEAD_AFTER_MS)) continue;
            counts.merge(n.configHash(), 1, Integer::sum);
            if (n.id().equals(leader)) leaderHash = n.configHash();
        }
        String best = null;
        for (var e : counts.entrySet()) {
            if (best == null) best = e.getKey();
            int c = e.getValue(), b = counts.get(best);
            if (c > b
                    || c == b && e.getKey().equals(leaderHash)
                    || c == b && !best.equals(leaderHash) && e.getKey().compareTo(best) < 0) best = e.getKey();
        }
        return best;
    }

    /**
     * Null when this node runs the cluster's configuration; otherwise why not (for /ready and cluster status). Judged
     * at the last beat, not here: /ready must answer at once while the store hangs, and it reports the store's own
     * problem then.
     */
    public String configProblem() {
        String mine = report.get().configHash();
        String theirs = clusterHash;
        if (theirs == null || theirs.equals(mine)) return null;
        return "config differs from the cluster's: this node runs " + mine + ", most live nodes run " + theirs
                + " (apply the same configuration files on every node)";
    }

    private void beatQuietly() {
        try {
            beat();
        } catch (RuntimeException e) {
            LOG.warn("event=cluster_beat_failed node={} error=\"{}\"", self.id(), e.toString());
        }
    }

    /** One beat: heartbeat, the live nodes, the leader lease. */
    void beat() {
        long sent = System.nanoTime();
        nodes.beat(self.id(), report.get());
        List<String> now = new ArrayList<>();
        List<Nodes.Node> all = nodes.all();
        for (Nodes.Node n : all) if (n.live(DEAD_AFTER_MS)) now.add(n.id());
        if (!now.contains(self.id())) now.add(self.id());
        now.sort(null);
        long gapMs = lastBeatNanos == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(sent - lastBeatNanos);
        lastBeatNanos = sent;
        // the others count a node out once its heartbeat is DEAD_AFTER_MS old, judged at their own beats
        boolean lapsed = gapMs >= DEAD_AFTER_MS - BEAT_MS;
        if (lapsed)
            LOG.warn(
                    "event=cluster_heartbeat_lapsed node={} gap_ms={} note=\"the other nodes may have taken this"
                            + " node's checks meanwhile\"",
                    self.id(),
                    gapMs);
        if (!now.equals(live) || lapsed) {
            LOG.info("event=cluster_membership node={} live_nodes=\"{}\"", self.id(), String.join(",", now));
            live = List.copyOf(now);
            for (Consumer<List<String>> l : listeners) l.accept(live);
        }
        long before = token;
        long taken = leases.acquire(LEADER, self.id(), LEASE_MS).orElse(-1L);
        leadsUntilNanos = sent + TimeUnit.MILLISECONDS.toNanos(LEASE_MS - LEASE_SAFETY_MS);
        token = taken;
        if (taken >= 0 && before != taken) LOG.info("event=leader_elected node={} token={}", self.id(), taken);
        if (taken < 0 && before >= 0) LOG.info("event=leader_lost node={}", self.id());
        clusterHash = clusterConfigHash(all);
    }

    /** Stops beating, gives the leader lease up and marks this node stopped, so the others take over at once. */
    @Override
    public void close() {
        if (beater != null) beater.shutdownNow();
        token = -1;
        try {
            leases.release(LEADER, self.id());
            nodes.stopped(self.id());
        } catch (RuntimeException e) {
            LOG.warn("event=cluster_leave_failed node={} error=\"{}\"", self.id(), e.toString());
        }
    }
}
