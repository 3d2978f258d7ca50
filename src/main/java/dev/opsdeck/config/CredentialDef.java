package dev.opsdeck.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * One secret the stack depends on ({@code credentials: NAME:}): who owns it, what it is for, how often it must
 * change, where Opsdeck can read it to notice a change, and the runbook that rotates it.
 *
 * @param source where the secret is read at each refresh ({@code file:PATH} or {@code env:NAME}); null for a manual
 *     item, whose age counts from {@code lastRotated}
 * @param lastRotated when it last changed as far as people know: a manual item's age, and a read one's until
 *     Opsdeck sees it change; null when not given
 * @param overlap how long the previous value stays valid after a rotation (both work meanwhile); zero when none
 */
public record CredentialDef(
        String name,
        String owner,
        String purpose,
        Duration rotateEvery,
        Source source,
        LocalDate lastRotated,
        String rotationRunbook,
        Duration overlap,
        String severity,
        Position position) {
    /** A place Opsdeck reads the secret from: a file (absolute, or relative to the config file) or a variable. */
    public record Source(String kind, String ref) {
        @Override
        public String toString() {
            return kind + ":" + ref;
        }
    }

    /** The settings, without the position: a line moved is the same configuration. */
    @Override
    public String toString() {
        return "CredentialDef[" + name + " owner=" + owner + " purpose=" + purpose + " every=" + rotateEvery
                + " source=" + source + " last_rotated=" + lastRotated + " runbook=" + rotationRunbook + " overlap="
                + overlap + " severity=" + severity + "]";
    }

    static CredentialDef read(YamlNode.Key key, YamlNode node, Set<String> runbooks, Problems problems) {
        String section = "credentials." + key.name();
        Fields f = new Fields(node, section, problems);
        String owner = f.string("owner", "");
        String purpose = f.string("purpose", "");
        Duration every = f.positiveDuration("rotate_every", null);
        if (every == null && !f.has("rotate_every")) {
            problems.add(f.position(), section + ": missing required key 'rotate_every'", "e.g. rotate_every: 90d");
        }
        Source source = source(f, section, problems);
        LocalDate last = lastRotated(f, section, source, problems);
        String runbook = f.string("rotation_runbook", null);
        if (runbook != null && !runbooks.contains(runbook)) {
            String guess = Fields.closest(runbook, runbooks);
            problems.add(
                    f.positionOf("rotation_runbook"),
                    section + ".rotation_runbook: no runbook '" + runbook + "'",
                    guess != null ? "did you mean '" + guess + "'?" : "define it under runbooks:");
        }
        Duration overlap = f.duration("overlap", Duration.ZERO);
        if (overlap.isNegative()) {
            problems.add(f.positionOf("overlap"), section + ".overlap: must not be negative");
        }
        String severity = f.oneOf("severity", "P3", Set.of("P1", "P2", "P3", "P4"));
        f.finish();
        return new CredentialDef(
                key.name(), owner, purpose, every, source, last, runbook, overlap, severity, key.position());
    }

    /** {@code file:PATH} or {@code env:NAME}, written without ${}: Opsdeck reads it at each refresh, not at load. */
    private static Source source(Fields f, String section, Problems problems) {
        YamlNode n = f.node("source");
        if (n == null) return null;
        String hint = "write file:/etc/app/api_key or env:API_KEY, without ${}, so Opsdeck reads it at each refresh";
        if (!n.isScalar() || n.fromSecret()) {
            problems.add(
                    n.position(),
                    section + ".source: expected a reference, got "
                            + (n.isScalar() ? "a resolved secret" : n.describe()),
                    hint);
            return null;
        }
        String text = n.text().strip();
        int colon = text.indexOf(':');
        String kind = colon < 0 ? "" : text.substring(0, colon);
        String ref = colon < 0 ? "" : text.substring(colon + 1).strip();
        if (!(kind.equals("file") || kind.equals("env")) || ref.isEmpty()) {
            problems.add(n.position(), section + ".source: \"" + text + "\" is not file:PATH or env:NAME", hint);
            return null;
        }
        if (kind.equals("env")) return new Source(kind, ref);
        try {
            Path path = Path.of(ref);
            Path dir = Path.of(n.position().file()).getParent();
            if (!path.isAbsolute() && dir != null) path = dir.resolve(path);
            return new Source(kind, path.toAbsolutePath().normalize().toString());
        } catch (InvalidPathException e) {
            problems.add(n.position(), section + ".source: not a valid path: " + e.getReason());
            return null;
        }
    }

    private static LocalDate lastRotated(Fields f, String section, Source source, Problems problems) {
        String text = f.string("last_rotated", null);
        if (text == null) {
            if (source == null && !f.has("source")) {
                problems.add(
                        f.position(),
                        section + ": a credential without source: needs last_rotated:",
                        "the date it was last changed, e.g. last_rotated: 2026-01-15");
            }
            return null;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            problems.add(
                    f.positionOf("last_rotated"),
                    section + ".last_rotated: \"" + text + "\" is not a date",
                    "write YYYY-MM-DD, e.g. 2026-01-15");
            return null;
        }
    }
}
