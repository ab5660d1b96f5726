package dev.loomshowcase.db;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** A failed readiness check tells {@code /observe/health} what went wrong, not where the files are. */
class DatabaseReadinessTest {

    @Test
    void absolutePathsInDatabaseErrorsAreHidden() {
        String h2 = "Database may be already in use: \"/home/someone/loom-showcase/data/showcase.mv.db\". "
                + "Possible solutions: close all other connection(s); use the server mode [90020-240]";
        String hidden = DatabaseReadiness.withoutPaths(h2);
        assertThat(hidden, not(containsString("/home")));
        assertThat(hidden, containsString("already in use: \"<path>\""));
        assertThat(DatabaseReadiness.withoutPaths("cannot open jdbc:h2:file:/srv/x/showcase (/srv/x/showcase.lock)"),
                is("cannot open jdbc:h2:file:<path> (<path>)"));
        assertThat("relative paths and the rest stay", DatabaseReadiness.withoutPaths("./data/showcase: 3 of 10 connections"),
                is("./data/showcase: 3 of 10 connections"));
    }
}
