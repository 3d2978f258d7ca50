package dev.opsdeck.web;

/** The 404 page; {@code name} is whatever was in the URL, so the template prints it escaped like all text. */
public record NotFoundPage(Chrome chrome, String name) implements PageModel {
    /** The page keeps polling its own fragment: if a reload brings the service (back), the page shows it. */
    public String liveUrl() {
        return "/fragments" + Links.service(name);
    }

    public String searchUrl() {
        return "/?q=" + OverviewQuery.encode(name);
    }
}
