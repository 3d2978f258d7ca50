package dev.opsdeck.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.backup.DestinationTypes;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.notify.ChannelTypes;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.runbook.steps.StepTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps "How to add a type" in docs/architecture.md true: every registered type of every family has its own
 * section in the family's user document, and the how-to names each family's registry, which must exist.
 */
class TypeFamiliesTest {
    static final Path ARCHITECTURE = Path.of("docs", "architecture.md");

    @Test
    void everyCheckTypeHasItsSection() throws IOException {
        assertThat(headings(Path.of("docs", "checks.md"), 2))
                .containsAll(CheckTypes.standard().names());
    }

    @Test
    void everyDestinationTypeHasItsSection() throws IOException {
        assertThat(headings(Path.of("docs", "backups.md"), 3))
                .containsAll(DestinationTypes.standard().names());
    }

    @Test
    void everyChannelTypeHasItsSection() throws IOException {
        assertThat(headings(Path.of("docs", "notifications.md"), 3))
                .containsAll(ChannelTypes.standard().names());
    }

    @Test
    void everyRunbookStepTypeHasItsSection() throws IOException {
        String steps = section(Files.readString(Path.of("docs", "runbooks.md")), "### Steps");
        assertThat(headings(steps, 4)).containsAll(StepTypes.standard().names());
    }

    @Test
    void theLoaderAcceptsExactlyTheRegisteredStepTypes() {
        assertThat(StepTypes.standard().names()).containsExactlyElementsOf(RunbookStep.TYPES);
    }

    @Test
    void theHowToNamesRegistriesThatExist() throws IOException {
        String howTo = section(Files.readString(ARCHITECTURE), "## How to add a type");
        Matcher m = Pattern.compile("`(dev\\.opsdeck\\.[a-z.]+\\.[A-Z]\\w+)`").matcher(howTo);
        int named = 0;
        while (m.find()) {
            named++;
            String name = m.group(1);
            assertThat(exists(name)).as("%s named in the how-to", name).isTrue();
        }
        assertThat(named).as("registries named in the how-to").isGreaterThanOrEqualTo(1);
    }

    /** The titles of the headings of {@code level} ({@code ## http} has level 2 and title {@code http}). */
    static List<String> headings(Path doc, int level) throws IOException {
        return headings(Files.readString(doc), level);
    }

    static List<String> headings(String text, int level) {
        String prefix = "#".repeat(level) + " ";
        return text.lines()
                .filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()).replace("`", "").strip())
                .toList();
    }

    /** From {@code heading} to the next heading of the same level. */
    static String section(String doc, String heading) {
        int start = doc.indexOf("\n" + heading + "\n");
        assertThat(start).as("%s in the document", heading).isNotNegative();
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = doc.indexOf("\n" + level, start + heading.length() + 1);
        return end < 0 ? doc.substring(start) : doc.substring(start, end);
    }

    private static boolean exists(String className) {
        try {
            Class.forName(className, false, TypeFamiliesTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
