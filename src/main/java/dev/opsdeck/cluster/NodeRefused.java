package dev.opsdeck.cluster;

/** This node may not join the store's nodes (an embedded store already in use, a node id already running). */
public final class NodeRefused extends RuntimeException {
    public NodeRefused(String message) {
        super(message, null, false, false);
    }
}
