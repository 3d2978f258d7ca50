package dev.opsdeck;

import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.alert.AlertSink;
import dev.opsdeck.alert.Suppression;
import dev.opsdeck.auth.Role;
import dev.opsdeck.config.Json;
import dev.opsdeck.notify.Notifier;

/**
 * The layers, bottom to top: config <- probe <- store <- monitor <- api/web <- server <- cli.
 * Each may use the ones below it and never the ones above. Beside monitor, on top of store: auth
 * (users, sessions, API keys) and audit (the audit trail), which use only config and store and not
 * each other, so either can be tested and reasoned about alone.
 */
@AnalyzeClasses(packages = "dev.opsdeck", importOptions = ArchitectureTest.MainClassesOnly.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule noCyclesBetweenPackages =
            slices().matching("dev.opsdeck.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule configUsesNoOtherOpsdeckPackage = onlyUses("dev.opsdeck.config..");

    @ArchTest
    static final ArchRule probeUsesOnlyConfig = onlyUses("dev.opsdeck.probe..", "dev.opsdeck.config..");

    @ArchTest
    static final ArchRule storeUsesOnlyConfigAndProbe =
            onlyUses("dev.opsdeck.store..", "dev.opsdeck.config..", "dev.opsdeck.probe..");

    @ArchTest
    static final ArchRule networkUsesOnlyConfig = onlyUses("dev.opsdeck.network..", "dev.opsdeck.config..");

    @ArchTest
    static final ArchRule authUsesOnlyConfigAndStore =
            onlyUses("dev.opsdeck.auth..", "dev.opsdeck.config..", "dev.opsdeck.store..");

    @ArchTest
    static final ArchRule auditUsesOnlyConfigAndStore =
            onlyUses("dev.opsdeck.audit..", "dev.opsdeck.config..", "dev.opsdeck.store..");

    /**
     * Incidents sit on config and store, take alerts through the AlertEvent/AlertSink seam and send through the
     * Notifier interface only: the rules engine and the outbox can change without touching them. They use oncall
     * deliberately: an incident routes itself to an escalation policy, keeps its snapshot and asks it whom each
     * step pages (oncall is plain computation over config, so this adds no path to anything else).
     */
    @ArchTest
    static final ArchRule incidentUsesOnlyConfigStoreOncallAndTheAlertAndNotifySeams = classes()
            .that()
            .resideInAPackage("dev.opsdeck.incident..")
            .should()
            .onlyDependOnClassesThat(or(
                    resideInAnyPackage(
                            "dev.opsdeck.incident..",
                            "dev.opsdeck.config..",
                            "dev.opsdeck.store..",
                            "dev.opsdeck.oncall.."),
                    belongToAnyOf(AlertEvent.class, AlertSink.class, Notifier.class),
                    resideOutsideOfPackage("dev.opsdeck..")));

    /** Post-incident reviews read incidents and keep only what people write; nothing below them knows they exist. */
    @ArchTest
    static final ArchRule reviewUsesOnlyConfigStoreAndIncident =
            onlyUses("dev.opsdeck.review..", "dev.opsdeck.config..", "dev.opsdeck.store..", "dev.opsdeck.incident..");

    /**
     * Silences keep their own records and answer the alert engine through the Suppression seam only; of the bottom
     * layer they use the shared JSON mapper.
     */
    @ArchTest
    static final ArchRule silenceUsesOnlyStoreAndTheSuppressionSeam = classes()
            .that()
            .resideInAPackage("dev.opsdeck.silence..")
            .should()
            .onlyDependOnClassesThat(or(
                    resideInAnyPackage("dev.opsdeck.silence..", "dev.opsdeck.store.."),
                    belongToAnyOf(AlertEvent.class, Suppression.class, Json.class),
                    resideOutsideOfPackage("dev.opsdeck..")));

    /** On-call (rotations, escalation plans) is computation over configuration: no store, no delivery, no incidents. */
    @ArchTest
    static final ArchRule oncallUsesOnlyConfig = onlyUses("dev.opsdeck.oncall..", "dev.opsdeck.config..");

    /** Maintenance windows, like silences, keep their own records and answer the alert engine through Suppression. */
    @ArchTest
    static final ArchRule maintenanceUsesOnlyConfigStoreAndTheSuppressionSeam = classes()
            .that()
            .resideInAPackage("dev.opsdeck.maintenance..")
            .should()
            .onlyDependOnClassesThat(or(
                    resideInAnyPackage("dev.opsdeck.maintenance..", "dev.opsdeck.config..", "dev.opsdeck.store.."),
                    belongToAnyOf(AlertEvent.class, Suppression.class),
                    resideOutsideOfPackage("dev.opsdeck..")));

    /**
     * Runbooks run their steps with config, the check language and the store; they post through the Notifier seam
     * only and take from auth only the roles an approval needs. HTTP, pages and the CLI sit above them.
     */
    @ArchTest
    static final ArchRule runbookUsesConfigProbeStoreAndTheNotifyAndRoleSeams = classes()
            .that()
            .resideInAPackage("dev.opsdeck.runbook..")
            .should()
            .onlyDependOnClassesThat(or(
                    resideInAnyPackage(
                            "dev.opsdeck.runbook..",
                            "dev.opsdeck.config..",
                            "dev.opsdeck.probe..",
                            "dev.opsdeck.store.."),
                    belongToAnyOf(Notifier.class, Role.class),
                    resideOutsideOfPackage("dev.opsdeck..")));

    /** Notifications deliver what they are given: incidents call them, never the other way round. */
    @ArchTest
    static final ArchRule notifyUsesOnlyConfigAndStore =
            onlyUses("dev.opsdeck.notify..", "dev.opsdeck.config..", "dev.opsdeck.store..");

    /**
     * Backups sit on config and store, notify through the Notifier interface only, and may write the audit trail;
     * restore drills judge their SQL assertions with the check language (probe), as runbook sql steps do.
     * The API, the CLI and the server call them, never the other way round.
     */
    @ArchTest
    static final ArchRule backupUsesOnlyConfigProbeStoreAuditAndTheNotifySeam = classes()
            .that()
            .resideInAPackage("dev.opsdeck.backup..")
            .should()
            .onlyDependOnClassesThat(or(
                    resideInAnyPackage(
                            "dev.opsdeck.backup..",
                            "dev.opsdeck.config..",
                            "dev.opsdeck.probe..",
                            "dev.opsdeck.store..",
                            "dev.opsdeck.audit.."),
                    belongToAnyOf(Notifier.class),
                    resideOutsideOfPackage("dev.opsdeck..")));

    /**
     * Schedules fire what other packages do: backups and restore drills, runbook runs, and checks (through the probe
     * layer); they claim fire times in the store and page through the alert seam only.
     * The API, the pages, the CLI and the server sit above them.
     */
    @ArchTest
    static final ArchRule scheduleUsesConfigStoreBackupRunbookProbeAndTheAlertSeam = classes()
            .that()
            .resideInAPackage("dev.opsdeck.schedule..")
            .should()
            .onlyDependOnClassesThat(or(
                    resideInAnyPackage(
                            "dev.opsdeck.schedule..",
                            "dev.opsdeck.config..",
                            "dev.opsdeck.store..",
                            "dev.opsdeck.backup..",
                            "dev.opsdeck.runbook..",
                            "dev.opsdeck.probe.."),
                    belongToAnyOf(AlertEvent.class, AlertSink.class),
                    resideOutsideOfPackage("dev.opsdeck..")));

    /**
     * Checklists prove items with config, the check language, the store, the roles of auth and the runbook
     * package's masker; they page through the alert seam and read everything else through ChecklistSources, which
     * the server implements.
     */
    @ArchTest
    static final ArchRule checklistUsesConfigProbeStoreAndItsSeams = classes()
            .that()
            .resideInAPackage("dev.opsdeck.checklist..")
            .should()
            .onlyDependOnClassesThat(or(
                    resideInAnyPackage(
                            "dev.opsdeck.checklist..",
                            "dev.opsdeck.config..",
                            "dev.opsdeck.probe..",
                            "dev.opsdeck.store.."),
                    belongToAnyOf(AlertEvent.class, AlertSink.class, Role.class, dev.opsdeck.runbook.Masker.class),
                    resideOutsideOfPackage("dev.opsdeck..")));

    /** Only the layers on top (server, API, pages, CLI) start or ask schedules. */
    @ArchTest
    static final ArchRule onlyTheTopLayersUseSchedules = noClasses()
            .that()
            .resideOutsideOfPackages(
                    "dev.opsdeck.schedule..",
                    "dev.opsdeck.server..",
                    "dev.opsdeck.api..",
                    "dev.opsdeck.web..",
                    "dev.opsdeck.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.opsdeck.schedule..");

    /**
     * The credential and certificate inventory reads configuration, reads certificates with the probe layer's TLS
     * helpers, keeps its state in the store and pages through the alert seam only. The API, the pages and the server
     * sit above it; other capabilities (readiness checklists) may read its facts.
     */
    @ArchTest
    static final ArchRule credentialUsesConfigProbeStoreAndTheAlertSeam = classes()
            .that()
            .resideInAPackage("dev.opsdeck.credential..")
            .should()
            .onlyDependOnClassesThat(or(
                    resideInAnyPackage(
                            "dev.opsdeck.credential..",
                            "dev.opsdeck.config..",
                            "dev.opsdeck.store..",
                            "dev.opsdeck.probe.."),
                    belongToAnyOf(AlertEvent.class, AlertSink.class),
                    resideOutsideOfPackage("dev.opsdeck..")));

    /**
     * Deploys run through the runbook engine, judge their gate and bake with the probe layer, keep their records in
     * the store and page and notify through the alert and notify seams only. The API, the pages, the server and the
     * compile step (which checks a deploy's gate conditions against its checks) sit above it.
     */
    @ArchTest
    static final ArchRule deployUsesRunbooksProbesStoreAndItsSeams = classes()
            .that()
            .resideInAPackage("dev.opsdeck.deploy..")
            .should()
            .onlyDependOnClassesThat(or(
                    resideInAnyPackage(
                            "dev.opsdeck.deploy..",
                            "dev.opsdeck.config..",
                            "dev.opsdeck.probe..",
                            "dev.opsdeck.store..",
                            "dev.opsdeck.runbook.."),
                    belongToAnyOf(AlertEvent.class, AlertSink.class, Role.class, Notifier.class),
                    resideOutsideOfPackage("dev.opsdeck..")));

    /**
     * Nodes and leases sit on the store: they read the server settings, keep their rows in the store and know nothing
     * of what they coordinate; the server hands them what each beat reports and wraps the work that runs once.
     */
    @ArchTest
    static final ArchRule clusterUsesOnlyConfigAndStore =
            onlyUses("dev.opsdeck.cluster..", "dev.opsdeck.config..", "dev.opsdeck.store..");

    /** Only the layers on top (server, API, CLI) use the cluster. */
    @ArchTest
    static final ArchRule onlyTheTopLayersUseTheCluster = noClasses()
            .that()
            .resideOutsideOfPackages(
                    "dev.opsdeck.cluster..", "dev.opsdeck.server..", "dev.opsdeck.api..", "dev.opsdeck.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.opsdeck.cluster..");

    /**
     * Doctor is Opsdeck's own checklist: its items are facts about a configuration, judged by the checklist engine
     * (and, for a unit file, by the probe layer's systemd check). The caller finds out the bootstrap state from auth
     * or the store; nothing below knows the doctor, so the engine stays one.
     */
    @ArchTest
    static final ArchRule doctorUsesOnlyConfigProbeAndChecklist =
            onlyUses("dev.opsdeck.doctor..", "dev.opsdeck.config..", "dev.opsdeck.probe..", "dev.opsdeck.checklist..");

    /** Alert rules read configuration, results and the monitor's root causes; incidents and HTTP sit above them. */
    @ArchTest
    static final ArchRule alertUsesOnlyConfigProbeStoreAndMonitor = onlyUses(
            "dev.opsdeck.alert..",
            "dev.opsdeck.config..",
            "dev.opsdeck.probe..",
            "dev.opsdeck.store..",
            "dev.opsdeck.monitor..");

    /** The SSH runner and the markdown import stand alone: each can be tested and reused without Opsdeck. */
    @ArchTest
    static final ArchRule runbookSshUsesNoOtherOpsdeckPackage = onlyUses("dev.opsdeck.runbook.ssh..");

    @ArchTest
    static final ArchRule runbookMarkdownUsesNoOtherOpsdeckPackage = onlyUses("dev.opsdeck.runbook.markdown..");

    @ArchTest
    static final ArchRule monitorDoesNotUseTheLayersAboveIt = noClasses()
            .that()
            .resideInAPackage("dev.opsdeck.monitor..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.opsdeck.api..", "dev.opsdeck.web..", "dev.opsdeck.cli..", "dev.opsdeck.server..");

    @ArchTest
    static final ArchRule apiAndWebDoNotUseCli = noClasses()
            .that()
            .resideInAnyPackage("dev.opsdeck.api..", "dev.opsdeck.web..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.opsdeck.cli..");

    @ArchTest
    static final ArchRule onlyCliUsesCli = noClasses()
            .that()
            .resideOutsideOfPackage("dev.opsdeck.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.opsdeck.cli..");

    /**
     * The compile step sits above the type families it compiles (checks; channels, runbook steps and backup
     * destinations as they join; checklists with the doctor's built in) and below everything that runs a blueprint.
     */
    @ArchTest
    static final ArchRule blueprintUsesOnlyTheFamiliesItCompiles = onlyUses(
            "dev.opsdeck.blueprint..",
            "dev.opsdeck.config..",
            "dev.opsdeck.probe..",
            "dev.opsdeck.notify..",
            "dev.opsdeck.runbook..",
            "dev.opsdeck.backup..",
            "dev.opsdeck.checklist..",
            "dev.opsdeck.deploy..",
            "dev.opsdeck.doctor..");

    /** Capabilities get the parts of a blueprint they run, never the blueprint: only the wiring and its readers hold it. */
    @ArchTest
    static final ArchRule onlyTheWiringHoldsABlueprint = noClasses()
            .that()
            .resideOutsideOfPackages(
                    "dev.opsdeck.blueprint..",
                    "dev.opsdeck.server..",
                    "dev.opsdeck.cli..",
                    "dev.opsdeck.api..",
                    "dev.opsdeck.web..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.opsdeck.blueprint..");

    /**
     * Skips test classes wherever the build puts them: ImportOption.DoNotIncludeTests only knows
     * {@code target/test-classes}, and builds here use other directories ({@code -Dopsdeck.build.dir}).
     */
    static final class MainClassesOnly implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("/test-classes/");
        }
    }

    /** Classes in {@code layer} depend only on themselves, {@code allowed} and code outside Opsdeck. */
    private static ArchRule onlyUses(String layer, String... allowed) {
        String[] packages = new String[allowed.length + 1];
        packages[0] = layer;
        System.arraycopy(allowed, 0, packages, 1, allowed.length);
        return classes()
                .that()
                .resideInAPackage(layer)
                .should()
                .onlyDependOnClassesThat(or(resideInAnyPackage(packages), resideOutsideOfPackage("dev.opsdeck..")));
    }
}
