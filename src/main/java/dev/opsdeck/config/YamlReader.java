package dev.opsdeck.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one YAML file into positioned {@link YamlNode}s and resolves {@code ${env:NAME}}
 * and {@code ${file:PATH}} references. Problems are collected, never thrown one at a time.
 */
public final class YamlReader {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]*)}");
    /** Largest configuration file: generous (100,000 services fit), and bounded so a stray file cannot exhaust memory. */
    static final int MAX_FILE_BYTES = 64 * 1000 * 1000;
    /** Longest line; longer lines make the YAML parser slow (quadratic in the length of an unbroken run). */
    static final int MAX_LINE_CHARS = 64 * 1024;
    /** Longest value, e.g. a runbook's script, after ${env:}/${file:} references are resolved. */
    static final int MAX_VALUE_CHARS = 1024 * 1024;
    /** Longest mapping key; keys are names. */
    static final int MAX_KEY_CHARS = 256;
    /** Texts up to this long are shared between equal occurrences in one file (see {@code shared}). */
    private static final int SHARED_MAX_CHARS = 64;

    private final UnaryOperator<String> environment;
    /** False for files that are not Opsdeck's configuration: their ${...} is text, never a read of a file or variable. */
    private final boolean references;

    public YamlReader(UnaryOperator<String> environment) {
        this(environment, true);
    }

    private YamlReader(UnaryOperator<String> environment, boolean references) {
        this.environment = environment;
        this.references = references;
    }

    /** A reader for someone else's YAML (a checked file): every value stays as written. */
    public static YamlReader literal() {
        return new YamlReader(name -> null, false);
    }

    public static YamlReader withSystemEnvironment() {
        return new YamlReader(System::getenv);
    }

    /** Returns the document's root, or null when the file is unreadable or malformed. */
    public YamlNode read(Path file, Problems problems) {
        return read(file, problems, new HashSet<>());
    }

    /** Like {@link #read(Path, Problems)}, adding every {@code ${file:...}} it reads to {@code secretFiles}. */
    public YamlNode read(Path file, Problems problems, Set<Path> secretFiles) {
        String name = file.toString();
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                problems.add(
                        new Position(name, 1, 1),
                        "the file is " + Units.formatBytes(size) + "; the limit is " + Units.formatBytes(MAX_FILE_BYTES)
                                + " per file",
                        "split the configuration into several files:"
                                + " pass a directory of YAML files, or list the parts under include:");
                return null;
            }
            text = utf8(Files.readAllBytes(file), name, problems);
        } catch (IOException e) {
            problems.add(new Position(name, 1, 1), "cannot read file: " + reason(e));
            return null;
        }
        return text == null ? null : parse(text, file, problems, secretFiles);
    }

    /** Parses {@code text}, the content of {@code file}; returns the root, or null (reported) when malformed. */
    public YamlNode parse(String text, Path file, Problems problems) {
        return parse(text, file, problems, new HashSet<>());
    }

    private YamlNode parse(String text, Path file, Problems problems, Set<Path> secretFiles) {
        String name = file.toString();
        if (!linesWithinLimit(text, name, problems)) {
            return null;
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // reported below with both positions
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(MAX_FILE_BYTES); // a UTF-8 file has at most as many code points as bytes
        try {
            Node root = new Yaml(options).compose(new StringReader(text));
            if (root == null) {
                return YamlNode.nil(new Position(name, 1, 1));
            }
            return convert(root, file, problems, secretFiles, new HashMap<>());
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            Position at = mark == null ? new Position(name, 1, 1) : position(name, mark);
            String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
            problems.add(at, "malformed YAML: " + problem, "check indentation and quoting around this spot");
            return null;
        } catch (RuntimeException e) {
            problems.add(new Position(name, 1, 1), "malformed YAML: " + e.getMessage());
            return null;
        }
    }

    /** The text of a UTF-8 file; null (reported with the byte's line and offset) when it is not UTF-8. */
    private static String utf8(byte[] bytes, String name, Problems problems) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (!result.isError()) {
            return out.flip().toString();
        }
        int offset = in.position();
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = new String(bytes, lineStart, offset - lineStart, StandardCharsets.UTF_8).length() + 1;
        problems.add(
                new Position(name, line, column),
                "the file is not UTF-8: byte 0x" + String.format("%02X", bytes[offset] & 0xff) + " at byte offset "
                        + offset + " is not valid UTF-8",
                "save the file as UTF-8");
        return null;
    }

    /**
     * Reports lines over {@link #MAX_LINE_CHARS}; the YAML parser takes quadratic time on a long unbroken
     * run of text, so such a file is refused before it is parsed.
     */
    private static boolean linesWithinLimit(String text, String name, Problems problems) {
        boolean ok = true;
        int line = 1;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                if (i - start > MAX_LINE_CHARS) {
                    problems.add(
                            new Position(name, line, 1),
                            "line " + line + " is " + (i - start) + " characters long; the limit is " + MAX_LINE_CHARS,
                            "keep long content such as a script or a certificate in a file of its own");
                    ok = false;
                }
                line++;
                start = i + 1;
            }
        }
        return ok;
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof AccessDeniedException) return "permission denied";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * {@code strings} shares equal keys and short plain values within one file: a configuration of 100,000 checks
     * repeats "type", "url", "interval", "60s" ... once per check, and the checks keep their nodes while they run.
     */
    private YamlNode convert(
            Node node, Path file, Problems problems, Set<Path> secretFiles, Map<String, String> strings) {
        Position at = position(file.toString(), node.getStartMark());
        if (node instanceof ScalarNode s) {
            if (s.getTag().equals(Tag.NULL)) {
                return YamlNode.nil(at);
            }
            YamlNode value = interpolate(shared(s.getValue(), strings), at, file, problems, secretFiles);
            if (value.text().length() > MAX_VALUE_CHARS) {
                problems.cause(
                        at,
                        "the value is " + value.text().length() + " characters long; the limit is " + MAX_VALUE_CHARS,
                        "keep long content such as a script in a file of its own");
                return YamlNode.scalar("", at, value.fromSecret());
            }
            return value;
        }
        if (node instanceof SequenceNode seq) {
            List<YamlNode> items = new ArrayList<>();
            for (Node item : seq.getValue()) {
                items.add(convert(item, file, problems, secretFiles, strings));
            }
            return YamlNode.list(items, at);
        }
        MappingNode mapping = (MappingNode) node;
        LinkedHashMap<YamlNode.Key, YamlNode> entries = new LinkedHashMap<>();
        Map<String, Position> seen = new HashMap<>();
        for (var tuple : mapping.getValue()) {
            Position keyAt = position(file.toString(), tuple.getKeyNode().getStartMark());
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                problems.add(keyAt, "mapping keys must be plain text");
                continue;
            }
            if (key.getValue().length() > MAX_KEY_CHARS) {
                problems.add(
                        keyAt, "a key of " + key.getValue().length() + " characters; the limit is " + MAX_KEY_CHARS);
                continue;
            }
            Position earlier = seen.putIfAbsent(key.getValue(), keyAt);
            if (earlier != null) {
                problems.add(keyAt, "duplicate key '" + key.getValue() + "'", "first defined at " + earlier);
                continue;
            }
            entries.put(
                    new YamlNode.Key(shared(key.getValue(), strings), keyAt),
                    convert(tuple.getValueNode(), file, problems, secretFiles, strings));
        }
        return YamlNode.map(entries, at);
    }

    /** The one copy of a short text within a file; long texts (scripts, URLs with ids) are rarely repeated. */
    private static String shared(String text, Map<String, String> strings) {
        return text.length() > SHARED_MAX_CHARS ? text : strings.computeIfAbsent(text, t -> t);
    }

    private YamlNode interpolate(String raw, Position at, Path file, Problems problems, Set<Path> secretFiles) {
        Matcher m = REFERENCE.matcher(raw);
        if (!references || !m.find()) {
            return YamlNode.scalar(raw, at, false);
        }
        m.reset();
        StringBuilder out = new StringBuilder();
        List<String> parts = new ArrayList<>();
        while (m.find()) {
            String kind = m.group(1);
            String ref = m.group(2).trim();
            String value =
                    kind.equals("env") ? environment.apply(ref) : readSecretFile(ref, file, at, problems, secretFiles);
            if (value == null && kind.equals("env")) {
                problems.unsetVariable(ref, at);
            }
            if (value != null) parts.add(value);
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return YamlNode.secret(out.toString(), at, parts);
    }

    private static String readSecretFile(String ref, Path file, Position at, Problems problems, Set<Path> secretFiles) {
        Path path;
        try {
            path = Path.of(ref);
        } catch (InvalidPathException e) {
            problems.add(at, "${file:...}: not a valid path: " + e.getReason());
            return null;
        }
        if (!path.isAbsolute() && file.getParent() != null) {
            path = file.getParent().resolve(path);
        }
        secretFiles.add(path.toAbsolutePath().normalize());
        try {
            return Files.readString(path).strip();
        } catch (IOException e) {
            problems.add(
                    at,
                    "cannot read secret file " + path + ": " + e.getClass().getSimpleName(),
                    "create the file or fix the path in ${file:...}");
            return null;
        }
    }

    private static Position position(String file, Mark mark) {
        return new Position(file, mark.getLine() + 1, mark.getColumn() + 1);
    }
}
