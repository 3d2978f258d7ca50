package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarmupCommandTest {
    @Test
    void theTrainingRunPagesItsReceiverSoTheCacheHoldsThePagingPath() throws Exception {
        WarmupCommand warmup = new WarmupCommand();
        assertThat(warmup.call()).isEqualTo(Main.OK);
        assertThat(warmup.paged)
                .as("the failing check paged the local receiver within %d s", WarmupCommand.PAGE_WAIT_SECONDS)
                .isTrue();
    }
}
