package dev.opsdeck.review;

import java.util.ArrayList;
import java.util.List;

/**
 * What people write in a post-incident review, in the seed's sections. Texts are markdown, stored as written
 * (whoever renders them escapes them); null or blank means not written yet.
 */
public record ReviewText(
        String rootCause,
        String impact,
        String affectedUsers,
        String remediation,
        String detectionGap,
        String runbookImprovements,
        List<CorrectiveAction> actions) {
    public static final ReviewText EMPTY = new ReviewText(null, null, null, null, null, null, List.of());

    /** The sections that must be written before a review can be completed, by their API field names. */
    public List<String> missingForCompletion() {
        List<String> missing = new ArrayList<>();
        if (blank(rootCause)) missing.add("root_cause");
        if (blank(impact)) missing.add("impact");
        if (blank(remediation)) missing.add("remediation");
        if (blank(detectionGap)) missing.add("detection_gap");
        if (blank(runbookImprovements)) missing.add("runbook_improvements");
        return missing;
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
