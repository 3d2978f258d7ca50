package dev.opsdeck.notify;

import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.store.Store;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Random;

/**
 * Child process of {@link OutboxKillNineTest}: enqueues messages {@code m-0 .. m-(N-1)} (again on every run:
 * the keys make that a no-op) and delivers them to the receiver at {@code args[1]}, printing {@code enqueued}
 * and, once nothing is pending, {@code done}; it is killed at random moments before that.
 */
public final class OutboxKillNineChild {
    public static void main(String[] args) throws Exception {
        Store store = Store.open(new StoreConfig("embedded", 4, Position.NONE), Path.of(args[0]));
        Channels channels =
                TestChannels.parse("sink: { type: webhook, url: \"" + args[1] + "\", retry_horizon: 1h, timeout: 2s }");
        // no lease margin: a row claimed by a killed run comes back after the 2 s timeout, not 32 s
        Outbox outbox = new Outbox(
                        store,
                        () -> channels,
                        () -> null,
                        new SimpleMeterRegistry(),
                        Clock.systemUTC(),
                        new Random(),
                        0)
                .start();
        int n = Integer.parseInt(args[2]);
        for (int i = 0; i < n; i++) outbox.enqueue("sink", "m-" + i, "test", Map.of("n", i));
        System.out.println("enqueued");
        System.out.flush();
        while (!outbox.log(Delivery.PENDING, null, 1).isEmpty()) Thread.sleep(20);
        System.out.println("done");
        System.out.flush();
        outbox.close();
        store.close();
    }
}
