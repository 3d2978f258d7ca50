package dev.opsdeck.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdConfigTest {
    @TempDir
    Path dir;

    private List<String> problems(String yaml, Problems problems) throws Exception {
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), yaml);
        new ConfigLoader(new YamlReader(Map.<String, String>of()::get)).load(file, problems);
        return problems.sorted().stream()
                .map(p -> p.toString().replace(dir + "/", ""))
                .toList();
    }

    @Test
    void aNodeIdIsReadAndAWrongOneIsOneExactProblem() throws Exception {
        Path file = Files.writeString(dir.resolve("ok.yaml"), "server:\n  node_id: web-1.a_b\n");
        Problems none = new Problems();
        OpsdeckConfig config = new ConfigLoader(new YamlReader(Map.<String, String>of()::get)).load(file, none);
        assertThat(none.sorted()).isEmpty();
        assertThat(config.server().nodeId()).isEqualTo("web-1.a_b");

        assertThat(problems("server:\n  node_id: \"-web 1\"\n", new Problems()))
                .containsExactly("opsdeck.yaml:2:12: server.node_id: '-web 1' is not a valid node id"
                        + " (hint: 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit)");
    }
}
