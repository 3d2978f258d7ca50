package dev.opsdeck.probe.condition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.probe.Observation;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConditionTest {
    static final Set<String> ALLOWED = Set.of(
            "STATUS",
            "BODY",
            "HEADERS",
            "RESPONSE_TIME",
            "CONNECTED",
            "USED_MEMORY",
            "USED_PERCENT",
            "CERTIFICATE_EXPIRATION");

    static final String BODY = """
            {"status": "degraded", "a": {"b": [5, 6]}, "items": [], "name": "api-eu-1",
             "nested": {"x y": true}, "version": "1.2.3", "load": 0.75}""";

    private static Observation observation() {
        return new Observation()
                .put("STATUS", 200L)
                .put("BODY", BODY)
                .put("HEADERS", Map.of("Content-Type", "application/json"))
                .put("RESPONSE_TIME", Duration.ofMillis(1200))
                .put("CONNECTED", true)
                .put("USED_MEMORY", new Observation.Size(300_000_000))
                .put("USED_PERCENT", 95.25);
    }

    private static Condition.Outcome eval(String text) throws ConditionSyntaxException {
        return ConditionParser.parse(text, ALLOWED).evaluate(observation());
    }

    private static void holds(String text) throws ConditionSyntaxException {
        Condition.Outcome out = eval(text);
        assertThat(out.holds()).as(text + " -> " + out.message()).isTrue();
    }

    private static String failure(String text) throws ConditionSyntaxException {
        Condition.Outcome out = eval(text);
        assertThat(out.holds()).as(text).isFalse();
        return out.message();
    }

    private static ConditionSyntaxException parseError(String text) {
        try {
            ConditionParser.parse(text, ALLOWED);
        } catch (ConditionSyntaxException e) {
            return e;
        }
        throw new AssertionError("expected a parse error for " + text);
    }

    @Test
    void failureMessageShowsWhatWasExpectedAndWhatWasGot() throws Exception {
        assertThat(failure("[BODY].status == healthy")).isEqualTo("[BODY].status: expected healthy, got \"degraded\"");
        assertThat(failure("[STATUS] == 204")).isEqualTo("[STATUS]: expected 204, got 200");
        assertThat(failure("[STATUS] >= 300")).isEqualTo("[STATUS]: expected >= 300, got 200");
        assertThat(failure("[STATUS] != 200")).isEqualTo("[STATUS]: expected != 200, got 200");
        assertThat(eval("[STATUS] == 200").message()).isEqualTo("[STATUS]: 200 == 200");
    }

    @Test
    void jsonPathsIntoBody() throws Exception {
        holds("[BODY].a.b[0] == 5");
        holds("[BODY].a.b[1] > 5");
        holds("[BODY].nested[\"x y\"] == true");
        holds("[BODY].load < 1");
        holds("[BODY].version == \"1.2.3\"");
        assertThat(failure("[BODY].a.b[5] == 1")).isEqualTo("[BODY].a.b[5]: index 5 is out of range (length 2)");
        assertThat(failure("[BODY].nope == 1")).isEqualTo("[BODY].nope: no field \"nope\"");
        assertThat(failure("[BODY].status.code == 1")).isEqualTo("[BODY].status.code: cannot read \"code\" from text");
        assertThat(failure("[BODY].a[0] == 1")).isEqualTo("[BODY].a[0]: not a list at [0]");
    }

    @Test
    void nonJsonBodyIsSaidPlainly() throws Exception {
        Observation o = new Observation().put("BODY", "<html>oops</html>");
        Condition c = ConditionParser.parse("[BODY].status == ok", ALLOWED);
        assertThat(c.evaluate(o).message()).isEqualTo("[BODY].status: body is not JSON");
        // the parse is attempted once per observation and remembered
        assertThat(ConditionParser.parse("[BODY].other == 1", ALLOWED)
                        .evaluate(o)
                        .message())
                .isEqualTo("[BODY].other: body is not JSON");
        // the whole body is still plain text
        assertThat(ConditionParser.parse("[BODY] == pat(*oops*)", ALLOWED)
                        .evaluate(o)
                        .holds())
                .isTrue();
    }

    @Test
    void lenCountsTextListsAndObjects() throws Exception {
        holds("len([BODY].items) == 0");
        holds("len([BODY].a.b) == 2");
        holds("len([BODY].name) == 8");
        holds("len([BODY].a) == 1");
        assertThat(failure("len([BODY].items) > 0")).isEqualTo("len([BODY].items): expected > 0, got 0");
        assertThat(failure("len([BODY].load) > 0"))
                .isEqualTo("len([BODY].load): len() needs text, a list or an object, got a number");
    }

    @Test
    void hasTellsWhetherAPathExists() throws Exception {
        holds("has([BODY].a.b)");
        holds("has([BODY].missing) == false");
        assertThat(failure("has([BODY].missing)")).isEqualTo("has([BODY].missing): expected true, got false");
    }

    @Test
    void anyAndPat() throws Exception {
        holds("[STATUS] == any(200, 204)");
        holds("[BODY].status == any(healthy, \"degraded\")");
        holds("[BODY].name == pat(api-*-?)");
        holds("[BODY].name != pat(web-*)");
        assertThat(failure("[STATUS] == any(201, 204)")).isEqualTo("[STATUS]: expected any(201, 204), got 200");
        assertThat(failure("[BODY].name == pat(web-*)"))
                .isEqualTo("[BODY].name: expected pat(web-*), got \"api-eu-1\"");
    }

    @Test
    void durationsSizesAndPercentagesCompareWithUnits() throws Exception {
        holds("[RESPONSE_TIME] < 2s");
        holds("[RESPONSE_TIME] >= 1200ms");
        assertThat(failure("[RESPONSE_TIME] < 800ms")).isEqualTo("[RESPONSE_TIME]: expected < 800ms, got 1.2s");
        holds("[USED_MEMORY] > 200MB");
        holds("[USED_MEMORY] < 1GiB");
        assertThat(failure("[USED_MEMORY] < 200MB")).isEqualTo("[USED_MEMORY]: expected < 200MB, got 300MB");
        holds("[USED_PERCENT] > 90%");
        assertThat(failure("[USED_PERCENT] < 90%")).isEqualTo("[USED_PERCENT]: expected < 90%, got 95.25%");
    }

    @Test
    void headersAreCaseInsensitive() throws Exception {
        holds("[HEADERS].content-type == application/json");
        holds("[HEADERS].CONTENT-TYPE == pat(application/*)");
    }

    @Test
    void booleansAndBarePlaceholders() throws Exception {
        holds("[CONNECTED]");
        holds("[CONNECTED] == true");
        assertThat(failure("[CONNECTED] == false")).isEqualTo("[CONNECTED]: expected false, got true");
    }

    @Test
    void literalOnTheLeftStillNamesThePlaceholder() throws Exception {
        holds("200 == [STATUS]");
        assertThat(failure("204 == [STATUS]")).startsWith("[STATUS]: ");
    }

    @Test
    void quotedOperatorsAreText() throws Exception {
        Observation o = new Observation().put("BODY", "{\"expr\": \"a == b\"}");
        assertThat(ConditionParser.parse("[BODY].expr == \"a == b\"", ALLOWED)
                        .evaluate(o)
                        .holds())
                .isTrue();
    }

    @Test
    void unmeasuredPlaceholderIsReported() throws Exception {
        assertThat(failure("[CERTIFICATE_EXPIRATION] > 7d")).isEqualTo("[CERTIFICATE_EXPIRATION]: not measured");
    }

    @Test
    void parseErrorsExplainThemselves() {
        assertThat(parseError("  ").getMessage()).isEqualTo("empty condition");
        ConditionSyntaxException unknown = parseError("[STAUTS] == 200");
        assertThat(unknown.getMessage()).isEqualTo("unknown placeholder [STAUTS] for this check type");
        assertThat(unknown.hint()).contains("[STATUS]");
        assertThat(parseError("[STATUS] 200").getMessage())
                .isEqualTo("unexpected \" 200\" after placeholder in \"[STATUS] 200\"");
        assertThat(parseError("[STATUS == 200").getMessage()).isEqualTo("unclosed placeholder in \"[STATUS == 200\"");
        assertThat(parseError("== 200").getMessage()).isEqualTo("\"== 200\" needs a value on both sides of ==");
        assertThat(parseError("1 == 1").getMessage()).isEqualTo("\"1 == 1\" compares two constants");
        assertThat(parseError("[STATUS] < any(200, 300)").getMessage())
                .isEqualTo("any(200, 300) works only with == or !=");
        assertThat(parseError("[STATUS] == any()").getMessage()).isEqualTo("any() needs at least one value");
        assertThat(parseError("size([BODY]) > 1").getMessage()).isEqualTo("unknown function size()");
        assertThat(parseError("[BODY]..a == 1").getMessage()).isEqualTo("empty path segment in \"[BODY]..a\"");
        assertThat(parseError("[BODY].a[0 == 1").getMessage()).startsWith("unclosed [");
        assertThat(parseError("healthy").getMessage()).startsWith("missing comparison operator");
    }

    @Test
    void anOperatorGluedToMoreOperatorCharactersIsAnError() throws Exception {
        // "===" once read as "==" and the text "= 200": a check that could never be up
        ConditionSyntaxException triple = parseError("[STATUS] === 200");
        assertThat(triple.getMessage()).isEqualTo("unknown operator \"===\" in \"[STATUS] === 200\"");
        assertThat(triple.hint()).startsWith("operators are == != < <= > >=");
        assertThat(parseError("[STATUS] => 200").getMessage())
                .isEqualTo("unknown operator \"=>\" in \"[STATUS] => 200\"");
        assertThat(parseError("[STATUS] <> 200").getMessage())
                .isEqualTo("unknown operator \"<>\" in \"[STATUS] <> 200\"");
        assertThat(parseError("[STATUS] !== 200").getMessage())
                .isEqualTo("unknown operator \"!==\" in \"[STATUS] !== 200\"");
        assertThat(parseError("[BODY].a == =ok").getMessage())
                .isEqualTo("unquoted text \"=ok\" starts with an operator character");
        assertThat(parseError("[BODY].a == !ok").hint()).contains("quote a text");
        // quoted, such a text is fine
        Observation o = new Observation().put("BODY", "{\"a\": \"=ok\"}");
        assertThat(ConditionParser.parse("[BODY].a == \"=ok\"", ALLOWED)
                        .evaluate(o)
                        .holds())
                .isTrue();
        holds("[STATUS]==200");
        holds("[STATUS] >=200");
    }

    @Test
    void placeholderNamesAreCaseInsensitive() throws Exception {
        holds("[status] == 200");
    }

    @Test
    void numericTextEqualsANumber() throws Exception {
        Observation o = new Observation().put("STATUS", "200");
        assertThat(ConditionParser.parse("[STATUS] == 200", ALLOWED).evaluate(o).holds())
                .isTrue();
    }

    @Test
    void numberLikeTextsCompareAsNumbersAndWordsAsText() throws Exception {
        for (String text : new String[] {" 42 ", "-1.5e3", "NaN", "-Infinity", "0x1p3"}) {
            Observation o = new Observation().put("STATUS", text);
            assertThat(ConditionParser.parse("[STATUS] != 7", ALLOWED)
                            .evaluate(o)
                            .holds())
                    .as(text)
                    .isTrue();
        }
        Observation word = new Observation().put("STATUS", "healthy");
        assertThat(ConditionParser.parse("[STATUS] == healthy", ALLOWED)
                        .evaluate(word)
                        .holds())
                .isTrue();
        assertThat(ConditionParser.parse("[STATUS] < 5", ALLOWED).evaluate(word).holds())
                .isFalse();
    }

    @Test
    void numberFormIsRecognisedWithoutTheParser() {
        for (String number :
                new String[] {"42", "+1", "-1.5e3", "1.", ".5", "2E-3", "7d", "1.5f", "NaN", "-Infinity"}) {
            assertThat(Values.isDecimal(number)).as(number).isTrue();
            assertThat(Values.numeric(number)).as(number).isEqualTo(Double.valueOf(Double.parseDouble(number)));
        }
        for (String text : new String[] {
            "",
            "healthy",
            "v1.2",
            "1.2.3",
            ".",
            "-",
            "e5",
            "1e",
            "1e+",
            "12ms",
            "NaNa",
            "Infinity!",
            "0x1p3",
            "1 2",
            "++1"
        }) {
            assertThat(Values.isDecimal(text)).as(text).isFalse();
            assertThat(Values.numeric(text)).as(text).isNull();
        }
        assertThat(Values.numeric(" 42 ")).isEqualTo(42.0);
    }

    @Test
    void anUnlimitedValueIsLargerThanAnyNumberAndEqualsTheWordsForIt() throws ConditionSyntaxException {
        Observation o = new Observation().put("STATUS", Double.POSITIVE_INFINITY);
        for (String text : new String[] {
            "[STATUS] == unlimited", "[STATUS] == infinity", "[STATUS] == Infinity", "[STATUS] >= 131072"
        }) {
            Condition.Outcome out = ConditionParser.parse(text, ALLOWED).evaluate(o);
            assertThat(out.holds()).as(text + " -> " + out.message()).isTrue();
        }
        assertThat(ConditionParser.parse("[STATUS] == 65536", ALLOWED)
                        .evaluate(o)
                        .holds())
                .isFalse();
        assertThat(ConditionParser.parse("[STATUS] == unlimited", ALLOWED)
                        .evaluate(new Observation().put("STATUS", 65536L))
                        .holds())
                .isFalse();
    }
}
