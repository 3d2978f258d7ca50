package dev.opsdeck.runbook.markdown;

import java.util.List;

/**
 * One runbook made from a document or from one "RB-NNN" section of it. {@code choices} are the parameters that
 * pick among alternative sections (systemd / PM2 / Docker, Option A / B, from a local file / from S3);
 * {@code rollback} the steps of its "Rollback" section; {@code target} (a duration or null) its RTO target.
 */
public record ImportedRunbook(
        String id,
        String title,
        String description,
        List<ImportedParam> params,
        List<ImportedChoice> choices,
        List<ImportedStep> steps,
        List<ImportedStep> rollback,
        String target,
        int line) {}
