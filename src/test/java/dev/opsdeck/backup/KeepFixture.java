package dev.opsdeck.backup;

import com.sun.net.httpserver.HttpServer;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Position;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.config.YamlReader;
import dev.opsdeck.notify.ChannelTypes;
import dev.opsdeck.notify.Channels;
import dev.opsdeck.notify.Outbox;
import dev.opsdeck.store.Store;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Backups as the server wires them, on an embedded store in a temporary directory: the config is real YAML
 * through the real loader, notifications go through the real outbox to a real HTTP receiver.
 */
final class KeepFixture implements AutoCloseable {
    final Path dir;
    final Store store;
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final Outbox outbox;
    final Backups backups;
    final Drills drills;
    final List<String> hooks = new CopyOnWriteArrayList<>();
    /** What the second channel, {@code ops2}, received. */
    final List<String> hooks2 = new CopyOnWriteArrayList<>();

    private final HttpServer receiver;

    KeepFixture(Path dir, String yaml, Map<String, String> env) throws IOException {
        this.dir = dir;
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            hooks.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.createContext("/hook2", ex -> {
            hooks2.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        String full = yaml + "\nchannels:\n  ops:\n    type: webhook\n    url: " + hook
                + "\n  ops2:\n    type: webhook\n" + "    url: " + hook + "2\n";
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), full);
        Problems problems = new Problems();
        OpsdeckConfig config = new ConfigLoader(new YamlReader(env::get)).load(file, problems);
        Map<String, List<CompiledDestination>> destinations =
                new DestinationCompiler(DestinationTypes.standard()).compileAll(config.keep(), problems);
        Channels channels = Channels.compile(config.paging().channels(), ChannelTypes.standard(), problems);
        if (!problems.isEmpty()) throw new IllegalArgumentException("config problems: " + problems.sorted());
        store = Store.open(new StoreConfig("embedded", 4, Position.NONE), dir);
        outbox = new Outbox(store, () -> channels, () -> null, registry, Clock.systemUTC()).start();
        backups = new Backups(store, config::keep, () -> destinations, dir, outbox, registry, Clock.systemUTC(), 20);
        backups.recover();
        drills = new Drills(store, backups, config::keep, outbox, registry, Clock.systemUTC());
        drills.recover();
    }

    KeepFixture(Path dir, String yaml) throws IOException {
        this(dir, yaml, Map.of());
    }

    /** The /metrics text lines that mention {@code name}. */
    List<String> metric(String name) {
        return registry.scrape().lines().filter(l -> l.startsWith(name)).toList();
    }

    /** Waits up to 10 s for a webhook body containing {@code text}. */
    boolean hooked(String text) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (hooks.stream().anyMatch(h -> h.contains(text))) return true;
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() {
        drills.close();
        backups.close();
        outbox.close();
        store.close();
        receiver.stop(0);
    }
}
