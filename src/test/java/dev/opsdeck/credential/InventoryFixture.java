package dev.opsdeck.credential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.alert.AlertSink;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Position;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.config.YamlReader;
import dev.opsdeck.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A configuration written to a real file, a real SQLite store, and the alert events the inventory sent. */
final class InventoryFixture implements AutoCloseable {
    final Path dir;
    final Store store;
    final List<AlertEvent> events = new CopyOnWriteArrayList<>();
    final AlertSink sink = events::add;
    volatile OpsdeckConfig config;

    InventoryFixture(Path dir, String yaml) throws Exception {
        this.dir = dir;
        this.config = load(yaml);
        this.store = Store.open(new StoreConfig("embedded", 4, Position.NONE), dir.resolve("data"));
    }

    OpsdeckConfig load(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), yaml);
        Problems problems = new Problems();
        OpsdeckConfig c = new ConfigLoader(new YamlReader(Map.of("JWT_SECRET", "unused")::get)).load(file, problems);
        assertThat(problems.sorted()).isEmpty();
        return c;
    }

    List<AlertEvent> named(String name) {
        return events.stream().filter(e -> e.name().equals(name)).toList();
    }

    @Override
    public void close() {
        store.close();
    }
}
