package dev.tether.sigv4;

/** Checks a {@code host[:port]} value as it appears in a URL and a Host header. */
final class HostNames {
    private static final int MAX_HOST_LENGTH = 253;

    private HostNames() {
    }

    /**
     * @return the value unchanged
     * @throws IllegalArgumentException naming the value and what is allowed
     */
    static String checked(String hostAndPort) {
        if (hostAndPort == null || hostAndPort.isEmpty()) {
            throw new IllegalArgumentException("host is empty: give a host name such as"
                    + " abc123-ats.iot.us-east-1.amazonaws.com, optionally with :port");
        }
        if (hostAndPort.contains("/") || hostAndPort.contains("@") || hostAndPort.contains("?")) {
            throw refused(hostAndPort, "give the host name alone, with no scheme, path or user info");
        }
        String host = hostAndPort;
        String port = null;
        if (hostAndPort.startsWith("[")) {
            int close = hostAndPort.indexOf(']');
            if (close < 0) {
                throw refused(hostAndPort, "an IPv6 address must be closed by ']'");
            }
            host = hostAndPort.substring(1, close);
            if (close + 1 < hostAndPort.length()) {
                if (hostAndPort.charAt(close + 1) != ':') {
                    throw refused(hostAndPort, "only ':port' may follow an IPv6 address");
                }
                port = hostAndPort.substring(close + 2);
            }
            checkIpv6(hostAndPort, host);
        } else {
            int colon = hostAndPort.indexOf(':');
            if (colon >= 0) {
                host = hostAndPort.substring(0, colon);
                port = hostAndPort.substring(colon + 1);
            }
            checkName(hostAndPort, host);
        }
        if (port != null) {
            checkPort(hostAndPort, port);
        }
        return hostAndPort;
    }

    private static void checkName(String original, String name) {
        if (name.isEmpty() || name.length() > MAX_HOST_LENGTH) {
            throw refused(original, "a host name has 1 to 253 characters");
        }
        if (name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            throw refused(original, "a host name has no empty labels");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
                    || c == '.';
            if (!allowed) {
                throw refused(original, "a host name holds only letters, digits, '-' and '.' (no scheme, path"
                        + " or user info)");
            }
        }
    }

    private static void checkIpv6(String original, String address) {
        if (address.isEmpty()) {
            throw refused(original, "the IPv6 address is empty");
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                throw refused(original, "an IPv6 address holds only hex digits, ':' and '.'");
            }
        }
    }

    private static void checkPort(String original, String port) {
        if (port.isEmpty() || port.length() > 5) {
            throw refused(original, "the port is a number from 1 to 65535");
        }
        int value = 0;
        for (int i = 0; i < port.length(); i++) {
            char c = port.charAt(i);
            if (c < '0' || c > '9') {
                throw refused(original, "the port is a number from 1 to 65535");
            }
            value = value * 10 + (c - '0');
        }
        if (value < 1 || value > 65_535) {
            throw refused(original, "the port is a number from 1 to 65535");
        }
    }

    private static IllegalArgumentException refused(String host, String rule) {
        return new IllegalArgumentException("host '" + host + "' is not allowed: " + rule);
    }
}
