package dev.opsdeck.probe.types;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.Fields;
import dev.opsdeck.probe.CheckType;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Probe;
import dev.opsdeck.probe.condition.ConditionParser;
import dev.opsdeck.probe.condition.ConditionSyntaxException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code type: file} — what a readiness checklist asks of a file: that it exists or is gone, its mode and
 * owner, a line it contains, or the value at a path in it (YAML, JSON, properties). A missing file is a
 * measurement ({@code [EXISTS] == false}), not a failure. Results carry the evidence (path, line, value),
 * never the file's content; a value under a secret-looking name is compared but never shown.
 */
public final class FileCheck implements CheckType {
    private static final List<String> LOOKUP_KEYS = List.of("yaml_path", "json_path", "property");
    /** Names whose values are secrets unless {@code secret: false} says otherwise. */
    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(key|token|password|passwd|secret|credential|webhook).*");

    private record Lookup(DocumentValue.Format format, List<Object> path, String written, boolean secret) {}

    private record Settings(Path path, boolean followLinks, Pattern contains, Lookup lookup) {}

    @Override
    public String name() {
        return "file";
    }

    @Override
    public Set<String> placeholders() {
        return Set.of(
                "EXISTS",
                "TYPE",
                "MODE",
                "OWNER",
                "GROUP",
                "SIZE",
                "AGE",
                "PATH",
                "CONTAINS",
                "LINE",
                "VALUE",
                "RESPONSE_TIME");
    }

    @Override
    public List<String> defaultConditions() {
        return List.of("[EXISTS] == true");
    }

    /** With {@code contains:} the text must be found; with a value path the value must be there. */
    @Override
    public List<String> defaultConditions(Fields settings) {
        List<String> out = new ArrayList<>(defaultConditions());
        if (settings.has("contains")) out.add("[CONTAINS] == true");
        if (LOOKUP_KEYS.stream().anyMatch(settings::has)) out.add("[VALUE] != null");
        return out;
    }

    @Override
    public Probe configure(CheckDef check, Fields f) {
        Path path = f.path("path");
        if (path == null && !f.has("path")) {
            f.problems()
                    .add(f.position(), f.section() + ": missing required key 'path'", "write path: /etc/app/app.yml");
        } else if (path != null && !path.isAbsolute()) {
            f.problems()
                    .add(
                            f.positionOf("path"),
                            f.section() + ".path: must be an absolute path, got \"" + path + "\"",
                            "the check runs wherever opsdeck was started; write the whole path from /");
            path = null;
        }
        boolean follow = f.bool("follow_links", true);
        int before = f.problems().sorted().size();
        Pattern contains = contains(f);
        Lookup lookup = lookup(f);
        if (contains != null && lookup != null) {
            f.problems()
                    .add(
                            f.positionOf("contains"),
                            f.section() + ": contains and " + lookupKey(f) + " cannot be combined",
                            "write two checks: one searches the text, the other reads the value");
        }
        if (path == null || f.problems().sorted().size() > before) {
            return null;
        }
        Settings s = new Settings(path, follow, contains, lookup);
        return context -> observe(s, new Deadline(context.timeout()));
    }

    private static Pattern contains(Fields f) {
        String text = f.string("contains", null);
        if (text == null) return null;
        if (text.isEmpty() || text.equals("regex:")) {
            f.problems().add(f.positionOf("contains"), f.section() + ".contains: must not be empty");
            return null;
        }
        if (!text.startsWith("regex:")) {
            if (text.contains("\n")) {
                f.problems()
                        .add(
                                f.positionOf("contains"),
                                f.section() + ".contains: must be one line; the file is searched line by line");
                return null;
            }
            return Pattern.compile(Pattern.quote(text));
        }
        try {
            return Pattern.compile(text.substring("regex:".length()));
        } catch (PatternSyntaxException e) {
            f.problems()
                    .add(
                            f.positionOf("contains"),
                            f.section() + ".contains: invalid regular expression: " + e.getDescription()
                                    + " at character " + e.getIndex(),
                            "Java regular expression syntax; without regex: the text is searched as written");
            return null;
        }
    }

    private static String lookupKey(Fields f) {
        return LOOKUP_KEYS.stream().filter(f::has).findFirst().orElse(null);
    }

    private static Lookup lookup(Fields f) {
        String key = lookupKey(f);
        String other = LOOKUP_KEYS.stream()
                .filter(k -> !k.equals(key) && f.has(k))
                .findFirst()
                .orElse(null);
        boolean secretGiven = f.has("secret");
        if (key == null) {
            if (secretGiven) {
                f.problems()
                        .add(
                                f.positionOf("secret"),
                                f.section() + ".secret: only with yaml_path, json_path or property");
            }
            return null;
        }
        if (other != null) {
            f.problems()
                    .add(
                            f.positionOf(other),
                            f.section() + ": " + key + " and " + other + " cannot be combined",
                            "a check reads one value; write one check for each");
            return null;
        }
        String written = f.string(key, "");
        List<Object> path;
        if (key.equals("property")) {
            path = List.of(written); // a property's name is the whole key, dots and all
        } else {
            try {
                path = ConditionParser.documentPath(written);
            } catch (ConditionSyntaxException e) {
                f.problems().add(f.positionOf(key), f.section() + "." + key + ": " + e.getMessage(), e.hint());
                return null;
            }
        }
        String name = path.stream()
                .filter(String.class::isInstance)
                .map(String.class::cast)
                .reduce((a, b) -> b)
                .orElse("");
        boolean secret = f.bool("secret", SECRET_NAME.matcher(name).matches());
        DocumentValue.Format format = switch (key) {
            case "yaml_path" -> DocumentValue.Format.YAML;
            case "json_path" -> DocumentValue.Format.JSON;
            default -> DocumentValue.Format.PROPERTIES;
        };
        return new Lookup(format, path, written.strip(), secret);
    }

    private static Observation observe(Settings s, Deadline deadline) throws IOException {
        Observation o = new Observation().put("PATH", s.path().toString());
        LinkOption[] options = s.followLinks() ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        Map<String, Object> a;
        try {
            a = Files.readAttributes(
                    s.path(),
                    "unix:mode,owner,group,size,lastModifiedTime,isRegularFile,isDirectory,isSymbolicLink",
                    options);
        } catch (NoSuchFileException e) {
            return missing(o, s, "no such file: " + s.path());
        } catch (AccessDeniedException e) {
            return o.fail("permission denied: " + s.path());
        }
        o.put("EXISTS", true);
        o.put("TYPE", type(a));
        o.put("MODE", String.format("%04o", (Integer) a.get("mode") & 07777));
        o.put("OWNER", ((UserPrincipal) a.get("owner")).getName());
        o.put("GROUP", ((GroupPrincipal) a.get("group")).getName());
        o.put("SIZE", new Observation.Size((Long) a.get("size")));
        Duration age = Duration.between(((FileTime) a.get("lastModifiedTime")).toInstant(), Instant.now());
        o.put("AGE", age.isNegative() ? Duration.ZERO : age); // a clock set back must not read as "in the future"
        try {
            if (s.contains() != null) search(o, s, deadline);
            if (s.lookup() != null) find(o, s);
        } catch (Failed e) {
            o.fail(e.getMessage());
        }
        return o.put("RESPONSE_TIME", deadline.elapsed());
    }

    private static String type(Map<String, Object> a) {
        if (Boolean.TRUE.equals(a.get("isSymbolicLink"))) return "link";
        if (Boolean.TRUE.equals(a.get("isDirectory"))) return "directory";
        if (Boolean.TRUE.equals(a.get("isRegularFile"))) return "file";
        return "other";
    }

    /** A file that is not there: every other measurement says so, so a condition on it reads why. */
    private static Observation missing(Observation o, Settings s, String why) {
        o.put("EXISTS", false);
        for (String name : List.of("TYPE", "MODE", "OWNER", "GROUP", "SIZE", "AGE")) o.absent(name, why);
        if (s.contains() != null) o.absent("CONTAINS", why);
        if (s.contains() != null || s.lookup() != null) o.absent("LINE", why);
        if (s.lookup() != null) o.absent("VALUE", why);
        return o;
    }

    private static void search(Observation o, Settings s, Deadline deadline) throws Failed, IOException {
        int line = FileContent.firstLine(FileContent.read(s.path()), s.path(), s.contains(), deadline);
        o.put("CONTAINS", line > 0);
        if (line > 0) {
            o.put("LINE", (long) line);
        } else {
            o.absent("LINE", "not found in " + s.path());
        }
    }

    private static void find(Observation o, Settings s) throws Failed, IOException {
        byte[] bytes = FileContent.read(s.path());
        Lookup l = s.lookup();
        String text = l.format() == DocumentValue.Format.PROPERTIES
                ? FileContent.properties(bytes, s.path())
                : FileContent.utf8(bytes, s.path());
        DocumentValue.Lookup found = DocumentValue.find(l.format(), text, s.path(), l.path(), l.written());
        if (found.missing() != null) {
            o.absent("VALUE", found.missing()).absent("LINE", found.missing());
            return;
        }
        o.put("VALUE", l.secret() ? new Observation.Secret(found.value()) : found.value());
        o.put("LINE", (long) found.line());
    }
}
