package dev.opsdeck.runbook.markdown;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The operations documents the import must handle, copied under src/test/resources/seeds. */
final class Seeds {
    static final List<String> ALL = List.of(
            "000_862ba3f4df23e4a4",
            "001_4fd509d1758e3b1e",
            "002_f14e90be92a12c2f",
            "003_68e48358983334a8",
            "004_d1634b210b8cf36b");

    private Seeds() {}

    static String text(String name) throws IOException {
        try (InputStream in = Seeds.class.getResourceAsStream("/seeds/" + name + ".txt")) {
            if (in == null) throw new IOException("seed " + name + " is not on the test classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Parses runbook YAML the way the config reader does (SnakeYAML, no custom tags) and returns runbooks:. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> runbooks(String yaml) {
        Map<String, Object> root = new Yaml(new LoaderOptions()).load(yaml);
        return (Map<String, Map<String, Object>>) root.get("runbooks");
    }
}
