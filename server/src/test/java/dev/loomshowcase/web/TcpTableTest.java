package dev.loomshowcase.web;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The byte scan of /proc/net/tcp{,6}: ports and states read as the kernel writes them, only for the ports asked. */
class TcpTableTest {

    private static final String TCP6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0000000000000000FFFF00000100007F:5BA0 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
               1: 0000000000000000FFFF00000100007F:5BA0 0000000000000000FFFF00000100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0 20 4 30 10 -1
            10000: 0000000000000000FFFF00000100007F:5BA0 0000000000000000FFFF00000100007F:D432 08 00000000:00000000 00:00000000 00000000     0        0 3 1 0 20 4 30 10 -1
             3: 0000000000000000FFFF00000100007F:D431 0000000000000000FFFF00000100007F:5BA0 01 00000000:00000000 00:00000000 00000000     0        0 4 1 0 20 4 30 10 -1
            """;
    private static final String TCP4 = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F90 0100007F:A000 06 00000000:00000000 03:00001234 00000000     0        0 0 3 0
            """;

    @Test
    void readsPortsAndStatesOfTheLocalPortsAsked() {
        Map<TcpTable.Ports, String> states = new HashMap<>();
        TcpTable.parse(TCP6.getBytes(StandardCharsets.US_ASCII), port -> port == 0x5BA0, states);
        assertThat(states, is(Map.of(new TcpTable.Ports(0x5BA0, 0), "0A",
                new TcpTable.Ports(0x5BA0, 0xD431), TcpTable.ESTABLISHED,
                new TcpTable.Ports(0x5BA0, 0xD432), TcpTable.CLOSE_WAIT)));
    }

    @Test
    void readsEveryLineWhenEveryPortIsAsked() {
        Map<TcpTable.Ports, String> states = new HashMap<>();
        TcpTable.parse(TCP4.getBytes(StandardCharsets.US_ASCII), port -> true, states);
        TcpTable.parse(TCP6.getBytes(StandardCharsets.US_ASCII), port -> true, states);
        assertThat(states.size(), is(5));
        assertThat(states.get(new TcpTable.Ports(8080, 0xA000)), is("06"));
        assertThat(states.get(new TcpTable.Ports(0xD431, 0x5BA0)), is(TcpTable.ESTABLISHED));
    }

    @Test
    void anEmptyTableHasNoConnections() {
        Map<TcpTable.Ports, String> states = new HashMap<>();
        TcpTable.parse(new byte[0], port -> true, states);
        TcpTable.parse("  sl  local_address\n".getBytes(StandardCharsets.US_ASCII), port -> true, states);
        assertThat(states.isEmpty(), is(true));
    }
}
