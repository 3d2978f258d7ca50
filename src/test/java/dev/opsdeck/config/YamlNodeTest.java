package dev.opsdeck.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mappings and positions as read from a file: small mappings are held compactly, and read the same. */
class YamlNodeTest {
    private static YamlNode read(Path file) {
        Problems problems = new Problems();
        YamlNode doc = YamlReader.withSystemEnvironment().read(file, problems);
        assertThat(problems.sorted()).isEmpty();
        return doc;
    }

    @Test
    void aSmallMappingKeepsItsOrderItsPositionsAndAnswersLookups(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("c.yaml"),
                "check:\n  type: http\n  url: \"http://a/\"\n  conditions: [\"[STATUS] == 200\"]\n");
        YamlNode check = read(file).get("check");
        assertThat(check.entries().keySet().stream().map(YamlNode.Key::name))
                .containsExactly("type", "url", "conditions");
        assertThat(check.get("url").text()).isEqualTo("http://a/");
        assertThat(check.get("missing")).isNull();
        YamlNode.Key url = check.entries().keySet().stream().toList().get(1);
        assertThat(url.position()).isEqualTo(new Position(file.toString(), 3, 3));
        assertThat(check.entries()).containsKey(new YamlNode.Key("url", new Position(file.toString(), 3, 3)));
        assertThat(check.entries().get(url)).isSameAs(check.get("url"));
        assertThat(check.get("url").position()).isEqualTo(new Position(file.toString(), 3, 8));
        assertThat(check.get("conditions").items())
                .singleElement()
                .extracting(YamlNode::text)
                .isEqualTo("[STATUS] == 200");
        assertThat(check.canonical())
                .isEqualTo("{\"conditions\":[\"[STATUS] == 200\"],\"type\":\"http\",\"url\":\"http://a/\",}");
        // read-only, as the configuration is shared by every reader
        assertThatThrownBy(() -> check.entries().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> check.entries().entrySet().iterator().next().setValue(check))
                .isInstanceOf(UnsupportedOperationException.class);
        // a scalar or a list has no entries
        assertThat(check.get("type").entries()).isEmpty();
        assertThat(check.get("type").get("x")).isNull();
        assertThat(check.get("conditions").entries()).isEmpty();
        assertThat(check.get("type").items()).isEmpty();
    }

    @Test
    void aLargeMappingReadsTheSameAsASmallOne(@TempDir Path dir) throws Exception {
        StringBuilder y = new StringBuilder("services:\n");
        for (int i = 0; i < 40; i++)
            y.append("  svc").append(i).append(": { description: d").append(i).append(" }\n");
        YamlNode services = read(Files.writeString(dir.resolve("s.yaml"), y)).get("services");
        assertThat(services.entries()).hasSize(40);
        assertThat(services.entries().keySet().stream()
                        .map(YamlNode.Key::name)
                        .toList()
                        .subList(0, 3))
                .containsExactly("svc0", "svc1", "svc2");
        assertThat(services.get("svc39").get("description").text()).isEqualTo("d39");
        assertThatThrownBy(() -> services.entries().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aMappingBuiltInCodeIsACopy() {
        Position at = new Position("f.yaml", 1, 1);
        LinkedHashMap<YamlNode.Key, YamlNode> entries = new LinkedHashMap<>();
        entries.put(new YamlNode.Key("a", at), YamlNode.scalar("1", at, false));
        YamlNode node = YamlNode.map(entries, at);
        entries.put(new YamlNode.Key("b", at), YamlNode.scalar("2", at, false));
        assertThat(node.entries()).hasSize(1);
        assertThat(Map.copyOf(node.entries())).isEqualTo(Map.of(new YamlNode.Key("a", at), node.get("a")));
        assertThat(node.position()).isEqualTo(at);
        Set<String> secrets = new TreeSet<>();
        YamlNode.map(
                        new LinkedHashMap<>(
                                Map.of(new YamlNode.Key("token", at), YamlNode.secret("Bearer s3", at, List.of("s3")))),
                        at)
                .collectSecrets(secrets);
        assertThat(secrets).containsExactly("Bearer s3", "s3");
    }
}
