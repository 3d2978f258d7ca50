package dev.opsdeck.runbook.markdown;

import java.util.List;

/** One runbook made from a document or from one "RB-NNN" section of it. */
public record ImportedRunbook(String id, String title, String description, List<ImportedParam> params,
        List<ImportedStep> steps, int line) {
}
