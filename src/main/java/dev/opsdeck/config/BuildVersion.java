package dev.opsdeck.config;

/** The running build's version, from the jar manifest ("dev" when run from classes). */
public final class BuildVersion {
    private BuildVersion() {}

    public static String current() {
        String v = BuildVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
