package dev.opsdeck.api;

import io.javalin.http.Context;

/** Query parameters that several routes read the same way, with the same 400 answer when they are wrong. */
final class QueryParams {
    private QueryParams() {}

    /**
     * {@code ?limit=}: how many rows to answer, 1 to {@code max}; {@code absent} when not given. Every route with a
     * limit reads it here, so a bad one gets the same answer everywhere: {@code limit: expected a whole number from 1
     * to 1000; got 'abc'}.
     */
    static int limit(Context ctx, int absent, int max) {
        String text = ctx.queryParam("limit");
        if (text == null) return absent;
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiProblem.badRequest("limit: expected a whole number from 1 to " + max + "; got '" + text + "'");
    }
}
