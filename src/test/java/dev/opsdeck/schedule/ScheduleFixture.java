package dev.opsdeck.schedule;

import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Position;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.ScheduleDef;
import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.config.YamlReader;
import dev.opsdeck.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A configuration read from real YAML through the real loader, and a store (embedded, or a PostgreSQL URL). */
final class ScheduleFixture {
    private ScheduleFixture() {}

    static OpsdeckConfig config(Path dir, String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), yaml);
        Problems problems = new Problems();
        OpsdeckConfig config = new ConfigLoader(new YamlReader(Map.<String, String>of()::get)).load(file, problems);
        if (!problems.isEmpty()) throw new IllegalArgumentException("config problems: " + problems.sorted());
        return config;
    }

    static Map<String, ScheduleDef> schedules(Path dir, String yaml) throws IOException {
        return config(dir, yaml).keep().schedules();
    }

    static Store embedded(Path dir) {
        return Store.open(new StoreConfig("embedded", 4, Position.NONE), dir);
    }

    static Store postgres(String url, Path dir) {
        return Store.open(new StoreConfig(url, 4, Position.NONE), dir);
    }
}
