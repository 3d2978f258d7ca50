// Outbox throughput: ./bench/paging-bench.sh outbox [--messages=20000] [--max-in-flight=4]
// Uses the notify Outbox class directly on an embedded (SQLite) store in a temp dir, with one webhook channel to a
// local receiver in this JVM that answers 204 at once. Enqueues all messages first (timed separately), then starts
// the outbox and times until the receiver has every message and nothing is pending: delivered messages per second.
// Through the HTTP API each message would also pay an incident and a request; this isolates the outbox.
import com.sun.net.httpserver.HttpServer;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.config.ChannelDef;
import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.notify.Channels;
import dev.opsdeck.notify.Delivery;
import dev.opsdeck.notify.Outbox;
import dev.opsdeck.store.Store;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

public class PagingBenchOutbox {
    public static void main(String[] args) throws Exception {
        int n = 20_000, inFlight = ChannelDef.DEFAULT_MAX_IN_FLIGHT;
        for (String a : args) if (a.startsWith("--messages=")) n = Integer.parseInt(a.substring(11));
        for (String a : args) if (a.startsWith("--max-in-flight=")) inFlight = Integer.parseInt(a.substring(16));
        AtomicInteger received = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/hook", ex -> {
            ex.getRequestBody().readAllBytes();
            received.incrementAndGet();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        Path dir = Files.createTempDirectory("opsdeck-outbox-bench");
        Store store = Store.open(new StoreConfig("embedded", 4, Position.NONE), dir);
        // the channel as users write it, compiled as a start does
        Path config = Files.writeString(
                dir.resolve("opsdeck.yaml"), """
                channels:
                  hook:
                    type: webhook
                    url: http://127.0.0.1:%d/hook
                    retry_horizon: 1h
                    timeout: 5s
                    max_in_flight: %d
                """.formatted(receiver.getAddress().getPort(), inFlight));
        Channels channels = Compiler.standard().load(config).channels();
        Outbox outbox = new Outbox(store, () -> channels, () -> null, new SimpleMeterRegistry(), Clock.systemUTC());
        long busy0 = PagingBench.Load.busy(),
                self0 = PagingBench.Load.ticks(ProcessHandle.current().pid());
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            outbox.enqueue(
                    "hook",
                    "bench-" + i,
                    "incident.triggered",
                    Map.of("incident_id", i, "title", "bench " + i, "severity", "P2", "service", "svc" + i));
        }
        long t1 = System.nanoTime();
        outbox.start();
        while (received.get() < n || !outbox.log(Delivery.PENDING, null, 1).isEmpty()) Thread.sleep(5);
        long t2 = System.nanoTime();
        long self = PagingBench.Load.ticks(ProcessHandle.current().pid()) - self0,
                all = PagingBench.Load.busy() - busy0;
        double s = (t2 - t0) / 1e9;
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(
                Locale.ROOT,
                "outbox: %d messages, max_in_flight %d; enqueue %.0f/s (%.1f s); delivery %.0f notifications/s (%.1f s);"
                        + " received %d; this JVM %.0f%% of %d cores, other processes %.0f%%%n",
                n,
                inFlight,
                n / ((t1 - t0) / 1e9),
                (t1 - t0) / 1e9,
                n / ((t2 - t1) / 1e9),
                (t2 - t1) / 1e9,
                received.get(),
                100.0 * self / 100 / s / cores,
                cores,
                Math.max(0, 100.0 * (all - self) / 100 / s / cores));
        outbox.close();
        store.close();
        receiver.stop(0);
    }
}
