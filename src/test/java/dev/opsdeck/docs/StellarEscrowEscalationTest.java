package dev.opsdeck.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.config.OnCallConfig;
import dev.opsdeck.probe.CompiledCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The StellarEscrow example routes incidents the way the runbooks' escalation matrix says. */
class StellarEscrowEscalationTest {
    @Test
    void theEscalationMatrixRoutesBySituationServiceAndSeverity() {
        Blueprint bp = ExamplesTest.load(Path.of("examples", "stellarescrow"));
        try {
            OnCallConfig oncall = bp.config().paging().oncall();
            assertThat(route(oncall, "P1", "postgres", Map.of("situation", "data-loss")))
                    .isEqualTo("data-loss");
            assertThat(route(oncall, "P2", "api", Map.of("situation", "contract-exploit")))
                    .isEqualTo("contract-exploit");
            assertThat(route(oncall, "P1", "host", Map.of())).isEqualTo("host-failure");
            assertThat(route(oncall, "P1", "nginx", Map.of())).isEqualTo("p1");
            assertThat(route(oncall, "P2", "indexer", Map.of())).isEqualTo("p2");
            assertThat(route(oncall, "P4", "web", Map.of())).isEqualTo("p3-p4");
            OnCallConfig.Policy p1 = oncall.policies().stream()
                    .filter(p -> p.key().equals("p1"))
                    .findFirst()
                    .orElseThrow();
            assertThat(p1.steps())
                    .extracting(OnCallConfig.Step::rotations)
                    .containsExactly(List.of("oncall-engineer"), List.of("oncall-lead"), List.of());
            assertThat(p1.steps().getFirst().waitFor()).hasMinutes(15); // the seed's P1 response time
            assertThat(p1.steps().get(2).contacts()).containsExactly("platform-lead");
        } finally {
            bp.checks().values().forEach(CompiledCheck::close);
        }
    }

    private static String route(OnCallConfig oncall, String severity, String service, Map<String, String> labels) {
        return oncall.route(severity, service, labels).orElseThrow().key();
    }
}
