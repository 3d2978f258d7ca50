package dev.opsdeck.config;

/** Everything about telling people: alert rules, incidents, notification channels, alert intake, on-call. */
public record PagingConfig(
        AlertsConfig alerts,
        IncidentsConfig incidents,
        ChannelsConfig channels,
        IntegrationsConfig integrations,
        OnCallConfig oncall) {}
