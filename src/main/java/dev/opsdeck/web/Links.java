package dev.opsdeck.web;

/** URLs of dashboard pages, for the builders and the templates alike. */
public final class Links {
    private Links() {}

    public static String service(String name) {
        return "/services/" + OverviewQuery.encode(name);
    }

    public static String overviewWithStatus(String status) {
        return "/?status=" + OverviewQuery.encode(status);
    }

    /** A service's change log: the deploys page filtered to it. */
    public static String deploysOf(String service) {
        return "/deploys?service=" + OverviewQuery.encode(service);
    }
}
