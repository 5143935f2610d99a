package dev.tether.sigv4;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** One case folder of the AWS SigV4 test suite (see testdata/sigv4/README.md), read as the suite defines it. */
final class SuiteCase {
    final String name;
    final Path folder;
    final JsonObject context;

    private SuiteCase(Path folder) {
        this.folder = folder;
        this.name = folder.getFileName().toString();
        this.context = new JsonObject(text("context.json"));
    }

    static SuiteCase load(Path folder) {
        return new SuiteCase(folder);
    }

    String text(String file) {
        return new String(bytes(file), StandardCharsets.UTF_8);
    }

    byte[] bytes(String file) {
        try {
            return Files.readAllBytes(folder.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String accessKeyId() {
        return context.getJsonObject("credentials").getString("access_key_id");
    }

    String secretAccessKey() {
        return context.getJsonObject("credentials").getString("secret_access_key");
    }

    Optional<String> token() {
        return Optional.ofNullable(context.getJsonObject("credentials").getString("token"));
    }

    /** The credentials; with a token unless the case adds it after signing. */
    AwsCredentialsIdentity credentials() {
        return token().<AwsCredentialsIdentity>map(t -> AwsSessionCredentials.create(accessKeyId(),
                secretAccessKey(), t)).orElseGet(() -> AwsBasicCredentials.create(accessKeyId(), secretAccessKey()));
    }

    boolean tokenSigned() {
        return token().isPresent() && !context.getBoolean("omit_session_token", false);
    }

    String region() {
        return context.getString("region");
    }

    String service() {
        return context.getString("service");
    }

    Instant timestamp() {
        return Instant.parse(context.getString("timestamp"));
    }

    boolean normalize() {
        return context.getBoolean("normalize", true);
    }

    boolean signBody() {
        return context.getBoolean("sign_body", false);
    }

    long expiresSeconds() {
        return context.getLong("expiration_in_seconds");
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * An HTTP/1.1 request as the suite writes it: request line, {@code Name:value} lines (a line starting with
     * whitespace continues the previous value, kept with its line break), a blank line, the body.
     */
    record HttpText(String method, String path, String query, List<Map.Entry<String, String>> headers,
            byte[] body) {
        static HttpText parse(byte[] raw) {
            int headerEnd = indexOf(raw, "\n\n".getBytes(StandardCharsets.US_ASCII));
            String head = new String(raw, 0, headerEnd < 0 ? raw.length : headerEnd, StandardCharsets.UTF_8);
            byte[] body = headerEnd < 0 ? new byte[0] : Arrays.copyOfRange(raw, headerEnd + 2, raw.length);
            String[] lines = head.split("\n", -1);
            String requestLine = lines[0];
            // The target may hold spaces (get-space-*), so split at the first and the last space only.
            String method = requestLine.substring(0, requestLine.indexOf(' '));
            String target = requestLine.substring(requestLine.indexOf(' ') + 1, requestLine.lastIndexOf(' '));
            int question = target.indexOf('?');
            String path = question < 0 ? target : target.substring(0, question);
            String query = question < 0 ? "" : target.substring(question + 1);
            List<String[]> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                if (line.isEmpty()) {
                    continue;
                }
                if (Character.isWhitespace(line.charAt(0))) {
                    String[] previous = headers.get(headers.size() - 1);
                    previous[1] = previous[1] + "\n" + line;
                } else {
                    int colon = line.indexOf(':');
                    headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1)});
                }
            }
            List<Map.Entry<String, String>> entries = new ArrayList<>();
            for (String[] header : headers) {
                entries.add(Map.entry(header[0], header[1]));
            }
            return new HttpText(method, path, query, List.copyOf(entries), body);
        }

        private static int indexOf(byte[] haystack, byte[] needle) {
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                    return i;
                }
            }
            return -1;
        }
    }
}
