package dev.opsdeck.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MatcherTest {
    private static boolean on(String matcher, Map<String, String> labels) {
        return Matcher.parse(matcher).matches("indexer", "IndexerDown", "P2", labels);
    }

    @Test
    void equalsComparesTheServiceNameSeverityOrALabel() {
        assertThat(on("service=indexer", Map.of())).isTrue();
        assertThat(on("service=api", Map.of())).isFalse();
        assertThat(on("name=IndexerDown", Map.of())).isTrue();
        assertThat(on("severity=P2", Map.of())).isTrue();
        assertThat(on("team=search", Map.of("team", "search"))).isTrue();
    }

    @Test
    void notEqualsHoldsForAMissingLabel() {
        assertThat(on("severity!=P1", Map.of())).isTrue();
        assertThat(on("severity!=P2", Map.of())).isFalse();
        assertThat(on("team!=db", Map.of())).isTrue();
    }

    @Test
    void regexMustMatchTheWholeValue() {
        assertThat(on("service=~index.*", Map.of())).isTrue();
        assertThat(on("service=~index", Map.of())).isFalse();
        assertThat(on("severity=~P[12]", Map.of())).isTrue();
    }

    @Test
    void parsesTheThreeOperators() {
        assertThat(Matcher.parse("a=b")).isEqualTo(new Matcher("a", "=", "b"));
        assertThat(Matcher.parse("a!=b")).isEqualTo(new Matcher("a", "!=", "b"));
        assertThat(Matcher.parse("a=~b=c")).isEqualTo(new Matcher("a", "=~", "b=c"));
        assertThat(Matcher.parse("a=")).isEqualTo(new Matcher("a", "=", ""));
    }

    @Test
    void refusesABrokenRegexWhenCreatedAndSaysWhere() {
        assertThatThrownBy(() -> new Matcher("service", "=~", "index(er"))
                .isInstanceOf(InvalidSilence.class)
                .hasMessage("matchers: value: not a valid regular expression 'index(er': Unclosed group near index 8");
    }

    @Test
    void refusesUnknownOperatorsAndNames() {
        assertThatThrownBy(() -> new Matcher("service", "~", "x"))
                .hasMessage("matchers: op: expected one of =, !=, =~; got '~'");
        assertThatThrownBy(() -> Matcher.parse("noequals")).hasMessageStartingWith("matchers: expected NAME=VALUE");
        assertThatThrownBy(() -> new Matcher("bad name", "=", "x")).hasMessageStartingWith("matchers: name:");
    }
}
