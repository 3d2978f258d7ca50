package dev.opsdeck.runbook.markdown;

import java.util.List;

/**
 * What an import made: the runbooks, the list of what it could not convert (in document order), and whether the
 * document was taken as text copied from a rendered page rather than as markdown source.
 */
public record ImportResult(List<ImportedRunbook> runbooks, List<Unconverted> unconverted, boolean fromRenderedText) {
    /** The runbooks as YAML in the configuration format, under {@code runbooks:}. */
    public String yaml() {
        return RunbookYaml.write(runbooks);
    }
}
