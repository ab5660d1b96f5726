package dev.loomshowcase.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of every TCP connection of this machine, as Linux's {@code /proc/net/tcp} and
 * {@code tcp6} list it: the one place a handler can see that its client has hung up, since
 * Helidon 4.5 tells it nothing. Empty where there is no such table (not Linux).
 */
public final class TcpTable {

    /** A connection seen from this side: its local port and its peer's. */
    public record Ports(int local, int remote) {
    }

    public static final String ESTABLISHED = "01";
    /** A server socket whose client has closed its side. */
    public static final String CLOSE_WAIT = "08";

    private TcpTable() {
    }

    /** The state of each connection now (two hex digits, e.g. {@link #ESTABLISHED}). */
    public static Map<Ports, String> read() {
        Map<Ports, String> states = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(Path.of(table));
                // Each line: sl local_address rem_address st ..., addresses as HEXADDR:HEXPORT.
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    states.put(new Ports(port(f[1]), port(f[2])), f[3]);
                }
            } catch (IOException | RuntimeException e) {
                // Not Linux, or no such table.
            }
        }
        return states;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
    }
}
