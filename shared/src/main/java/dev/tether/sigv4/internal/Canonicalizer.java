package dev.tether.sigv4.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one SigV4 canonicalizer of Tether: canonical URI, canonical query, canonical headers, canonical request
 * and string to sign, as the AWS documentation page "Create a canonical request for Signature Version 4"
 * describes them. The presigner, the verifier and the tests all build on it.
 *
 * <p>Stateless and thread-safe.
 */
public final class Canonicalizer {
    /** The only signing algorithm Tether produces or accepts. */
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";

    /** The last element of every credential scope. */
    public static final String SCOPE_TERMINATOR = "aws4_request";

    /** Hex SHA-256 of the empty payload, the payload hash of every GET presigned URL. */
    public static final String EMPTY_PAYLOAD_SHA256 =
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

    /** RFC 3986 section 2.3 unreserved characters: the only ones SigV4 leaves unencoded. */
    private static final boolean[] UNRESERVED = asciiSet("");

    /** Unreserved plus '/', for the canonical URI, whose slashes separate segments. */
    private static final boolean[] PATH = asciiSet("/");

    /** What JavaScript's encodeURIComponent leaves alone (ECMA-262): unreserved plus {@code !'()*}. */
    private static final boolean[] URI_COMPONENT = asciiSet("!'()*");

    private static final Comparator<String[]> BY_ENCODED_NAME_THEN_VALUE = (a, b) -> {
        int byName = a[0].compareTo(b[0]);
        return byName != 0 ? byName : a[1].compareTo(b[1]);
    };

    private Canonicalizer() {
    }

    /**
     * Canonical URI: the path, optionally normalized, with every byte outside the unreserved set and '/'
     * percent-encoded. Applied to a path as sent on the wire, this is the "encode each segment twice" rule
     * AWS applies to every service but S3: a {@code %2F} on the wire becomes {@code %252F}.
     *
     * @param path the path as sent or received, never decoded first
     * @param normalize whether to remove {@code .} and {@code ..} segments and repeated slashes first
     */
    public static String canonicalUri(String path, boolean normalize) {
        String source = normalize ? normalizePath(path) : path;
        if (source.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(source.length() + 16);
        appendEncoded(out, source, PATH);
        return out.toString();
    }

    /**
     * Removes empty, {@code .} and {@code ..} segments as RFC 3986 section 5.2.4 does, keeping a trailing slash.
     */
    static String normalizePath(String path) {
        List<String> segments = new ArrayList<>();
        int start = 0;
        int length = path.length();
        while (start <= length) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? length : slash;
            String segment = path.substring(start, end);
            if ("..".equals(segment)) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
            } else if (!segment.isEmpty() && !".".equals(segment)) {
                segments.add(segment);
            }
            start = end + 1;
        }
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(path.length());
        for (String segment : segments) {
            out.append('/').append(segment);
        }
        if (path.endsWith("/")) {
            out.append('/');
        }
        return out.toString();
    }

    /**
     * Canonical query string: each name and value RFC 3986-encoded, pairs sorted by encoded name then encoded
     * value, joined with {@code &}.
     *
     * @param parameters decoded names and values
     */
    public static String canonicalQuery(Collection<QueryParameter> parameters) {
        String[][] encoded = new String[parameters.size()][];
        int index = 0;
        int length = 0;
        for (QueryParameter parameter : parameters) {
            String name = encodeRfc3986(parameter.name());
            String value = encodeRfc3986(parameter.value());
            encoded[index++] = new String[] {name, value};
            length += name.length() + value.length() + 2;
        }
        Arrays.sort(encoded, BY_ENCODED_NAME_THEN_VALUE);
        StringBuilder out = new StringBuilder(length);
        for (String[] pair : encoded) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(pair[0]).append('=').append(pair[1]);
        }
        return out.toString();
    }

    /**
     * Splits a raw query string as received and decodes each name and value. Empty segments ({@code a&&b}) are
     * skipped; a segment without {@code =} has the empty value. A {@code +} is a literal plus: RFC 3986 gives it
     * no meaning, and SigV4 signers encode a space as {@code %20}.
     *
     * @throws MalformedSigV4Input on a bad percent-escape or bytes that are not UTF-8
     */
    public static List<QueryParameter> parseQuery(String rawQuery) {
        List<QueryParameter> parameters = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        int start = 0;
        int length = rawQuery.length();
        while (start <= length) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? length : amp;
            if (end > start) {
                int equals = rawQuery.indexOf('=', start);
                String rawName = equals < 0 || equals > end ? rawQuery.substring(start, end)
                        : rawQuery.substring(start, equals);
                String rawValue = equals < 0 || equals > end ? "" : rawQuery.substring(equals + 1, end);
                int position = parameters.size() + 1;
                parameters.add(new QueryParameter(decode(rawName, position), decode(rawValue, position)));
            }
            start = end + 1;
        }
        return parameters;
    }

    /**
     * Canonical headers of every header given, for signing: see {@link #canonicalHeaders(Iterable, List)}.
     */
    public static CanonicalHeaders canonicalHeaders(Iterable<Map.Entry<String, String>> headers) {
        return canonicalHeaders(headers, null);
    }

    /**
     * Canonical headers: names lower-cased and sorted, each value trimmed with runs of whitespace (including
     * the line breaks of a folded header) collapsed to one space, values of a repeated header joined with
     * {@code ,} in the order received.
     *
     * @param headers the request's headers, a name once per value
     * @param signedNames the lower-case names to include, or null for all
     * @throws MalformedSigV4Input when a name in {@code signedNames} is not among the headers
     */
    public static CanonicalHeaders canonicalHeaders(Iterable<Map.Entry<String, String>> headers,
            List<String> signedNames) {
        TreeMap<String, StringBuilder> values = new TreeMap<>();
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (signedNames != null && !signedNames.contains(name)) {
                continue;
            }
            String value = header.getValue() == null ? "" : canonicalHeaderValue(header.getValue());
            StringBuilder joined = values.get(name);
            if (joined == null) {
                values.put(name, new StringBuilder(value));
            } else {
                joined.append(',').append(value);
            }
        }
        if (signedNames != null) {
            for (String name : signedNames) {
                if (!values.containsKey(name)) {
                    throw new MalformedSigV4Input("signed header '" + name + "' is not in the request");
                }
            }
        }
        StringBuilder block = new StringBuilder();
        StringBuilder signed = new StringBuilder();
        for (Map.Entry<String, StringBuilder> entry : values.entrySet()) {
            block.append(entry.getKey()).append(':').append(entry.getValue()).append('\n');
            if (signed.length() > 0) {
                signed.append(';');
            }
            signed.append(entry.getKey());
        }
        return new CanonicalHeaders(block.toString(), signed.toString());
    }

    /** Trims a header value and collapses each run of spaces, tabs and line breaks to one space. */
    public static String canonicalHeaderValue(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean pendingSpace = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pendingSpace = out.length() > 0;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The canonical request: method, canonical URI, canonical query, canonical header block (each line ending
     * in a newline), signed header list and hex payload hash, one per line.
     */
    public static String canonicalRequest(String method, String canonicalUri, String canonicalQuery,
            String canonicalHeaderBlock, String signedHeaders, String payloadHashHex) {
        return new StringBuilder(method.length() + canonicalUri.length() + canonicalQuery.length()
                + canonicalHeaderBlock.length() + signedHeaders.length() + 72)
                .append(method).append('\n')
                .append(canonicalUri).append('\n')
                .append(canonicalQuery).append('\n')
                .append(canonicalHeaderBlock).append('\n')
                .append(signedHeaders).append('\n')
                .append(payloadHashHex)
                .toString();
    }

    /** Credential scope {@code YYYYMMDD/region/service/aws4_request}. */
    public static String credentialScope(String dateStamp, String region, String service) {
        return new StringBuilder(dateStamp.length() + region.length() + service.length() + 15)
                .append(dateStamp).append('/')
                .append(region).append('/')
                .append(service).append('/')
                .append(SCOPE_TERMINATOR)
                .toString();
    }

    /** String to sign: algorithm, X-Amz-Date, credential scope and hex SHA-256 of the canonical request. */
    public static String stringToSign(String amzDate, String credentialScope, String canonicalRequestHashHex) {
        return new StringBuilder(ALGORITHM.length() + amzDate.length() + credentialScope.length() + 67)
                .append(ALGORITHM).append('\n')
                .append(amzDate).append('\n')
                .append(credentialScope).append('\n')
                .append(canonicalRequestHashHex)
                .toString();
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters, as SigV4 wants names and values. */
    public static String encodeRfc3986(String value) {
        return encode(value, UNRESERVED);
    }

    /**
     * Percent-encodes like JavaScript's encodeURIComponent, which leaves {@code !'()*~} alone: AWS IoT Core
     * takes the session token of a presigned URL encoded that way, as the original pattern sends it.
     */
    public static String encodeUriComponent(String value) {
        return encode(value, URI_COMPONENT);
    }

    private static String encode(String value, boolean[] keep) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 128 || !keep[c]) {
                StringBuilder out = new StringBuilder(value.length() + 16);
                out.append(value, 0, i);
                appendEncoded(out, value.substring(i), keep);
                return out.toString();
            }
        }
        return value;
    }

    private static void appendEncoded(StringBuilder out, String value, boolean[] keep) {
        int length = value.length();
        int i = 0;
        while (i < length) {
            char c = value.charAt(i);
            if (c < 128) {
                if (keep[c]) {
                    out.append(c);
                } else {
                    appendPercent(out, c);
                }
                i++;
            } else {
                // Encode the whole run of non-ASCII characters at once so surrogate pairs stay together.
                int end = i + 1;
                while (end < length && value.charAt(end) >= 128) {
                    end++;
                }
                for (byte b : value.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    appendPercent(out, b & 0xFF);
                }
                i = end;
            }
        }
    }

    private static void appendPercent(StringBuilder out, int octet) {
        out.append('%').append(HEX_UPPER[octet >> 4]).append(HEX_UPPER[octet & 0xF]);
    }

    /**
     * Percent-decodes one raw query name or value. Characters that are not escapes are taken as they are, so a
     * raw non-ASCII character stands for its UTF-8 bytes.
     */
    private static String decode(String raw, int position) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length() * 4);
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int low = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw new MalformedSigV4Input("query parameter #" + position
                            + " has a '%' that is not followed by two hex digits");
                }
                bytes.put((byte) (high << 4 | low));
                i += 3;
            } else if (c < 128) {
                bytes.put((byte) c);
                i++;
            } else {
                int end = i + 1;
                while (end < raw.length() && raw.charAt(end) >= 128) {
                    end++;
                }
                bytes.put(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        bytes.flip();
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new MalformedSigV4Input("query parameter #" + position + " does not decode to UTF-8 text");
        }
    }

    private static boolean[] asciiSet(String extra) {
        boolean[] set = new boolean[128];
        for (char c = 'A'; c <= 'Z'; c++) {
            set[c] = true;
            set[Character.toLowerCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            set[c] = true;
        }
        for (char c : ("-._~" + extra).toCharArray()) {
            set[c] = true;
        }
        return set;
    }
}
