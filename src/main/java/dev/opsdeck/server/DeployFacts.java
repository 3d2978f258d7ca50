package dev.opsdeck.server;

import dev.opsdeck.alert.ActiveAlert;
import dev.opsdeck.deploy.DeploySources;
import dev.opsdeck.incident.Incident;
import dev.opsdeck.incident.IncidentManager;
import java.util.ArrayList;
import java.util.List;

/** What deploys read from paging: open P1/P2 incidents of a service (a freeze) and its firing alerts (the bake). */
record DeployFacts(Paging paging) implements DeploySources {
    public List<String> openUrgentIncidents(String service) {
        List<String> out = new ArrayList<>();
        for (String severity : List.of("P1", "P2")) {
            for (Incident i : paging.incidents().list(new IncidentManager.Filter("open", severity, service, 10))) {
                out.add("#" + i.id() + " " + i.severity() + " " + i.title());
            }
        }
        return out;
    }

    public List<String> firingAlerts(String service, long sinceMs) {
        List<String> out = new ArrayList<>();
        for (ActiveAlert a : paging.alerts().active(ActiveAlert.State.FIRING)) {
            if (service.equals(a.service()) && a.sinceMs() >= sinceMs && !a.suppressed()) {
                out.add(a.name() + " (" + a.severity() + ")");
            }
        }
        return out;
    }
}
