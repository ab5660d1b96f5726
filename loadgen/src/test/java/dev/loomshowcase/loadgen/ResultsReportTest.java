package dev.loomshowcase.loadgen;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.InputSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The report of a compare/ run: medians and ranges over the repeats, a results.json with every
 * run, and SVG charts that are well-formed XML.
 */
class ResultsReportTest {

    @Test
    void reportsMediansRangesAndCharts(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("environment.json"), "{\"cores\": 2, \"jdk\": \"25\"}");
        Files.writeString(folder.resolve("cases.tsv"), """
                # id\tgroup\tlabel\ttarget
                sleep-virtual\tsleep N=100\tvirtual\tshowcase
                sleep-async\tsleep N=100\tasync def\tfastapi
                """);
        Path runs = Files.createDirectories(folder.resolve("runs/sleep-virtual"));
        for (int i = 0; i < 3; i++) {
            Files.writeString(runs.resolve(i + ".json"), """
                    {"makespanMs": %d, "latency": {"p50": 1000, "p99": %d}, "probe": {"p99": 3}, "config": {"n": 100},
                     "errors": {}, "server": {"cpuSeconds": 0.5, "peakRssBytes": 104857600}}
                    """.formatted(1000 + 100 * i, 1010 + 10 * i));
        }
        Files.createDirectories(folder.resolve("runs/sleep-async"));
        Files.writeString(folder.resolve("runs/sleep-async/0.json"),
                "{\"makespanMs\": 1500, \"latency\": {\"p99\": 1490}, \"errors\": {\"503\": 2}, \"config\": {\"n\": 100}}");

        ResultsReport.main(new String[] {folder.toString()});

        JsonObject results = Json.createReader(new StringReader(Files.readString(folder.resolve("results.json")))).readObject();
        assertThat(results.getJsonArray("cases").size(), is(2));
        assertThat(results.getJsonArray("cases").getJsonObject(0).getJsonArray("runs").size(), is(3));
        String md = Files.readString(folder.resolve("results.md"));
        assertThat("median 1,100 with range 1,000–1,200", md, containsString("| virtual | showcase | 1,100 ms (1,000–1,200) |"));
        assertThat("errors are summed", md, containsString("| async def | fastapi | 1,500 ms |"));
        assertThat(md, containsString("| 2 |"));
        assertThat("peak RSS in MiB", md, containsString("| 0.5 | 100 |"));
        for (String chart : new String[] {"makespan.svg", "latency-p99.svg", "side-probe-p99.svg"}) {
            String svg = Files.readString(folder.resolve(chart));
            DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
            assertThat(chart, svg, containsString("sleep N=100: virtual"));
        }
        assertThat("no throughput figures, no throughput chart", Files.exists(folder.resolve("throughput.svg")), is(false));
    }

    @Test
    void throughputHeadlineComparesTheTargetsAndCrossChecksTheHarnessWithWrk(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("environment.json"), "{\"cores\": 2}");
        Files.writeString(folder.resolve("cases.tsv"), """
                closed-showcase\ttrivial, closed loop\twhoami\tshowcase
                wrk-showcase\ttrivial, closed loop\twhoami (wrk)\tshowcase
                closed-fastapi\ttrivial, closed loop\ttrivial\tfastapi
                wrk-fastapi\ttrivial, closed loop\ttrivial (wrk)\tfastapi
                closed-best\ttrivial, closed loop\ttrivial (2 workers)\tfastapi-best
                wrk-best\ttrivial, closed loop\ttrivial (2 workers) (wrk)\tfastapi-best
                sweep-showcase\ttrivial, best rate\twhoami\tshowcase
                sweep-fastapi\ttrivial, best rate\ttrivial\tfastapi
                """);
        write(folder, "closed-showcase", "{\"mode\": \"closed\", \"achievedRate\": 90000, \"errors\": {}}");
        write(folder, "wrk-showcase", "{\"mode\": \"wrk\", \"achievedRate\": 100000, \"errors\": {\"read\": 0}}");
        write(folder, "closed-fastapi", "{\"mode\": \"closed\", \"achievedRate\": 5000, \"errors\": {}}");
        write(folder, "wrk-fastapi", "{\"mode\": \"wrk\", \"achievedRate\": 4000, \"errors\": {}}");
        write(folder, "closed-best", "{\"mode\": \"closed\", \"achievedRate\": 18000, \"errors\": {}}");
        write(folder, "wrk-best", "{\"mode\": \"wrk\", \"achievedRate\": 20000, \"errors\": {}}");
        write(folder, "sweep-showcase", "{\"mode\": \"sweep\", \"bestRate\": 20000, \"errors\": {}}");
        write(folder, "sweep-fastapi", "{\"mode\": \"sweep\", \"bestRate\": 4000, \"stoppedAtRate\": 5000, \"errors\": {}}");

        ResultsReport.main(new String[] {folder.toString()});

        String md = Files.readString(folder.resolve("results.md"));
        assertThat("both configurations of the peer, each with its ratio", md,
                containsString("| closed loop (this harness): trivial, closed loop | 90,000/s | 5,000/s | 18.0× | 18,000/s | 5.0× |"));
        assertThat(md, containsString("| closed loop (wrk): trivial, closed loop | 100,000/s | 4,000/s | 25.0× | 20,000/s | 5.0× |"));
        assertThat("a sweep that passed every rate is a lower bound; a configuration without a sweep is a dash",
                md, containsString("| trivial, best rate | ≥ 20,000/s | 4,000/s | ≥ 5.0× | – | – |"));
        assertThat(md, containsString("| showcase: whoami | 90,000/s | 100,000/s | 0.90 | yes |"));
        assertThat("25 % off is not within 20 %", md, containsString("| fastapi: trivial | 5,000/s | 4,000/s | 1.25 | **no** |"));
        assertThat(md, containsString("| fastapi-best: trivial (2 workers) | 18,000/s | 20,000/s | 0.90 | yes |"));
        String svg = Files.readString(folder.resolve("throughput.svg"));
        assertThat(svg, containsString("trivial, closed loop: whoami (wrk)"));
        assertThat("sweeps are not closed loops", svg.contains("best rate"), is(false));
    }

    @Test
    void threadsCasesGetTheirOwnTableAndCharts(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("environment.json"), "{\"cores\": 2}");
        Files.writeString(folder.resolve("cases.tsv"), """
                threads-virtual-1000000\tthreads N=1,000,000, 1 s\tvirtual (/threads)\tshowcase
                threads-bare-virtual-1000000\tthreads N=1,000,000, 1 s\tvirtual, bare JDK program\tbare
                threads-async-1000000\tthreads N=1,000,000, 1 s\tasyncio.gather\tfastapi
                """);
        write(folder, "threads-virtual-1000000", """
                {"mode": "once", "status": 200, "errors": {}, "answer": {"elapsedMs": 12100, "result": {"n": 1000000,
                 "startAllMs": 1900, "makespanMs": 12000, "wakeMs": 9100, "peakLive": 1000000,
                 "heapBytesPerThread": 850, "rssBytesPerThread": 990}}}""");
        write(folder, "threads-bare-virtual-1000000", """
                {"mode": "once", "status": 0, "errors": {}, "answer": {"result": {"n": 1000000, "startAllMs": 1500,
                 "makespanMs": 11000, "wakeMs": 8500, "peakLive": 1000000, "heapBytesPerThread": 800, "rssBytesPerThread": 900}}}""");
        // A twin that answers its figures at the top of its object is read as well.
        write(folder, "threads-async-1000000", """
                {"mode": "once", "status": 200, "errors": {}, "answer": {"n": 1000000, "startAllMs": 3000,
                 "makespanMs": 9000, "peakLive": 1000000, "heapBytesPerThread": 1200, "rssBytesPerThread": 1500}}""");

        ResultsReport.main(new String[] {folder.toString()});

        String md = Files.readString(folder.resolve("results.md"));
        assertThat(md, containsString("| case | target | makespan | start all | wake-up | peak live | heap B/thread | RSS B/thread | errors |"));
        assertThat(md, containsString("| virtual (/threads) | showcase | 12,000 ms | 1,900 ms | 9,100 ms | 1,000,000 | 850 | 990 | 0 |"));
        assertThat(md, containsString("| asyncio.gather | fastapi | 9,000 ms | 3,000 ms | – | 1,000,000 | 1,200 | 1,500 | 0 |"));
        assertThat("a once run has no burst makespan of its own", Files.exists(folder.resolve("makespan.svg")), is(false));
        String svg = Files.readString(folder.resolve("million-makespan.svg"));
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
        assertThat(svg, containsString("threads N=1,000,000, 1 s: virtual, bare JDK program"));
        assertThat("the bare program's bar is grey", svg, containsString("#888888"));
        assertThat(svg, containsString("grey: the bare JDK program"));
        assertThat(Files.readString(folder.resolve("threads-million-heap-per-thread.svg")), containsString("N=1,000,000, 1 s: asyncio.gather"));
    }

    @Test
    void theConnectionCeilingHasItsOwnTableWithConnectionsAndRssPerRequest(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("environment.json"), "{\"cores\": 2}");
        Files.writeString(folder.resolve("cases.tsv"), """
                ceiling-http1\tceiling\tHTTP/1.1, a connection each\tshowcase
                ceiling-h2c\tceiling\th2c, 250 connections\tshowcase
                """);
        write(folder, "ceiling-http1", """
                {"mode": "burst", "makespanMs": 2500, "latency": {"p50": 1800, "p99": 2400}, "errors": {},
                 "config": {"n": 15000}, "requests": {"connections": 15000}, "rssPerInFlightBytes": 30720,
                 "server": {"cpuSeconds": 3.5, "peakRssBytes": 524288000}}
                """);
        write(folder, "ceiling-h2c", """
                {"mode": "burst-h2", "makespanMs": 3900, "latency": {"p50": 2500, "p99": 3800}, "errors": {},
                 "config": {"n": 100000}, "requests": {"connections": 250}, "rssPerInFlightBytes": 10240,
                 "server": {"cpuSeconds": 6, "peakRssBytes": 1073741824}}
                """);

        ResultsReport.main(new String[] {folder.toString()});

        String md = Files.readString(folder.resolve("results.md"));
        assertThat(md, containsString("| case | protocol | in flight | connections |"));
        assertThat(md, containsString("| HTTP/1.1, a connection each | HTTP/1.1 | 15,000 | 15,000 | 2,500 ms |"));
        assertThat(md, containsString("| h2c, 250 connections | h2c | 100,000 | 250 | 3,900 ms | 2,500 ms | 3,800 ms | 6.0 | 1,024 | 10.0 KiB | 0 |"));
    }

    @Test
    void serverCpuPerRequestAgainstEachPeerAndWhatObservingCosts(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("environment.json"), "{\"cores\": 2}");
        Files.writeString(folder.resolve("cases.tsv"), """
                reqcpu-2000-showcase\tserver CPU per request, open loop 2,000/s\twhoami\tshowcase
                reqcpu-2000-fastapi\tserver CPU per request, open loop 2,000/s\ttrivial\tfastapi
                reqcpu-2000-fastapi-best\tserver CPU per request, open loop 2,000/s\ttrivial\tfastapi-best
                reqcpu-5000-showcase\tserver CPU per request, open loop 5,000/s\twhoami\tshowcase
                observe-on\tobservers, closed loop, 32 connections\ton (default)\tshowcase
                observe-off\tobservers, closed loop, 32 connections\toff\tshowcase
                """);
        write(folder, "reqcpu-2000-showcase", open(20));
        write(folder, "reqcpu-2000-fastapi", open(400));
        write(folder, "reqcpu-2000-fastapi-best", open(100));
        write(folder, "reqcpu-5000-showcase", open(25));
        write(folder, "observe-on", "{\"mode\": \"closed\", \"achievedRate\": 8500, \"errors\": {}, \"server\": {\"cpuUsPerRequest\": 12}}");
        write(folder, "observe-off", "{\"mode\": \"closed\", \"achievedRate\": 10000, \"errors\": {}, \"server\": {\"cpuUsPerRequest\": 10}}");

        ResultsReport.main(new String[] {folder.toString()});

        String md = Files.readString(folder.resolve("results.md"));
        assertThat(md, containsString("| server CPU per request, open loop 2,000/s | 20.0 µs | 400 µs | 100 µs | 0.05 | 0.20 |"));
        assertThat("a rate without peers", md,
                containsString("| server CPU per request, open loop 5,000/s | 25.0 µs | – | – | – | – |"));
        assertThat("85 % is under the 90 % target",
                md, containsString("| observers, closed loop, 32 connections | 8,500/s | 10,000/s | 85 % | **not met** |"));
        assertThat(md, containsString("| server CPU per request | 12.0 µs | 10.0 µs | 120 % | |"));
        assertThat("the observing-cost loops are not the throughput headline", md.contains("## Throughput"), is(false));
        String svg = Files.readString(folder.resolve("cpu-per-request.svg"));
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
        assertThat(svg, containsString("open loop 2,000/s: trivial"));
        assertThat("the best peer is drawn as a peer", svg.split("#e3a21a", -1).length - 1, is(2));
    }

    private static String open(double microsPerRequest) {
        return "{\"mode\": \"open\", \"achievedRate\": 2000, \"errors\": {}, \"server\": {\"cpuUsPerRequest\": "
                + microsPerRequest + "}}";
    }

    @Test
    void coldStartCasesGetTheirTableAndChartsWithAndWithoutTheCache(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("environment.json"), "{\"cores\": 2}");
        Files.writeString(folder.resolve("cases.tsv"), """
                coldstart-aot\tcold start\twith the AOT cache\tshowcase
                coldstart-none\tcold start\twithout\tshowcase
                """);
        write(folder, "coldstart-aot", """
                {"mode":"coldstart","firstAnswerMs":900,"burstMakespansMs":[1900,1800,1700,1600,1500],
                 "firstBurstMs":1900,"fifthBurstMs":1500,"errors":{}}""");
        write(folder, "coldstart-none", """
                {"mode":"coldstart","firstAnswerMs":1800,"burstMakespansMs":[2100,1900,1700,1600,1550],
                 "firstBurstMs":2100,"fifthBurstMs":1550,"errors":{}}""");

        ResultsReport.main(new String[] {folder.toString()});

        String md = Files.readString(folder.resolve("results.md"));
        assertThat(md, containsString("| with the AOT cache | 900 ms | 1,900 ms | 1,500 ms | 1.27 | 1 |"));
        assertThat(md, containsString("| without | 1,800 ms | 2,100 ms | 1,550 ms | 1.35 | 1 |"));
        for (String chart : List.of("first-answer.svg", "coldstart-first-burst.svg", "coldstart-fifth-burst.svg")) {
            String svg = Files.readString(folder.resolve(chart));
            DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
            assertThat(chart, svg, containsString("cold start: with the AOT cache"));
            assertThat(chart, svg, containsString("cold start: without"));
        }
        assertThat("a launch has no burst makespan of its own", Files.exists(folder.resolve("makespan.svg")), is(false));
    }

    private static void write(Path folder, String id, String json) throws Exception {
        Files.writeString(Files.createDirectories(folder.resolve("runs").resolve(id)).resolve("1.json"), json);
    }
}
