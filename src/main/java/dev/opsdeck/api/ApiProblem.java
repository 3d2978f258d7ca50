package dev.opsdeck.api;

/** Thrown by handlers to answer with an RFC 9457 problem document. */
public final class ApiProblem extends RuntimeException {
    private final int status;
    private final String title;

    public ApiProblem(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not Found", detail);
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "Bad Request", detail);
    }

    /**
     * A 400 for a domain refusal worded {@code FIELD: why}, with the field named as the API names the fields of a
     * request body: {@code comment: required} becomes {@code field 'comment': required}.
     */
    public static ApiProblem badField(String refusal) {
        int colon = refusal.indexOf(':');
        return badRequest("field '" + refusal.substring(0, colon) + "'" + refusal.substring(colon));
    }
}
