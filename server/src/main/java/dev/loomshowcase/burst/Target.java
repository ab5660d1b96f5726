package dev.loomshowcase.burst;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * One URL the load generator may send to. Only this machine qualifies (127.0.0.0/8,
 * {@code localhost}, {@code [::1]}) and only plain {@code http}: a load generator pointed at
 * someone else's server is an attack, so the check sits here, where every request is built, and
 * not in the command line alone. Host names other than {@code localhost} are refused without a
 * DNS look-up: a name could resolve anywhere.
 *
 * @param url          the URL as given
 * @param address      where to connect (a loopback address and the port)
 * @param pathAndQuery what goes into the request line
 */
public record Target(String url, InetSocketAddress address, String pathAndQuery) {

    /**
     * Parses and checks a URL.
     *
     * @throws IllegalArgumentException with a message for a person when the URL is not plain
     *                                  http on this machine
     */
    public static Target of(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + url + " (" + e.getReason() + ")");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("refusing " + url + ": only plain http:// URLs are supported");
        }
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("refusing " + url + ": no host");
        }
        InetAddress address = loopback(host);
        if (address == null) {
            throw new IllegalArgumentException("refusing " + url + ": the load generator only sends to this machine"
                    + " (127.0.0.1 or any 127.x.y.z, localhost, [::1]), never to " + host);
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("refusing " + url + ": no user info or fragment, please");
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new Target(url, new InetSocketAddress(address, port), path + query);
    }

    /** The loopback address a host stands for, or null when it is not one (or not a literal). */
    private static InetAddress loopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return InetAddress.getLoopbackAddress();
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            InetAddress address = InetAddress.ofLiteral(literal);
            return address.isLoopbackAddress() ? address : null;
        } catch (IllegalArgumentException notALiteral) {
            return null;
        }
    }

    /** Another path on the same server, e.g. the side probe's {@code /whoami}. */
    public Target resolve(String pathAndQuery) {
        String host = address.getAddress().getHostAddress();
        String origin = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
        return of(origin + (pathAndQuery.startsWith("/") ? "" : "/") + pathAndQuery);
    }

    /**
     * The bytes of a GET for this URL. With {@code keepAlive} false the request says
     * {@code Connection: close}; the client still closes the socket itself (see {@link Connection}).
     */
    public byte[] request(boolean keepAlive) {
        String host = address.getAddress().getHostAddress();
        return ("GET " + pathAndQuery + " HTTP/1.1\r\n"
                + "Host: " + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + "\r\n"
                + "User-Agent: loom-showcase-load-generator\r\n"
                + (keepAlive ? "" : "Connection: close\r\n")
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return url;
    }
}
