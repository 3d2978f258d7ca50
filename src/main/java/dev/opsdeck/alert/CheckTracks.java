package dev.opsdeck.alert;

import dev.opsdeck.probe.Status;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the alert engine remembers of each check between results: its status and flapping flag, from which a
 * service's state is derived for service rules (worst known status of its checks; flapping if any flaps).
 */
final class CheckTracks {
    /** One check. Written by the check's own result thread; read by its service's rules on other threads. */
    static final class Track {
        final FlapCounter flaps = new FlapCounter();
        volatile Status status = Status.UNKNOWN;
        volatile boolean flapping;
    }

    private final ConcurrentHashMap<String, Track> tracks = new ConcurrentHashMap<>();

    Track of(String checkId) {
        Track t = tracks.get(checkId);
        return t != null ? t : tracks.computeIfAbsent(checkId, k -> new Track());
    }

    void retain(Set<String> checkIds) {
        tracks.keySet().retainAll(checkIds);
    }

    /** The worst known status of a service's checks; unknown when none has a verdict yet. */
    Status serviceStatus(Map<String, List<String>> checksOfService, String service) {
        Status worst = null;
        for (String id : checksOfService.getOrDefault(service, List.of())) {
            Track t = tracks.get(id);
            if (t != null && t.status != Status.UNKNOWN)
                worst = worst == null ? t.status : Status.worst(worst, t.status);
        }
        return worst == null ? Status.UNKNOWN : worst;
    }

    boolean serviceFlapping(Map<String, List<String>> checksOfService, String service) {
        for (String id : checksOfService.getOrDefault(service, List.of())) {
            Track t = tracks.get(id);
            if (t != null && t.flapping) return true;
        }
        return false;
    }
}
