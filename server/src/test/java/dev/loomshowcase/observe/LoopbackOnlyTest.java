package dev.loomshowcase.observe;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Recording control answers only to loopback peers. (Over the network this can only be shown
 * from another host, which these tests do not use; the decision itself is checked here.)
 */
class LoopbackOnlyTest {

    @Test
    void onlyLoopbackPeersMayControlRecordings() {
        assertThat(ObserveService.isLoopback(new InetSocketAddress("127.0.0.1", 40000)), is(true));
        assertThat(ObserveService.isLoopback(new InetSocketAddress("127.8.9.10", 40000)), is(true));
        assertThat(ObserveService.isLoopback(new InetSocketAddress("::1", 40000)), is(true));
        assertThat(ObserveService.isLoopback(new InetSocketAddress("10.1.2.3", 40000)), is(false));
        assertThat(ObserveService.isLoopback(new InetSocketAddress("192.168.0.7", 40000)), is(false));
        assertThat(ObserveService.isLoopback(InetSocketAddress.createUnresolved("localhost", 40000)), is(false));
        assertThat(ObserveService.isLoopback(UnixDomainSocketAddress.of("/tmp/x.sock")), is(false));
    }
}
