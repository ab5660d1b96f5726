package dev.loomshowcase.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The state of every TCP connection of this machine, as Linux's {@code /proc/net/tcp} and
 * {@code tcp6} list it: the one place a handler can see that its client has hung up, since
 * Helidon 4.5 tells it nothing. Empty where there is no such table (not Linux).
 *
 * <p>The tables list every socket of the machine, TIME_WAIT ones too: after a burst of 10,000
 * requests, about 35,000 lines. So they are scanned as bytes, and only the connections of the
 * local ports asked for are kept (splitting each line with a regular expression took half of the
 * showcase's CPU samples during such a burst).
 */
public final class TcpTable {

    /** A connection seen from this side: its local port and its peer's. */
    public record Ports(int local, int remote) {
    }

    public static final String ESTABLISHED = "01";
    /** A server socket whose client has closed its side. */
    public static final String CLOSE_WAIT = "08";

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    private TcpTable() {
    }

    /** The state of each connection now (two hex digits, e.g. {@link #ESTABLISHED}). */
    public static Map<Ports, String> read() {
        return read(port -> true);
    }

    /** The state of each connection whose local port {@code localPorts} accepts. */
    public static Map<Ports, String> read(IntPredicate localPorts) {
        Map<Ports, String> states = new HashMap<>();
        for (Path table : TABLES) {
            try {
                parse(Files.readAllBytes(table), localPorts, states);
            } catch (IOException | RuntimeException e) {
                // Not Linux, or no such table.
            }
        }
        return states;
    }

    /**
     * Each line after the header: {@code sl: local_address rem_address st ...}, the addresses as
     * HEXADDR:HEXPORT, the state as two hex digits.
     */
    static void parse(byte[] table, IntPredicate localPorts, Map<Ports, String> states) {
        int at = indexOf(table, (byte) '\n', 0) + 1; // past the header
        while (at > 0 && at < table.length) {
            int end = indexOf(table, (byte) '\n', at);
            if (end < 0) {
                end = table.length;
            }
            int local = indexOf(table, (byte) ':', indexOf(table, (byte) ':', at) + 1); // sl's colon, then the address's
            if (local > 0 && local < end) {
                int localPort = hex(table, local + 1, 4);
                if (localPorts.test(localPort)) {
                    int remote = indexOf(table, (byte) ':', local + 6);
                    int state = remote + 6;
                    states.put(new Ports(localPort, hex(table, remote + 1, 4)),
                            new String(table, state, 2, StandardCharsets.US_ASCII));
                }
            }
            at = end + 1;
        }
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static int hex(byte[] bytes, int from, int digits) {
        int value = 0;
        for (int i = from; i < from + digits; i++) {
            int digit = Character.digit(bytes[i], 16);
            if (digit < 0) {
                throw new IllegalArgumentException("not a hex digit in the TCP table");
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
