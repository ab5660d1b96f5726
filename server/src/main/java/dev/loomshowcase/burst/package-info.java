/**
 * N requests at once against a URL, with a side probe beside them: what the race page
 * ({@code race/}) runs against this very server. The load generator (the {@code loadgen}
 * module: its command line, open and closed loops, rate sweep, reports and charts) builds on
 * these classes, so there is one copy of them and none of the generator in the server's jar.
 */
package dev.loomshowcase.burst;
