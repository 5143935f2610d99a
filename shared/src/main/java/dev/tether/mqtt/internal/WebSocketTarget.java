package dev.tether.mqtt.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where a {@code ws://} or {@code wss://} URL points, with its request target (path and query) kept exactly as
 * written: a presigned URL's signature covers the encoded query, so decoding or re-encoding it would break it.
 *
 * @param secure        true for {@code wss}
 * @param host          the host name or address
 * @param port          the port, 80 or 443 when the URL has none
 * @param requestTarget the path and query as written, {@code /} when the URL has no path
 */
public record WebSocketTarget(boolean secure, String host, int port, String requestTarget) {
    private static final int WS_PORT = 80;
    private static final int WSS_PORT = 443;

    /**
     * Splits a URL without decoding any part of it.
     *
     * @throws IllegalArgumentException if the scheme is not ws or wss or the host is missing; the message shows
     *                                  the URL only as {@link #redact(String)} does
     */
    public static WebSocketTarget parse(String url) {
        int schemeEnd = url.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("MQTT URL must start with ws:// or wss://, got '" + redact(url) + "'");
        }
        int authorityStart = schemeEnd + 3;
        int targetStart = indexOfAny(url, authorityStart, "/?#");
        String authority = url.substring(authorityStart, targetStart < 0 ? url.length() : targetStart);
        String target = targetStart < 0 ? "/" : url.substring(targetStart);
        int fragment = target.indexOf('#');
        if (fragment >= 0) {
            // A fragment is never sent in a request (RFC 6455 section 3 forbids it in a WebSocket URI).
            target = target.substring(0, fragment);
        }
        if (target.isEmpty() || target.charAt(0) == '?') {
            target = "/" + target;
        }

        if (authority.isEmpty()) {
            throw new IllegalArgumentException("MQTT URL needs a host: '" + redact(url) + "'");
        }
        URI hostAndPort;
        try {
            hostAndPort = new URI(scheme + "://" + authority);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("MQTT URL has an unreadable host or port: '" + redact(url) + "'");
        }
        if (hostAndPort.getHost() == null || hostAndPort.getUserInfo() != null) {
            throw new IllegalArgumentException("MQTT URL needs a host and no user info: '" + redact(url) + "'");
        }
        boolean secure = scheme.equals("wss");
        int port = hostAndPort.getPort() >= 0 ? hostAndPort.getPort() : secure ? WSS_PORT : WS_PORT;
        String host = hostAndPort.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new WebSocketTarget(secure, host, port, target);
    }

    /**
     * The URL with its query, fragment and any user info removed, fit for a log line or an error message: a
     * presigned URL's query holds credentials.
     */
    public static String redact(String url) {
        int end = indexOfAny(url, 0, "?#");
        String head = end < 0 ? url : url.substring(0, end);
        int schemeEnd = head.indexOf("://");
        int at = head.indexOf('@');
        if (schemeEnd >= 0 && at > schemeEnd) {
            head = head.substring(0, schemeEnd + 3) + head.substring(at + 1);
        }
        return head;
    }

    private static int indexOfAny(String text, int from, String chars) {
        for (int i = from; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
