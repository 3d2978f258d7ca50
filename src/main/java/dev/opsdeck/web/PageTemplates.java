package dev.opsdeck.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * The JTE templates of {@code src/main/jte}, precompiled at build time (no compiler at runtime,
 * no template files to deploy). Content type Html: every {@code ${...}} is escaped for where it
 * stands (text, attribute), which is what keeps service names and messages from becoming markup.
 */
final class PageTemplates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    /** Renders a template whose single parameter is {@code model}. */
    String render(String template, Object model) {
        StringOutput out = new StringOutput(16 * 1024);
        engine.render(template, model, out);
        return out.toString();
    }

    /** Renders a template with several named parameters. */
    String render(String template, Map<String, Object> params) {
        StringOutput out = new StringOutput(4 * 1024);
        engine.render(template, params, out);
        return out.toString();
    }
}
