package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OverviewQueryTest {
    @Test
    void forgivesBadParameters() {
        assertThat(OverviewQuery.parse("x", "sideways", null)).isEqualTo(new OverviewQuery(1, "", ""));
        assertThat(OverviewQuery.parse("-3", "DOWN", "  api ")).isEqualTo(new OverviewQuery(1, "down", "api"));
        assertThat(OverviewQuery.parse("2", null, "a".repeat(500)).q()).hasSize(100);
    }

    @Test
    void urlsKeepOnlyNonDefaultParametersAndEncodeText() {
        assertThat(new OverviewQuery(1, "", "").url("/")).isEqualTo("/");
        assertThat(new OverviewQuery(3, "down", "a&b c").url("/fragments/overview"))
                .isEqualTo("/fragments/overview?page=3&status=down&q=a%26b%20c");
    }

    @Test
    void pagerShowsEndsAndNeighboursWithGaps() {
        var links = OverviewBuilder.pageLinks(new OverviewQuery(10, "", ""), 200);
        assertThat(links)
                .extracting(OverviewPage.PageLink::label)
                .containsExactly("1", "…", "8", "9", "10", "11", "12", "…", "200");
        assertThat(links.get(4).current()).isTrue();
        assertThat(links.get(4).url()).isNull();
        assertThat(links.get(3).url()).isEqualTo("/?page=9");
        assertThat(OverviewBuilder.pageLinks(new OverviewQuery(1, "", ""), 1)).isEmpty();
    }

    @Test
    void uptimeIsRoundedDownSoOnlyAPerfectWindowReads100() {
        assertThat(Format.percent(99.999)).isEqualTo("99.99%");
        assertThat(Format.percent(100.0)).isEqualTo("100%");
        assertThat(Format.percent(Double.NaN)).isEqualTo("—");
    }
}
