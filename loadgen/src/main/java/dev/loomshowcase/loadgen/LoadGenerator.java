package dev.loomshowcase.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.loomshowcase.burst.Burst;
import dev.loomshowcase.burst.Http2Burst;
import dev.loomshowcase.burst.Measurement;
import dev.loomshowcase.burst.Options;
import dev.loomshowcase.burst.ServerStats;

import jakarta.json.JsonObject;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * The load generator's command line: a {@link Burst}, an {@link OpenLoop}, a
 * {@link RateSweep}, a {@link ClosedLoop} or {@link Once} against a server on this machine, with the {@link SideProbe} and the
 * {@link ServerStats} watching, a summary for a person and one JSON object for a program.
 *
 * <pre>
 * java --enable-preview -jar loadgen/target/loadgen.jar burst --url URL -n N [options]
 * java --enable-preview -jar loadgen/target/loadgen.jar open  --url URL --rate R --duration-s D [options]
 * java --enable-preview -jar loadgen/target/loadgen.jar sweep --url URL --rates 100,200,400 --duration-s D --p99-bound-ms B [options]
 * java --enable-preview -jar loadgen/target/loadgen.jar closed --url URL -c C --duration-s D [options]
 * java --enable-preview -jar loadgen/target/loadgen.jar once  --url URL [options]
 * </pre>
 *
 * Exit status: 0 when no measured request failed, 1 when some did, 2 when the command was
 * refused (bad arguments, a URL off this machine, too low an open-file limit), 3 when the run
 * overran its hard deadline.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    public static void main(String[] args) {
        Command command;
        try {
            command = Command.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("load generator: " + e.getMessage() + " (--help shows the usage)");
            System.exit(2);
            return;
        }
        if (command == null) {
            System.out.print(Command.USAGE);
            return;
        }
        // The hard deadline: whatever hangs, the process ends.
        Duration deadline = command.hardDeadline();
        Thread.ofPlatform().daemon().name("hard-deadline").start(() -> {
            try {
                Thread.sleep(deadline);
                System.err.println("load generator: stopped at its hard deadline of " + deadline.toSeconds() + " s");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException ignored) {
                // the JVM is ending
            }
        });
        // exit() rather than return: requests past their deadline must not keep the JVM alive.
        System.exit(execute(command, System.out, System.err));
    }

    /**
     * Runs a parsed command; returns the exit status.
     *
     * @param out where the summary goes (and the JSON with {@code --json -})
     */
    static int execute(Command command, PrintStream out, PrintStream err) {
        try {
            warmUp(command);
            Outcome outcome = switch (command.mode()) {
                case "burst" -> Outcome.of(command.http2Connections() == null ? Burst.run(command.options(), command.n())
                        : Http2Burst.run(command.options(), command.n(), command.http2Connections()));
                case "closed" -> Outcome.of(ClosedLoop.run(command.options(), command.n(), command.duration()));
                case "open" -> Outcome.of(OpenLoop.run(command.options(), command.rate(), command.duration()));
                case "once" -> {
                    Once.Result result = Once.run(command.options());
                    yield new Outcome(result.summary(), result.json(), result.errors());
                }
                default -> {
                    RateSweep.Result result = RateSweep.run(command.options(), command.rates(), command.duration(),
                            command.p99BoundMs());
                    yield new Outcome(result.summary(), result.toJson(), result.errorCount());
                }
            };
            out.print(outcome.summary());
            JsonObject json = command.warmup().isZero() ? outcome.json()
                    : JSON.createObjectBuilder(outcome.json()).add("warmupS", command.warmup().toMillis() / 1_000.0).build();
            long errors = outcome.errors();
            if (command.json() != null) {
                String text = Report.pretty(json);
                if (command.json().equals("-")) {
                    out.print(text);
                } else {
                    Files.writeString(Path.of(command.json()), text, StandardCharsets.UTF_8);
                    out.println("  json       " + command.json());
                }
            }
            return errors == 0 ? 0 : 1;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("load generator: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("load generator: could not write " + command.json() + ": " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("load generator: interrupted");
            return 2;
        }
    }

    /** What a run came to, whatever its mode. */
    private record Outcome(String summary, JsonObject json, long errors) {
        static Outcome of(Measurement run) {
            return new Outcome(Report.summary(run), Report.json(run), run.errorCount());
        }
    }

    /**
     * The same load, unmeasured, for {@code --warmup-s}: this JVM's own code (the client, the
     * histograms) is interpreted at first, and at thousands of requests a second its first
     * second of JIT compiling shows in the p99 as if the server were slow. An open loop and a
     * sweep warm up at their (first) rate, a closed loop with its connections.
     */
    private static void warmUp(Command command) throws InterruptedException {
        if (command.warmup().isZero()) {
            return;
        }
        Options bare = Options.of(command.options().target()).withTimeout(command.options().timeout());
        switch (command.mode()) {
            case "closed" -> ClosedLoop.run(bare, command.n(), command.warmup());
            case "open" -> OpenLoop.run(bare, command.rate(), command.warmup());
            default -> OpenLoop.run(bare, command.rates().getFirst(), command.warmup());
        }
    }

}
