package dev.opsdeck.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problem;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.YamlReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Channels configured the way users do it: YAML through the real loader ({@code ${env:X}} resolves from a map). */
final class TestChannels {
    private TestChannels() {}

    static Channels parse(String channelsYaml) {
        Problems problems = new Problems();
        Channels channels = compile(channelsYaml, problems);
        assertThat(problems.sorted()).as("problems in%n%s", channelsYaml).isEmpty();
        return channels;
    }

    static List<Problem> problems(String channelsYaml) {
        Problems problems = new Problems();
        compile(channelsYaml, problems);
        return problems.sorted();
    }

    /** Loads and compiles, as a start does: the loader reads the common keys, each type its own. */
    static Channels compile(String channelsYaml, Problems problems) {
        OpsdeckConfig config = load(channelsYaml, problems);
        return Channels.compile(config.paging().channels(), ChannelTypes.standard(), problems);
    }

    private static OpsdeckConfig load(String channelsYaml, Problems problems) {
        try {
            Path dir = Files.createTempDirectory("opsdeck-channels-");
            Path file = Files.writeString(dir.resolve("opsdeck.yaml"), "channels:\n" + channelsYaml.indent(2));
            Map<String, String> env = Map.of(
                    "HOOK_SECRET",
                    "s3cret",
                    "SLACK_URL",
                    "https://hooks.slack.test/T0/B0/xyz",
                    "SMTP_PASSWORD",
                    "mail-pass");
            return new ConfigLoader(new YamlReader(env::get)).load(file, problems);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
