package dev.opsdeck.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final UnaryOperator<String> environment;

    public YamlReader(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    public static YamlReader withSystemEnvironment() {
        return new YamlReader(System::getenv);
    }

    /** Returns the document's root, or null when the file is unreadable or malformed. */
    public YamlNode read(Path file, Problems problems) {
        return read(file, problems, new java.util.HashSet<>());
    }

    /** Like {@link #read(Path, Problems)}, adding every {@code ${file:...}} it reads to {@code secretFiles}. */
    public YamlNode read(Path file, Problems problems, java.util.Set<Path> secretFiles) {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            problems.add(new Position(name, 1, 1), "cannot read file: " + e.getMessage());
            return null;
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // reported below with both positions
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(16 * 1024 * 1024);
        try {
            Node root = new Yaml(options).compose(new java.io.StringReader(text));
            if (root == null) {
                return YamlNode.nil(new Position(name, 1, 1));
            }
            return convert(root, file, problems, secretFiles);
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

    private YamlNode convert(Node node, Path file, Problems problems, java.util.Set<Path> secretFiles) {
        Position at = position(file.toString(), node.getStartMark());
        if (node instanceof ScalarNode s) {
            if (s.getTag().equals(Tag.NULL)) {
                return YamlNode.nil(at);
            }
            return interpolate(s.getValue(), at, file, problems, secretFiles);
        }
        if (node instanceof SequenceNode seq) {
            List<YamlNode> items = new ArrayList<>();
            for (Node item : seq.getValue()) {
                items.add(convert(item, file, problems, secretFiles));
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
            Position earlier = seen.putIfAbsent(key.getValue(), keyAt);
            if (earlier != null) {
                problems.add(keyAt, "duplicate key '" + key.getValue() + "'", "first defined at " + earlier);
                continue;
            }
            entries.put(new YamlNode.Key(key.getValue(), keyAt), convert(tuple.getValueNode(), file, problems, secretFiles));
        }
        return YamlNode.map(entries, at);
    }

    private YamlNode interpolate(String raw, Position at, Path file, Problems problems, java.util.Set<Path> secretFiles) {
        Matcher m = REFERENCE.matcher(raw);
        if (!m.find()) {
            return YamlNode.scalar(raw, at, false);
        }
        m.reset();
        StringBuilder out = new StringBuilder();
        List<String> parts = new ArrayList<>();
        while (m.find()) {
            String kind = m.group(1);
            String ref = m.group(2).trim();
            String value = kind.equals("env") ? environment.apply(ref) : readSecretFile(ref, file, at, problems, secretFiles);
            if (value == null && kind.equals("env")) {
                problems.add(at, "environment variable " + ref + " is not set",
                        "export " + ref + "=... before starting, or use ${file:PATH}");
            }
            if (value != null) parts.add(value);
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return YamlNode.secret(out.toString(), at, parts);
    }

    private static String readSecretFile(String ref, Path file, Position at, Problems problems,
                                         java.util.Set<Path> secretFiles) {
        Path path = Path.of(ref);
        if (!path.isAbsolute() && file.getParent() != null) {
            path = file.getParent().resolve(path);
        }
        secretFiles.add(path.toAbsolutePath().normalize());
        try {
            return Files.readString(path).strip();
        } catch (IOException e) {
            problems.add(at, "cannot read secret file " + path + ": " + e.getClass().getSimpleName(),
                    "create the file or fix the path in ${file:...}");
            return null;
        }
    }

    private static Position position(String file, Mark mark) {
        return new Position(file, mark.getLine() + 1, mark.getColumn() + 1);
    }
}
