package dev.opsdeck.store;

import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.probe.Status;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Child process of {@link KillNineTest}: writes results to the embedded store in a loop and prints
 * {@code committed N} (N = rows in the table) after every flush, until it is killed.
 */
public final class KillNineChild {
    public static void main(String[] args) throws Exception {
        Store store = Store.open(new StoreConfig("embedded", 4, Position.NONE), Path.of(args[0]));
        long base;
        try (Connection c = store.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM check_result")) {
            rs.next();
            base = rs.getLong(1);
        }
        ResultWriter writer = new ResultWriter(store, 100_000);
        System.out.println("started " + base);
        System.out.flush();
        long at = System.currentTimeMillis();
        while (true) {
            for (int i = 0; i < 25; i++) {
                writer.submit(
                        StoreContract.write("svc-" + i % 5 + "/check", at++, i % 9 == 0 ? Status.DOWN : Status.UP, i));
            }
            if (!writer.flush(10_000)) throw new IllegalStateException("flush timed out: " + writer.lastError());
            System.out.println("committed " + (base + writer.committed()));
            System.out.flush();
        }
    }
}
