package dev.opsdeck.backup;

import dev.opsdeck.config.BackupDef;
import dev.opsdeck.config.DestinationDef;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies each destination's retention ({@link Retention}) to the stored copies, or lists what it would delete. */
final class Pruning {
    private static final Logger LOG = LoggerFactory.getLogger(Pruning.class);
    private final BackupDef def;
    private final BackupStore store;
    private final List<Destination> destinations;
    private final Clock clock;

    Pruning(BackupDef def, BackupStore store, List<Destination> destinations, Clock clock) {
        this.def = def;
        this.store = store;
        this.destinations = destinations;
        this.clock = clock;
    }

    List<Backups.Expired> apply(boolean dryRun) {
        List<Backups.Expired> out = new ArrayList<>();
        try {
            List<Backup> all = store.list(def.name(), 100_000);
            for (DestinationDef dd : def.destinations()) {
                Destination d = destinations.stream()
                        .filter(x -> x.name().equals(dd.name()))
                        .findFirst()
                        .orElseThrow();
                List<Backup> held = all.stream()
                        .filter(b -> b.copy(dd.name()) != null
                                && (b.copy(dd.name()).status().equals(Backup.VERIFIED)
                                        || b.copy(dd.name()).status().equals(Backup.FAILED)))
                        .toList();
                for (Backup b : Retention.expired(held, dd.name(), dd.keepLast(), dd.maxAge(), clock.millis())) {
                    Backup.Copy c = b.copy(dd.name());
                    out.add(new Backups.Expired(
                            b.id(),
                            b.fileName(),
                            dd.name(),
                            c.location(),
                            Instant.ofEpochMilli(b.startedMs()).toString()));
                    if (dryRun) continue;
                    try {
                        d.delete(b.fileName());
                        store.copy(
                                b.id(),
                                new Backup.Copy(
                                        c.destination(),
                                        c.location(),
                                        Backup.Copy.DELETED,
                                        c.attempts(),
                                        null,
                                        c.verifiedMs(),
                                        null));
                        Backup now = store.get(b.id());
                        if (now.copies().stream().allMatch(x -> x.status().equals(Backup.Copy.DELETED))) {
                            store.status(b.id(), Backup.EXPIRED, null, null, clock.millis());
                        }
                        LOG.info(
                                "event=backup_expired target={} id={} destination={} location={}",
                                def.name(),
                                b.id(),
                                dd.name(),
                                c.location());
                    } catch (IOException e) {
                        LOG.warn(
                                "event=backup_expire_failed target={} id={} destination={} location={} error=\"{}\"",
                                def.name(),
                                b.id(),
                                dd.name(),
                                c.location(),
                                Backups.message(e));
                    }
                }
            }
            return out;
        } finally {
            Backups.closeAll(destinations);
        }
    }
}
