package dev.opsdeck.probe.types;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.opsdeck.config.Json;
import dev.opsdeck.config.Problem;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.YamlNode;
import dev.opsdeck.config.YamlReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The value at a path in a YAML, JSON or Java properties file, with the line it is written on: the evidence
 * a readiness checklist shows ("runtime.profile is production, controller.yml line 12"). A file that is not
 * of its format is a {@link Failed}; a path that leads nowhere is a {@link Lookup} with the reason.
 */
final class DocumentValue {
    enum Format {
        YAML,
        JSON,
        PROPERTIES
    }

    /** Either the value and its 1-based line, or why there is none ({@code missing}). */
    record Lookup(Object value, int line, String missing) {
        static Lookup missing(String why) {
            return new Lookup(null, 0, why);
        }
    }

    private DocumentValue() {}

    static Lookup find(Format format, String text, Path file, List<Object> path, String written) throws Failed {
        return switch (format) {
            case YAML -> yaml(text, file, path, written);
            case JSON -> json(text, file, path, written);
            case PROPERTIES -> property(text, file, written);
        };
    }

    private static Lookup yaml(String text, Path file, List<Object> path, String written) throws Failed {
        Problems problems = new Problems();
        YamlNode node = YamlReader.literal().parse(text, file, problems);
        if (!problems.isEmpty()) {
            Problem p = problems.sorted().getFirst();
            throw notA("YAML", file, p.position().line(), p.position().column(), p.message());
        }
        if (node.isScalar()) {
            throw new Failed(file + ": not YAML (the whole file reads as one text, not a mapping or a list)");
        }
        int line = node.position().line();
        String where = "the top level";
        for (Object step : path) {
            YamlNode next = null;
            if (step instanceof Integer i && node.isList()) {
                if (i >= node.items().size()) {
                    return Lookup.missing(
                            written + ": " + where + " has " + node.items().size() + " items (line "
                                    + node.position().line() + ")");
                }
                next = node.items().get(i);
                line = next.position().line();
            } else if (step instanceof String key && node.isMap()) {
                for (var e : node.entries().entrySet()) {
                    if (e.getKey().name().equals(key)) {
                        next = e.getValue();
                        line = e.getKey().position().line(); // the key's line: a list value starts below it
                    }
                }
                if (next == null) {
                    return Lookup.missing(written + ": no key \"" + key + "\" in " + where + " (line "
                            + node.position().line() + ")");
                }
            } else {
                return Lookup.missing(written + ": " + where + " is " + yamlKind(node) + ", not "
                        + (step instanceof Integer ? "a list" : "a mapping") + " (line "
                        + node.position().line()
                        + ")");
            }
            where = "\"" + step + "\"";
            node = next;
        }
        return new Lookup(plain(node), line, null);
    }

    private static String yamlKind(YamlNode n) {
        return switch (n.kind()) {
            case MAP -> "a mapping";
            case LIST -> "a list";
            case NULL -> "empty";
            case SCALAR -> "text";
        };
    }

    /** A YAML node as plain values (text, maps, lists), so conditions and paths read it like JSON. */
    private static Object plain(YamlNode n) {
        return switch (n.kind()) {
            case NULL -> null;
            case SCALAR -> n.text();
            case LIST -> n.items().stream().map(DocumentValue::plain).toList();
            case MAP -> {
                Map<String, Object> m = new LinkedHashMap<>();
                n.entries().forEach((k, v) -> m.put(k.name(), plain(v)));
                yield m;
            }
        };
    }

    private static Lookup json(String text, Path file, List<Object> path, String written) throws Failed {
        try (JsonParser p = Json.MAPPER.createParser(text)) {
            // first the whole file, so a broken file fails even when the path lies before the break
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (p.nextToken() == null) {
                throw new Failed(file + ": not JSON (the file is empty)");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                var at = p.currentTokenLocation();
                throw notA("JSON", file, at.getLineNr(), at.getColumnNr(), "more than one value");
            }
        } catch (JsonProcessingException e) {
            throw notA(
                    "JSON", file, e.getLocation().getLineNr(), e.getLocation().getColumnNr(), e.getOriginalMessage());
        } catch (IOException e) {
            throw new Failed(file + ": " + e.getMessage());
        }
        try (JsonParser p = Json.MAPPER.createParser(text)) {
            p.nextToken();
            String where = "the top level";
            for (Object step : path) {
                int line = p.currentTokenLocation().getLineNr();
                String missing = step instanceof Integer i ? toItem(p, i) : toField(p, (String) step);
                if (missing != null) {
                    return Lookup.missing(written + ": " + where + " " + missing + " (line " + line + ")");
                }
                where = "\"" + step + "\"";
            }
            int line = p.currentTokenLocation().getLineNr();
            return new Lookup(Json.MAPPER.readValue(p, Object.class), line, null);
        } catch (IOException e) {
            throw new Failed(file + ": " + e.getMessage()); // checked above: not expected
        }
    }

    /** Moves the parser onto item {@code i} of the array it is on; or says why not. */
    private static String toItem(JsonParser p, int i) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) return "is " + jsonKind(p.currentToken()) + ", not a list";
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n++ == i) return null;
            p.skipChildren();
        }
        return "has " + n + " items";
    }

    /** Moves the parser onto the value of field {@code key} of the object it is on; or says why not. */
    private static String toField(JsonParser p, String key) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) return "is " + jsonKind(p.currentToken()) + ", not an object";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (name.equals(key)) return null;
            p.skipChildren();
        }
        return "has no field \"" + key + "\"";
    }

    private static String jsonKind(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "text";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> "a number";
        };
    }

    /**
     * The last definition of {@code key} (as {@link Properties} reads it: a later line wins), read one logical
     * line at a time so its line number is known.
     */
    private static Lookup property(String text, Path file, String key) throws Failed {
        Lookup found = Lookup.missing("no property \"" + key + "\"");
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int first = i;
            StringBuilder logical = new StringBuilder(lines[i]);
            String stripped = lines[i].stripLeading();
            boolean comment = stripped.startsWith("#") || stripped.startsWith("!");
            while (!comment && endsInOddBackslashes(lines[i]) && i + 1 < lines.length) {
                logical.append('\n').append(lines[++i]);
            }
            if (comment || stripped.isEmpty()) continue;
            Properties one = new Properties();
            try {
                one.load(new StringReader(logical.toString()));
            } catch (IllegalArgumentException | IOException e) {
                throw new Failed(file + ": not a properties file (line " + (first + 1) + ": " + e.getMessage() + ")");
            }
            if (one.containsKey(key)) {
                found = new Lookup(one.getProperty(key), first + 1, null);
            }
        }
        return found;
    }

    private static boolean endsInOddBackslashes(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) n++;
        return n % 2 == 1;
    }

    private static Failed notA(String format, Path file, long line, long column, String message) {
        String why = message.startsWith("malformed YAML: ") ? message.substring("malformed YAML: ".length()) : message;
        return new Failed(file + ": not " + format + " (line " + line + ", column " + column + ": " + why + ")");
    }
}
