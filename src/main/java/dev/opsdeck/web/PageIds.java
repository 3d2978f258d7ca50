package dev.opsdeck.web;

import io.javalin.http.Context;

/** The {@code {id}} in a page's path. */
final class PageIds {
    private PageIds() {}

    /** Null when the path does not hold a record number: that is simply no such record. */
    static Long id(Context ctx) {
        String text = ctx.pathParam("id");
        return text.matches("[0-9]{1,18}") ? Long.parseLong(text) : null;
    }
}
