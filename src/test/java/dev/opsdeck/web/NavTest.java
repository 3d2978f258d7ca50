package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.ADMINISTER;
import static dev.opsdeck.auth.Permission.READ;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.auth.Role;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The top bar is built from the entries page groups add, in their order, filtered by the viewer's role. */
class NavTest {
    /** The links every page showed when the templates listed them by hand. */
    private static final String READER_NAV =
            "<nav class=\"crumbs\"><a href=\"/\">Services</a> <a href=\"/incidents\">Incidents</a>"
                    + " <a href=\"/oncall\">On call</a> <a href=\"/reviews\">Reviews</a> <a href=\"/silences\">Silences</a>"
                    + " <a href=\"/runbooks\">Runbooks</a> <a href=\"/backups\">Backups</a> <a href=\"/schedules\">Schedules</a></nav>";

    /** The server's entries, added in its registration order (not the links' order). */
    private static Nav serverNav() {
        return new Nav()
                .add("Services", "/", READ, 10)
                .add("Incidents", "/incidents", READ, 20)
                .add("Reviews", "/reviews", READ, 40)
                .add("Silences", "/silences", READ, 50)
                .add("On call", "/oncall", READ, 30)
                .add("Runbooks", "/runbooks", READ, 60)
                .add("Backups", "/backups", READ, 70)
                .add("Schedules", "/schedules", READ, 80);
    }

    private static String rendered(Nav nav, Role role) {
        Viewer viewer = new Viewer("", "", false, "", nav.visibleTo(role));
        return new PageTemplates().render("part/nav.jte", Map.of("viewer", viewer));
    }

    @Test
    void everyRoleAndTheSignInPageSeeTheLinksTheTemplatesListed() {
        Nav nav = serverNav();
        for (Role role : Role.values()) assertThat(rendered(nav, role)).contains(READER_NAV);
        assertThat(rendered(nav, null)).contains(READER_NAV);
    }

    @Test
    void anEntryIsShownOnlyToRolesHoldingItsPermission() {
        Nav nav = serverNav().add("Audit log", "/audit", ADMINISTER, 90);
        assertThat(rendered(nav, Role.OPERATOR)).contains(READER_NAV).doesNotContain("/audit");
        assertThat(rendered(nav, null)).doesNotContain("/audit");
        assertThat(rendered(nav, Role.ADMIN))
                .contains("<a href=\"/schedules\">Schedules</a> <a href=\"/audit\">Audit log</a></nav>");
    }

    @Test
    void labelsAreEscaped() {
        Nav nav = new Nav().add("<b>x</b>", "/x?a=1&b=2", READ, 1);
        assertThat(rendered(nav, Role.VIEWER)).contains("<a href=\"/x?a=1&amp;b=2\">&lt;b&gt;x&lt;/b&gt;</a></nav>");
    }
}
