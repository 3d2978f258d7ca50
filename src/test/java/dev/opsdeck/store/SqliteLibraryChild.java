package dev.opsdeck.store;

import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens an embedded store in {@code args[0]} and prints where the SQLite library was mapped from. */
public final class SqliteLibraryChild {
    public static void main(String[] args) throws Exception {
        try (Store store = Store.open(new StoreConfig("embedded", 2, Position.NONE), Path.of(args[0]))) {
            store.read(
                    "probe", c -> c.createStatement().executeQuery("SELECT 1").next());
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.contains("sqlitejdbc")) System.out.println("loaded " + line.substring(line.indexOf('/')));
        }
    }
}
