package dev.opsdeck.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One restore drill ({@code drills.<name>}): which backup of which target to restore, where (a temporary database
 * on a server, or a private PostgreSQL started for the drill) and what the restored database must show.
 * {@code backupId} null means the newest verified backup; {@code minTables} null means no table-count expectation.
 */
public record DrillDef(
        String name,
        String target,
        Long backupId,
        Scratch scratch,
        Duration timeout,
        List<String> channels,
        Integer minTables,
        List<TableExpectation> tables,
        List<Assertion> assertions,
        Position position) {
    /** A schema-qualified or plain table name, as stored in the catalog: quoted as written when queried. */
    static final Pattern TABLE = Pattern.compile("([A-Za-z_][A-Za-z0-9_$]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_$]{0,62}");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    /** An {@code expect:} that starts with one of these ({@code >= 3}) is read as {@code [VALUE] >= 3}. */
    static final Set<String> OPERATOR_START = BackupDef.ordered("==", "!=", "<=", ">=", "<", ">");

    /**
     * Where the backup is restored. {@code server} (a URL holding the resolved secret: never print it) gets a
     * temporary database; {@code privateInstance} starts a PostgreSQL from {@code pgBin} (null: detected) in a
     * directory under {@code dir} (null: the system's temporary directory).
     */
    public record Scratch(String server, boolean privateInstance, Path pgBin, Path dir) {
        @Override
        public String toString() { // never the server's password
            return privateInstance ? "private[" + pgBin + " " + dir + "]" : "server[" + display(server) + "]";
        }
    }

    /** Row expectations of one restored table; {@code withinPercent} null when not compared with the source. */
    public record TableExpectation(String table, long minRows, Double withinPercent, Position position) {
        @Override
        public String toString() { // the settings only: a position is where, not what
            return table + "[min_rows " + minRows + (withinPercent == null ? "" : ", within " + withinPercent + "%")
                    + "]";
        }
    }

    /** A custom SQL assertion: the query runs in the restored database and {@code expect} judges it. */
    public record Assertion(String name, String query, String expect, Position expectPosition) {
        @Override
        public String toString() {
            return name + "[" + query + " => " + expect + "]";
        }
    }

    @Override
    public String toString() {
        return "DrillDef[" + name + " target " + target + " backup " + (backupId == null ? "latest" : backupId) + " "
                + scratch + " timeout " + timeout + " notify " + channels + " min_tables " + minTables + " " + tables
                + " "
                + assertions + "]";
    }

    /** The scratch server's URL with its password masked. */
    static String display(String url) {
        if (url == null) return "";
        try {
            return PostgresUrl.parse(url).display();
        } catch (IllegalArgumentException e) {
            return "(invalid URL)";
        }
    }

    static DrillDef read(YamlNode.Key key, YamlNode node, Map<String, BackupDef> backups, Problems problems) {
        String section = "drills." + key.name();
        if (!NAME.matcher(key.name()).matches()) {
            problems.add(
                    key.position(),
                    "drill name '" + key.name() + "' is not allowed",
                    "use letters, digits, '_' or '-', starting with a letter or digit");
        }
        Fields f = new Fields(node, section, problems);
        String target = f.requiredString("target");
        if (target != null && !backups.containsKey(target)) {
            String guess = Fields.closest(target, backups.keySet());
            problems.add(
                    f.positionOf("target"),
                    section + ".target: no backup target '" + target + "'",
                    guess != null
                            ? "did you mean '" + guess + "'?"
                            : backups.isEmpty()
                                    ? "define it under backups: first"
                                    : "backup targets: " + String.join(", ", backups.keySet()));
        }
        Long backupId = backupId(f, section, problems);
        Scratch scratch = scratch(f, section, problems);
        Duration timeout = f.positiveDuration("timeout", Duration.ofHours(6));
        List<String> notify = f.strings("notify");
        Integer minTables = f.has("min_tables") ? f.integer("min_tables", 1, 1, 100_000) : null;
        List<TableExpectation> tables = new ArrayList<>();
        f.child("tables").names().forEach((k, v) -> {
            TableExpectation t = table(section + ".tables." + k.name(), k, v, problems);
            if (t != null) tables.add(t);
        });
        List<Assertion> assertions = new ArrayList<>();
        f.child("assertions").names().forEach((k, v) -> {
            Assertion a = assertion(section + ".assertions." + k.name(), k, v, problems);
            if (a != null) assertions.add(a);
        });
        if (minTables == null && tables.isEmpty() && assertions.isEmpty()) {
            problems.add(
                    key.position(),
                    section + ": a drill needs at least one expectation",
                    "add min_tables:, tables: or assertions:; a restore that is not checked proves little");
        }
        f.finish();
        return new DrillDef(
                key.name(),
                target,
                backupId,
                scratch,
                timeout,
                List.copyOf(notify),
                minTables,
                List.copyOf(tables),
                List.copyOf(assertions),
                key.position());
    }

    private static Long backupId(Fields f, String section, Problems problems) {
        String which = f.string("backup", "latest");
        if (which == null || which.equals("latest")) return null;
        if (which.matches("[1-9][0-9]{0,17}")) return Long.parseLong(which);
        problems.add(
                f.positionOf("backup"),
                section + ".backup: expected latest or a backup id, got \"" + which + "\"",
                "the backup target goes in target:; backup: chooses which of its backups (default: latest verified)");
        return null;
    }

    private static Scratch scratch(Fields parent, String section, Problems problems) {
        String where = section + ".scratch";
        if (!parent.has("scratch")) {
            problems.add(
                    parent.position(),
                    section + ": missing required key 'scratch'",
                    "scratch: { private: true } (a PostgreSQL started for the drill) or scratch: { server: postgresql://... }");
            return null;
        }
        Fields f = parent.child("scratch");
        String server = f.string("server", null);
        boolean isPrivate = f.bool("private", false);
        Path pgBin = absolute(f, "pg_bin", where, "e.g. /usr/lib/postgresql/16/bin", problems);
        Path dir = absolute(f, "dir", where, "e.g. /var/lib/opsdeck/drills", problems);
        if (server != null && isPrivate) {
            problems.add(
                    f.position(),
                    where + ": server and private: true exclude each other",
                    "restore into a temporary database on a server, or into a private PostgreSQL: choose one");
        } else if (server == null && !isPrivate) {
            problems.add(
                    f.position(),
                    where + ": give server: (a temporary database is created there) or private: true",
                    "e.g. scratch: { private: true }");
        }
        if (server != null) {
            try {
                PostgresUrl parsed = PostgresUrl.parse(server);
                YamlNode n = f.node("server");
                if (parsed.password() != null && n != null && !n.fromSecret()) {
                    problems.literalSecret(n.position(), where + ".server (its password)");
                }
            } catch (IllegalArgumentException e) {
                problems.add(
                        f.positionOf("server"),
                        where + ".server: " + e.getMessage(),
                        "postgresql://drill:${env:DRILL_DB_PASSWORD}@scratch.internal:5432/postgres");
            }
            if (pgBin != null) {
                problems.add(
                        f.positionOf("pg_bin"),
                        where + ".pg_bin: only used with private: true",
                        "the restore tools come from the target's backups.<name>.pg_bin");
            }
            if (dir != null) {
                problems.add(
                        f.positionOf("dir"),
                        where + ".dir: only used with private: true",
                        "a temporary database on a server needs no local directory");
            }
        }
        f.finish();
        return new Scratch(server, isPrivate && server == null, pgBin, dir);
    }

    private static Path absolute(Fields f, String key, String where, String example, Problems problems) {
        Path path = f.path(key);
        if (path == null) return null;
        if (!path.isAbsolute()) {
            problems.add(
                    f.positionOf(key), where + "." + key + ": must be an absolute path, got \"" + path + "\"", example);
            return null;
        }
        return path;
    }

    private static TableExpectation table(String where, YamlNode.Key key, YamlNode node, Problems problems) {
        if (!TABLE.matcher(key.name()).matches()) {
            problems.add(
                    key.position(),
                    where.substring(0, where.lastIndexOf(".tables.") + 7) + ": '" + key.name()
                            + "' is not a table name",
                    "write table or schema.table, letters, digits, '_' and '$'");
        }
        Fields f = new Fields(node, where, problems);
        int minRows = f.integer("min_rows", 1, 0, 1_000_000_000);
        Double percent = null;
        YamlNode p = f.node("within_percent_of_source");
        if (p != null) {
            String text = p.isScalar() ? p.text().trim() : "";
            try {
                double v = Double.parseDouble(text.endsWith("%") ? text.substring(0, text.length() - 1) : text);
                if (!(v >= 0 && v <= 100)) throw new NumberFormatException();
                percent = v;
            } catch (NumberFormatException e) {
                problems.add(
                        p.position(),
                        where + ".within_percent_of_source: expected a percentage from 0 to 100, got " + p.describe(),
                        "e.g. 10 or 10%: the restored count may differ from the live source's by that much");
            }
        }
        f.finish();
        return new TableExpectation(key.name(), minRows, percent, key.position());
    }

    private static Assertion assertion(String where, YamlNode.Key key, YamlNode node, Problems problems) {
        Fields f = new Fields(node, where, problems);
        String query = f.requiredString("query");
        String expect = f.requiredString("expect");
        Position at = f.positionOf("expect");
        f.finish();
        if (query == null || expect == null) return null;
        String trimmed = expect.trim();
        // "> 3" is short for "[VALUE] > 3": the first column of the first row
        for (String op : OPERATOR_START) {
            if (trimmed.startsWith(op)) {
                trimmed = "[VALUE] " + trimmed;
                break;
            }
        }
        return new Assertion(key.name(), query, trimmed, at);
    }
}
