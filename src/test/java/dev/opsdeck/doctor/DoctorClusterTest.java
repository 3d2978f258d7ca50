package dev.opsdeck.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.checklist.BootstrapState;
import dev.opsdeck.checklist.ChecklistSources;
import dev.opsdeck.checklist.Checklists;
import dev.opsdeck.checklist.CompiledChecklist;
import dev.opsdeck.checklist.ItemResult;
import dev.opsdeck.config.ChecklistDef;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.RuntimeConfig;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.CheckTypes;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server's {@code doctor} checklist in the production profile warns while fewer than two nodes are live (seed 004
 * §11: two controllers), read through {@link ChecklistSources#liveNodes()}; {@code opsdeck doctor} offline has no
 * such item (only a running server knows its nodes).
 */
class DoctorClusterTest {
    /** A server that knows only its live nodes. */
    record Nodes(List<String> liveNodes) implements ChecklistSources {
        public CheckResult latestCheck(String checkId) {
            return null;
        }

        public BackupFact lastVerifiedBackup(String target) {
            return null;
        }

        public List<Long> drillPasses(String target, int limit) {
            return List.of();
        }

        public Long lastRunbookSuccess(String runbook) {
            return null;
        }

        public Long lastMetricsScrape() {
            return null;
        }
    }

    static OpsdeckConfig production() {
        OpsdeckConfig config = ProductionExampleTest.load(ProductionExampleTest.EXAMPLE.resolve("opsdeck.yaml"));
        assertThat(config.runtime().production()).isTrue();
        return config;
    }

    static Finding clusterFinding(OpsdeckConfig config, List<String> nodes) {
        Problems problems = new Problems();
        try (CompiledChecklist list = Doctor.forServer(config, CheckTypes.standard(), problems)) {
            assertThat(problems.sorted()).isEmpty();
            List<ItemResult> results = Checklists.proveNow(list, new Nodes(nodes), Clock.systemUTC());
            List<ChecklistDef.Item> items = list.def().items();
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).id().equals(Doctor.ClusterItem.ID))
                    return Doctor.finding(items.get(i), results.get(i));
            }
            return null;
        }
    }

    @Test
    void oneLiveNodeIsAWarningNotARefusal() {
        Finding f = clusterFinding(production(), List.of("node-a"));
        assertThat(f).isNotNull();
        assertThat(f.outcome()).isEqualTo(Finding.Outcome.WARN);
        assertThat(f.detail()).isEqualTo("1 live node (need 2)");
        assertThat(f.title()).isEqualTo("production should run at least two nodes");
    }

    @Test
    void twoLiveNodesPass() {
        Finding f = clusterFinding(production(), List.of("node-a", "node-b"));
        assertThat(f.outcome()).isEqualTo(Finding.Outcome.PASS);
        assertThat(f.detail()).isEqualTo("2 live nodes (need 2)");
    }

    @Test
    void onlyTheProductionProfileAsksForTwoNodes() {
        OpsdeckConfig p = production();
        OpsdeckConfig development = new OpsdeckConfig(
                p.server(),
                p.store(),
                p.monitoring(),
                new RuntimeConfig("development"),
                p.auth(),
                p.network(),
                p.paging(),
                p.services(),
                p.runbooks(),
                p.keep(),
                p.files(),
                p.watched(),
                p.literalSecrets(),
                p.credentials(),
                p.checklists());
        assertThat(clusterFinding(development, List.of("node-a"))).isNull();
        // offline, opsdeck doctor cannot know the nodes: no item, so no warning it could not back
        assertThat(Doctor.examine(p, BootstrapState.CHANGED))
                .extracting(Finding::id)
                .doesNotContain(Doctor.ClusterItem.ID);
    }
}
