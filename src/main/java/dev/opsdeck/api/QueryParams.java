package dev.opsdeck.api;

import io.javalin.http.Context;

/** Query parameters that several routes read the same way, with the same 400 answer when they are wrong. */
final class QueryParams {
    private QueryParams() {}

    /** {@code ?limit=}: how many history rows to answer, 1 to 1000; 50 when absent. */
    static int limit(Context ctx) {
        String text = ctx.queryParam("limit");
        if (text == null) return 50;
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= 1000) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiProblem.badRequest("limit: expected a whole number from 1 to 1000; got '" + text + "'");
    }
}
