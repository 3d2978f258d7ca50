package dev.opsdeck.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.config.ServerConfig;
import dev.opsdeck.probe.CompiledCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * examples/cluster: docker is not needed to check that the Compose file is what docs/cluster.md asks for (two
 * nodes on one PostgreSQL with their own data volumes and names, nginx sending to both) and that the configuration
 * both nodes mount passes the config check and agrees with the file (port, proxy address, store host).
 */
class ClusterExampleTest {
    static final Path DIR = Path.of("examples/cluster");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    @Test
    void theComposeFileRunsTwoNodesOnOnePostgresBehindNginx() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(DIR.resolve("docker-compose.yml")));
        Map<String, Object> services = map(compose.get("services"));
        assertThat(services).containsOnlyKeys("postgres", "opsdeck-a", "opsdeck-b", "nginx");
        assertThat(map(services.get("postgres")).get("image").toString()).startsWith("postgres:");

        Blueprint config = ExamplesTest.load(DIR.resolve("opsdeck"));
        config.checks().values().forEach(CompiledCheck::close);
        ServerConfig server = config.config().server();
        assertThat(config.config().store().url()).contains("@postgres:5432/");
        String nginxAddress = ipv4(services.get("nginx"));
        assertThat(config.config().network().trustedProxies().toString()).contains(nginxAddress);

        List<String> nodeIds = new ArrayList<>();
        List<String> dataVolumes = new ArrayList<>();
        for (String node : List.of("opsdeck-a", "opsdeck-b")) {
            Map<String, Object> s = map(services.get(node));
            Map<String, Object> env = map(s.get("environment"));
            nodeIds.add(env.get("OPSDECK_NODE_ID").toString());
            assertThat(env).containsKey("OPSDECK_DB_PASSWORD");
            List<String> volumes =
                    list(s.get("volumes")).stream().map(Object::toString).toList();
            assertThat(volumes).as(node).contains("./opsdeck:/etc/opsdeck:ro");
            String data = volumes.stream()
                    .filter(v -> v.endsWith(":" + server.dataDir()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(node + " mounts no volume at " + server.dataDir()));
            dataVolumes.add(data.substring(0, data.indexOf(':')));
            assertThat(map(compose.get("volumes"))).containsKey(dataVolumes.getLast());
            assertThat(map(map(s.get("depends_on")).get("postgres")).get("condition"))
                    .isEqualTo("service_healthy");
            // the anchor's command, merged into each node
            assertThat(list(s.get("command")).toString()).contains("serve", "--config, /etc/opsdeck");
        }
        assertThat(nodeIds)
                .doesNotHaveDuplicates()
                .allMatch(id -> ServerConfig.NODE_ID.matcher(id).matches());
        assertThat(dataVolumes).doesNotHaveDuplicates();

        String nginx = Files.readString(DIR.resolve("nginx.conf"));
        for (String node : List.of("opsdeck-a", "opsdeck-b"))
            assertThat(nginx).contains("server " + node + ":" + server.port());
        assertThat(list(map(services.get("nginx")).get("volumes")).toString())
                .contains("./nginx.conf:/etc/nginx/conf.d/default.conf");
    }

    @Test
    void everyVariableTheConfigurationUsesIsDocumented() throws Exception {
        String yaml = Files.readString(DIR.resolve("opsdeck/opsdeck.yaml"));
        String readme = Files.readString(DIR.resolve("README.md"));
        Matcher m = Pattern.compile("\\$\\{env:([^}]*)}").matcher(yaml);
        int n = 0;
        while (m.find()) {
            n++;
            assertThat(readme).contains(m.group(1));
            assertThat(yaml.lines().filter(l -> l.strip().startsWith("#"))).anyMatch(l -> l.contains(m.group(1)));
        }
        assertThat(n).isEqualTo(2);
    }

    private static String ipv4(Object service) {
        return map(map(map(service).get("networks")).get("opsdeck"))
                .get("ipv4_address")
                .toString();
    }
}
