package dev.opsdeck.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One backup target ({@code backups.<name>}): a PostgreSQL database, how {@code pg_dump} writes it, and the
 * destinations its files go to. {@code url} holds the resolved secret: never print it, use {@link #display()}.
 */
public record BackupDef(
        String name,
        String url,
        String format,
        int jobs,
        String compression,
        int level,
        Duration timeout,
        Path pgBin,
        List<String> channels,
        List<DestinationDef> destinations,
        Position position) {
    static final Set<String> FORMATS = ordered("plain", "custom", "directory");
    static final Set<String> COMPRESSIONS = ordered("gzip", "zstd");

    /** A set that lists in the order written, so hints read the same every run. */
    static Set<String> ordered(String... values) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(values)));
    }

    /** The URL with its password masked, for logs, the API and messages. */
    public String display() {
        try {
            return PostgresUrl.parse(url).display();
        } catch (IllegalArgumentException e) {
            return "(invalid URL)";
        }
    }

    @Override
    public String toString() {
        return "BackupDef[" + name + " " + display() + " " + format + " " + compression + ":" + level + " "
                + destinations + "]";
    }

    static BackupDef read(YamlNode.Key key, YamlNode node, Problems problems) {
        String section = "backups." + key.name();
        Fields f = new Fields(node, section, problems);
        String url = f.requiredString("url");
        if (url != null) {
            try {
                PostgresUrl parsed = PostgresUrl.parse(url);
                YamlNode n = f.node("url");
                if (parsed.password() != null && n != null && !n.fromSecret()) {
                    problems.literalSecret(n.position(), section + ".url (its password)");
                }
            } catch (IllegalArgumentException e) {
                problems.add(
                        f.positionOf("url"),
                        section + ".url: " + e.getMessage(),
                        "postgresql://user:${env:DB_PASSWORD}@host:5432/db");
            }
        }
        String format = f.oneOf("format", "plain", FORMATS);
        int jobs = f.integer("jobs", 1, 1, 64);
        if (jobs > 1 && !"directory".equals(format)) {
            problems.add(
                    f.positionOf("jobs"),
                    section + ".jobs: parallel jobs need format: directory",
                    "pg_dump dumps in parallel only into a directory; remove jobs or set format: directory");
        }
        String compression = f.oneOf("compression", "gzip", COMPRESSIONS);
        int max = "zstd".equals(compression) ? 19 : 9;
        int level = f.integer("level", "zstd".equals(compression) ? 1 : 6, 1, max);
        Duration timeout = f.positiveDuration("timeout", Duration.ofHours(6));
        Path binPath = f.path("pg_bin");
        String bin = binPath == null ? null : binPath.toString();
        if (binPath != null && !binPath.isAbsolute()) {
            problems.add(
                    f.positionOf("pg_bin"),
                    section + ".pg_bin: must be an absolute path, got \"" + bin + "\"",
                    "e.g. /usr/lib/postgresql/16/bin");
        }
        List<String> notify = f.strings("notify");
        List<DestinationDef> destinations = new ArrayList<>();
        Fields d = f.child("destinations");
        d.names()
                .forEach((k, v) ->
                        destinations.add(DestinationDef.read(section + ".destinations." + k.name(), k, v, problems)));
        if (!f.has("destinations")) {
            problems.add(
                    f.position(),
                    section + ": missing required key 'destinations'",
                    "at least one, e.g. destinations: { disk: { type: local, path: /var/backups/opsdeck } }");
        }
        f.finish();
        return new BackupDef(
                key.name(),
                url,
                format,
                jobs,
                compression,
                level,
                timeout,
                binPath,
                List.copyOf(notify),
                List.copyOf(destinations),
                key.position());
    }
}
