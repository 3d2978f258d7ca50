package dev.opsdeck.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.Position;
import dev.opsdeck.config.ServiceDef;
import dev.opsdeck.config.YamlNode;
import dev.opsdeck.probe.Status;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependencyViewTest {
    final Map<String, ServiceDef> services = new LinkedHashMap<>();
    final Map<String, Status> statuses = new LinkedHashMap<>();

    void service(String name, Status status, String... deps) {
        List<YamlNode> dependsOn = Arrays.stream(deps)
                .map(d -> YamlNode.scalar(d, Position.NONE, false))
                .toList();
        services.put(name, new ServiceDef(name, "", dependsOn, List.of(), Position.NONE));
        statuses.put(name, status);
    }

    List<String> impacted(String name) {
        return DependencyView.impactedBy(name, services, statuses::get);
    }

    @Test
    void rootCauseIsTheDeepestDownDependency() {
        service("postgres", Status.DOWN);
        service("api", Status.DOWN, "postgres");
        service("web", Status.DOWN, "api");
        assertThat(impacted("postgres")).isEmpty();
        assertThat(impacted("api")).containsExactly("postgres");
        assertThat(impacted("web")).containsExactly("postgres");
    }

    @Test
    void walksThroughDependenciesThatAreNotDown() {
        service("postgres", Status.DOWN);
        service("api", Status.DEGRADED, "postgres");
        service("web", Status.DEGRADED, "api");
        assertThat(impacted("web")).containsExactly("postgres");
        statuses.put("postgres", Status.UP);
        assertThat(impacted("web")).isEmpty();
    }

    @Test
    void sharedDependenciesInADiamondGiveOneRoot() {
        service("disk", Status.DOWN);
        service("postgres", Status.DOWN, "disk");
        service("api", Status.DOWN, "postgres");
        service("indexer", Status.DOWN, "postgres");
        service("redis", Status.DOWN);
        service("web", Status.DOWN, "api", "indexer", "redis");
        assertThat(impacted("web")).containsExactly("disk", "redis");
        assertThat(impacted("indexer")).containsExactly("disk");
    }
}
