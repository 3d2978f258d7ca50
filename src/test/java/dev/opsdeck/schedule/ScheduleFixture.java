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
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A configuration read from real YAML through the real loader, and a store (embedded, or a PostgreSQL URL). */
final class ScheduleFixture {
    private static final Pattern DRILL = Pattern.compile("drill: ([A-Za-z0-9_-]+)");

    private ScheduleFixture() {}

    static OpsdeckConfig config(Path dir, String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), yaml);
        Problems problems = new Problems();
        OpsdeckConfig config = new ConfigLoader(new YamlReader(Map.<String, String>of()::get)).load(file, problems);
        if (!problems.isEmpty()) throw new IllegalArgumentException("config problems: " + problems.sorted());
        return config;
    }

    /**
     * The schedules of {@code yaml}. The scheduler tests use drill targets as stand-ins run by a test target, so each
     * drill they name is declared here (with the backup target it needs) for the loader's reference check.
     */
    static Map<String, ScheduleDef> schedules(Path dir, String yaml) throws IOException {
        Set<String> drills = new TreeSet<>();
        Matcher m = DRILL.matcher(yaml);
        while (m.find()) drills.add(m.group(1));
        StringBuilder declared = new StringBuilder();
        if (!drills.isEmpty()) {
            declared.append("backups:\n  app: { url: \"postgresql://postgres@127.0.0.1:5432/app\",")
                    .append(" destinations: { disk: { type: local, path: /var/backups/opsdeck } } }\ndrills:\n");
            drills.forEach(d -> declared.append("  ")
                    .append(d)
                    .append(": { target: app, scratch: { private: true }, min_tables: 1 }\n"));
        }
        return config(dir, yaml + declared).keep().schedules();
    }

    static Store embedded(Path dir) {
        return Store.open(new StoreConfig("embedded", 4, Position.NONE), dir);
    }

    static Store postgres(String url, Path dir) {
        return Store.open(new StoreConfig(url, 4, Position.NONE), dir);
    }
}
