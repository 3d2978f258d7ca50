package dev.opsdeck.api;

import io.javalin.http.Context;

/** The {@code {id}} in a route's path. One that is not a number names no record: 404, as for an unknown number. */
final class PathIds {
    private PathIds() {}

    /** {@code missing}: the 404 detail's words before the quoted text, e.g. {@code no incident}. */
    static long id(Context ctx, String missing) {
        String text = ctx.pathParam("id");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiProblem.notFound(missing + " '" + text + "'");
        }
    }
}
