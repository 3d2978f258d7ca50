package dev.opsdeck.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.store.OnEachBackend;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deploy tables on a real store (a SQLite and a PostgreSQL subclass): one deploy at a time per service (also when
 * several threads insert at once), the CI records by external id, the history of successful versions, the change log's
 * filters and paging, and the evidence numbered in order with its body capped.
 */
abstract class DeployStoreContract extends OnEachBackend {
    DeployStore deploys;

    @Override
    protected List<String> reset() {
        return List.of("DELETE FROM deploy_evidence", "DELETE FROM deploy");
    }

    @BeforeEach
    void wire() {
        deploys = new DeployStore(store);
    }

    static Deploy deploy(String id, String service, String version, DeployState state, long requestedMs) {
        return new Deploy(
                id,
                service,
                "production",
                version,
                null,
                null,
                null,
                null,
                Deploy.SOURCE_OPSDECK,
                "alice",
                state,
                null,
                null,
                null,
                null,
                requestedMs,
                state == DeployState.PENDING ? null : requestedMs,
                state.isFinal() ? requestedMs + 1000 : null,
                null);
    }

    static Deploy ci(String id, String externalId, String version, long requestedMs) {
        return new Deploy(
                id,
                "api",
                "production",
                version,
                null,
                null,
                null,
                null,
                Deploy.SOURCE_CI,
                "ci",
                DeployState.SUCCEEDED,
                null,
                null,
                null,
                null,
                requestedMs,
                requestedMs,
                requestedMs + 1000,
                externalId);
    }

    @Test
    void oneActiveDeployPerServiceEvenWhenThreadsRace() throws Exception {
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger inserted = new AtomicInteger(), refused = new AtomicInteger();
        Thread[] all = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            Deploy d = deploy("dep-race-" + i, "api", "1.0." + i, DeployState.PENDING, 1000 + i);
            all[i] = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                if (deploys.insertIfIdle(d).isEmpty()) inserted.incrementAndGet();
                else refused.incrementAndGet();
            });
        }
        go.countDown();
        for (Thread t : all) t.join();
        assertThat(inserted.get()).isEqualTo(1);
        assertThat(refused.get()).isEqualTo(threads - 1);
        Deploy active = deploys.active("api").orElseThrow();
        assertThat(deploys.list(new DeployStore.Filter("api", null, null, null, 100, 0)))
                .containsExactly(active);

        // another service is not held back; once the first ends, the next one goes in
        assertThat(deploys.insertIfIdle(deploy("dep-other", "web", "1.0.0", DeployState.PENDING, 5000)))
                .isEmpty();
        deploys.update(active.moved(DeployState.SUCCEEDED, 1000L, 2000L, "run-1", null));
        assertThat(deploys.active("api")).isEmpty();
        assertThat(deploys.insertIfIdle(deploy("dep-next", "api", "1.1.0", DeployState.PENDING, 6000)))
                .isEmpty();
        assertThat(deploys.unfinished()).extracting(Deploy::id).containsExactly("dep-other", "dep-next");
    }

    @Test
    void recordsRoundTripAndCiRecordsAreFoundByExternalId() {
        Deploy d = new Deploy(
                "dep-full",
                "api",
                "staging",
                "v2",
                "v1",
                111L,
                "what changes",
                "https://ci.example/1",
                Deploy.SOURCE_OPSDECK,
                "alice",
                DeployState.ROLLED_BACK,
                "a reason",
                "run-a",
                "run-b",
                "dep-before",
                1000L,
                1100L,
                1200L,
                null);
        deploys.insert(d);
        assertThat(deploys.find("dep-full")).contains(d);
        assertThat(deploys.find("dep-nope")).isEmpty();

        deploys.insert(ci("dep-ci", "gha-1", "abc", 2000));
        assertThat(deploys.byExternalId(Deploy.SOURCE_CI, "gha-1").map(Deploy::id))
                .contains("dep-ci");
        assertThat(deploys.byExternalId(Deploy.SOURCE_OPSDECK, "gha-1")).isEmpty();
        // the same external id twice from the same source is refused by the store itself
        Optional<Throwable> dup = Optional.empty();
        try {
            deploys.insert(ci("dep-ci-2", "gha-1", "abc", 3000));
        } catch (RuntimeException e) {
            dup = Optional.of(e);
        }
        assertThat(dup).isPresent();
        assertThat(deploys.find("dep-ci-2")).isEmpty();
    }

    @Test
    void successfulVersionsChangeLogAndTimeRange() {
        deploys.insert(deploy("dep-1", "api", "1.0", DeployState.SUCCEEDED, 1000));
        deploys.insert(deploy("dep-2", "api", "1.1", DeployState.ROLLED_BACK, 2000));
        deploys.insert(deploy("dep-3", "api", "1.2", DeployState.SUCCEEDED, 3000));
        deploys.insert(deploy("dep-4", "web", "9.0", DeployState.SUCCEEDED, 4000));
        deploys.insert(ci("dep-5", "gha-5", "1.3", 5000));

        assertThat(deploys.succeeded("api", "production", 10))
                .extracting(Deploy::version)
                .containsExactly("1.3", "1.2", "1.0");
        assertThat(deploys.succeeded("api", "staging", 10)).isEmpty();

        assertThat(deploys.list(new DeployStore.Filter("api", null, null, null, 2, 0)))
                .extracting(Deploy::id)
                .containsExactly("dep-5", "dep-3");
        assertThat(deploys.list(new DeployStore.Filter("api", null, null, null, 2, 2)))
                .extracting(Deploy::id)
                .containsExactly("dep-2", "dep-1");
        assertThat(deploys.list(new DeployStore.Filter(null, "rolled_back", null, null, 10, 0)))
                .extracting(Deploy::id)
                .containsExactly("dep-2");
        assertThat(deploys.list(new DeployStore.Filter(null, null, "ci", null, 10, 0)))
                .extracting(Deploy::id)
                .containsExactly("dep-5");
        assertThat(deploys.list(new DeployStore.Filter(null, null, null, "staging", 10, 0)))
                .isEmpty();

        assertThat(deploys.requestedBetween(2000, 4000, "production"))
                .extracting(Deploy::id)
                .containsExactly("dep-2", "dep-3");
    }

    @Test
    void evidenceIsNumberedInOrderAndItsBodyCapped() {
        deploys.insert(deploy("dep-e", "api", "1.0", DeployState.RUNNING, 1000));
        deploys.addEvidence("dep-e", "gate", "api/health", true, "up in 3ms", null, 1001);
        String big = "x".repeat(10_000);
        Evidence e = deploys.addEvidence("dep-e", "gate", "api/health", false, "d".repeat(5000), big, 1002);
        assertThat(e.seq()).isEqualTo(2);
        List<Evidence> all = deploys.evidence("dep-e", 0);
        assertThat(all).extracting(Evidence::seq).containsExactly(1, 2);
        Evidence failing = all.get(1);
        assertThat(failing.passed()).isFalse();
        assertThat(failing.body()).hasSize(Evidence.BODY_CAP).endsWith("...");
        assertThat(failing.detail()).hasSize(Evidence.DETAIL_CAP);
        assertThat(deploys.evidence("dep-e", 1)).extracting(Evidence::seq).containsExactly(2);
        assertThat(deploys.evidence("dep-nope", 0)).isEmpty();
    }
}
