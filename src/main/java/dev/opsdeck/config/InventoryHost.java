package dev.opsdeck.config;

/** A host that {@code ssh} steps reach ({@code inventory:}); {@code key} is the private key's text (a secret). */
public record InventoryHost(String name, String host, int port, String user, String key, String knownHosts) {
    @Override
    public String toString() {
        return "InventoryHost[" + name + ", " + user + "@" + host + ":" + port + ", known_hosts=" + knownHosts + "]";
    }
}
