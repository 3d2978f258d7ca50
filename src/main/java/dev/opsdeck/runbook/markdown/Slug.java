package dev.opsdeck.runbook.markdown;

import java.text.Normalizer;
import java.util.Locale;

/** Ids from titles: lower-case letters, digits and single hyphens, at most 48 characters. */
final class Slug {
    private Slug() {}

    static String of(String text, String fallback) {
        String ascii = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String slug =
                ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > 48) {
            int cut = slug.lastIndexOf('-', 48);
            slug = slug.substring(0, cut > 16 ? cut : 48).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? fallback : slug;
    }
}
