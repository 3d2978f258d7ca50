package dev.opsdeck.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.backup.DestinationTypes;
import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.Problem;
import dev.opsdeck.config.YamlReader;
import dev.opsdeck.notify.ChannelTypes;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.runbook.steps.StepTypes;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Hostile values in every place of a valid configuration: each value of the configuration that sets every
 * documented key (docs/configuration.md), and of every example, is replaced in turn by wrong types, empty,
 * huge, negative and malformed values. The loader must never throw: it reports each problem at a position
 * in the file, with a message of bounded length.
 */
class ConfigFuzzTest {
    /** Longest acceptable problem line: a long value is cut, never echoed in full. */
    static final int MAX_PROBLEM_CHARS = 1_000;

    private static final String HUGE = "9".repeat(200_000);
    private static final CheckTypes TYPES = CheckTypes.standard();

    @TempDir
    Path dir;

    /** The hostile values; each is a fresh node, as a replacement must not share nodes between places. */
    static List<Supplier<Node>> hostile() {
        List<Supplier<Node>> out = new ArrayList<>();
        for (String s : List.of(
                "abc",
                "",
                " ",
                "5",
                "-1",
                "0",
                "-1s",
                "true",
                "99999999999999999999",
                "1e309",
                "NaN",
                "%s%n{}",
                "{{steps.x.y}}",
                "${env:FUZZ_UNSET}",
                "a\u0000b",
                "=== 200",
                HUGE)) {
            out.add(() -> scalar(s));
        }
        out.add(() -> new ScalarNode(Tag.NULL, "null", null, null, DumperOptions.ScalarStyle.PLAIN));
        out.add(() -> new SequenceNode(Tag.SEQ, new ArrayList<>(), DumperOptions.FlowStyle.FLOW));
        out.add(() -> new SequenceNode(
                Tag.SEQ, new ArrayList<>(List.of(scalar("abc"), scalar("-1"))), DumperOptions.FlowStyle.FLOW));
        out.add(() -> new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.FLOW));
        out.add(() -> new MappingNode(
                Tag.MAP,
                new ArrayList<>(List.of(new NodeTuple(scalar("a"), scalar("1")))),
                DumperOptions.FlowStyle.FLOW));
        return out;
    }

    private static ScalarNode scalar(String value) {
        return new ScalarNode(Tag.STR, value, null, null, DumperOptions.ScalarStyle.DOUBLE_QUOTED);
    }

    @Test
    void everyDocumentedKeyTakesHostileValuesWithoutCrashing() throws IOException {
        List<ConfigReferenceTest.Row> rows = ConfigReferenceTest.parse(Files.readAllLines(ConfigReferenceTest.DOC));
        Path file = ConfigReferenceTest.config(dir, ConfigReferenceTest.everyKeyWithItsExample(rows));
        assertThat(outcome(file)).as("the unchanged configuration").isEmpty();
        List<String> failures = fuzz(file, file, 2_500);
        assertThat(failures)
                .as("loads that crashed or reported a problem badly")
                .isEmpty();
    }

    static Stream<Path> examples() throws IOException {
        return ExamplesTest.examples().stream();
    }

    /** Examples are larger and load slower: a sample of places and values, spread over each example's files. */
    @ParameterizedTest
    @MethodSource("examples")
    void examplesTakeHostileValuesWithoutCrashing(Path example) throws IOException {
        Path copy = dir.resolve(example.getFileName());
        copyTree(example, copy);
        List<Path> yamls;
        try (Stream<Path> walk = Files.walk(copy)) {
            yamls = walk.filter(
                            p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        }
        List<String> failures = new ArrayList<>();
        for (Path yaml : yamls) failures.addAll(fuzz(copy, yaml, 400 / yamls.size() + 1));
        assertThat(failures)
                .as("loads of %s that crashed or reported a problem badly", example)
                .isEmpty();
    }

    /**
     * Replaces nodes of {@code file} by hostile values and loads {@code config}; returns what went wrong.
     * Of all (place, value) pairs at most {@code budget} are tried, spread evenly: every place gets some,
     * each value is used across places.
     */
    private static List<String> fuzz(Path config, Path file, int budget) throws IOException {
        String original = Files.readString(file);
        List<List<Integer>> places = new ArrayList<>();
        places(compose(original), new ArrayList<>(), places);
        List<Supplier<Node>> values = hostile();
        long pairs = (long) places.size() * values.size();
        long step = Math.max(1, (pairs + budget - 1) / budget);
        while (step > 1 && gcd(step, values.size()) != 1) step++; // else one place would always get the same value
        Map<String, String> failures = new LinkedHashMap<>();
        try {
            for (long pair = 0; pair < pairs; pair += step) {
                List<Integer> place = places.get((int) (pair / values.size()));
                int v = (int) (pair % values.size());
                Node root = compose(original);
                replace(root, place, values.get(v).get());
                Files.writeString(file, serialize(root));
                for (String wrong : outcome(config)) {
                    failures.putIfAbsent(
                            wrong.replaceAll("\\d+", "N"),
                            wrong + "\n  after replacing " + describe(compose(original), place) + " in "
                                    + file.getFileName() + " with value #" + v);
                }
            }
        } finally {
            Files.writeString(file, original);
        }
        return List.copyOf(failures.values());
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** What is wrong with loading {@code config}: a crash, or a problem without a position or too long. */
    private static List<String> outcome(Path config) {
        List<String> wrong = new ArrayList<>();
        try {
            Blueprint bp = new Compiler(
                            new ConfigLoader(new YamlReader(ExamplesTest::fakeValueFor)),
                            TYPES,
                            ChannelTypes.standard(),
                            DestinationTypes.standard(),
                            StepTypes.standard())
                    .load(config);
            bp.checks().values().forEach(CompiledCheck::close);
        } catch (ConfigException e) {
            for (Problem p : e.problems()) {
                if (p.position().line() < 1
                        || p.position().column() < 1
                        || !Files.exists(Path.of(p.position().file()))) {
                    wrong.add("problem without a position: " + cut(p.toString()));
                }
                if (p.toString().length() > MAX_PROBLEM_CHARS) {
                    wrong.add("problem of " + p.toString().length() + " characters: " + cut(p.toString()));
                }
            }
        } catch (RuntimeException | StackOverflowError e) {
            StackTraceElement top = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
            wrong.add("crash: " + e + " at " + top);
        }
        return wrong;
    }

    private static String cut(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static Node compose(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        return new Yaml(options).compose(new StringReader(text));
    }

    private static String serialize(Node root) {
        DumperOptions options = new DumperOptions();
        options.setWidth(Integer.MAX_VALUE);
        StringWriter out = new StringWriter();
        new Yaml(options).serialize(root, out);
        return out.toString();
    }

    /** Every value position under {@code node}: a path of mapping-entry and list-item indexes. */
    private static void places(Node node, List<Integer> path, List<List<Integer>> out) {
        List<Node> children = children(node);
        for (int i = 0; i < children.size(); i++) {
            List<Integer> child = new ArrayList<>(path);
            child.add(i);
            out.add(child);
            places(children.get(i), child, out);
        }
    }

    private static List<Node> children(Node node) {
        if (node instanceof MappingNode m)
            return m.getValue().stream().map(NodeTuple::getValueNode).toList();
        if (node instanceof SequenceNode s) return s.getValue();
        return List.of();
    }

    private static void replace(Node root, List<Integer> path, Node with) {
        Node parent = root;
        for (int i = 0; i < path.size() - 1; i++) parent = children(parent).get(path.get(i));
        int last = path.getLast();
        if (parent instanceof MappingNode m) {
            m.getValue().set(last, new NodeTuple(m.getValue().get(last).getKeyNode(), with));
        } else {
            ((SequenceNode) parent).getValue().set(last, with);
        }
    }

    /** The dotted key of a place, for the failure message. */
    private static String describe(Node root, List<Integer> path) {
        StringBuilder out = new StringBuilder();
        Node node = root;
        for (int index : path) {
            if (node instanceof MappingNode m) {
                Node key = m.getValue().get(index).getKeyNode();
                out.append(out.isEmpty() ? "" : ".").append(key instanceof ScalarNode s ? s.getValue() : "?");
            } else {
                out.append('[').append(index).append(']');
            }
            node = children(node).get(index);
        }
        return out.toString();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }
}
