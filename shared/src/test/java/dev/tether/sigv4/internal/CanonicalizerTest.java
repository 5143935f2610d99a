package dev.tether.sigv4.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

class CanonicalizerTest {
    private static final String EVERY_ASCII_AND_SOME_UNICODE = everyAscii() + "\u00e9\u1234\ud83d\ude00 caf\u00e9";

    @Test
    @DisplayName("RFC 3986 encoding agrees with the SDK's SdkHttpUtils.urlEncode on every ASCII character and UTF-8")
    void encodeRfc3986_agreesWithSdk() {
        for (int i = 0; i < EVERY_ASCII_AND_SOME_UNICODE.length(); i++) {
            String single = EVERY_ASCII_AND_SOME_UNICODE.substring(i, i + 1);
            if (!Character.isSurrogate(single.charAt(0))) {
                assertThat(Canonicalizer.encodeRfc3986(single)).as("U+%04X", (int) single.charAt(0))
                        .isEqualTo(SdkHttpUtils.urlEncode(single));
            }
        }
        assertThat(Canonicalizer.encodeRfc3986(EVERY_ASCII_AND_SOME_UNICODE))
                .isEqualTo(SdkHttpUtils.urlEncode(EVERY_ASCII_AND_SOME_UNICODE));
    }

    @Test
    @DisplayName("encodeURIComponent encoding leaves !'()*~ alone and encodes the rest as RFC 3986 does")
    void encodeUriComponent_keepsJavaScriptMarks() {
        assertThat(Canonicalizer.encodeUriComponent("a+b/c=d&e?f g~h!i'j(k)l*m%n\u00e9"))
                .isEqualTo("a%2Bb%2Fc%3Dd%26e%3Ff%20g~h!i'j(k)l*m%25n%C3%A9");
    }

    @ParameterizedTest
    @CsvSource({
        "/, /",
        "//, /",
        "/./, /",
        "/example/.., /",
        "/a/b/../c, /a/c",
        "//example//, /example/",
        "/../../x, /x",
        "'', /"})
    void normalizePath_removesDotSegmentsAndRepeatedSlashes(String path, String normalized) {
        assertThat(Canonicalizer.normalizePath(path)).isEqualTo(normalized);
    }

    @Test
    void canonicalHeaderValue_trimsAndCollapsesWhitespaceAndFolds() {
        assertThat(Canonicalizer.canonicalHeaderValue("  a \t  b\n   c  ")).isEqualTo("a b c");
    }

    @Test
    void canonicalQuery_sortsByEncodedNameThenValue() {
        List<QueryParameter> parameters = List.of(new QueryParameter("b", "2"), new QueryParameter("a", "z"),
                new QueryParameter("a", "y"), new QueryParameter("\u1234", "x"), new QueryParameter("A", ""));

        assertThat(Canonicalizer.canonicalQuery(parameters)).isEqualTo("%E1%88%B4=x&A=&a=y&a=z&b=2");
    }

    @Test
    void parseQuery_decodes_andRefusesBadEscapes() {
        assertThat(Canonicalizer.parseQuery("a=%2F+b&&c")).containsExactly(new QueryParameter("a", "/+b"),
                new QueryParameter("c", ""));
        assertThatThrownBy(() -> Canonicalizer.parseQuery("a=%2"))
                .isInstanceOf(MalformedSigV4Input.class)
                .hasMessageContaining("query parameter #1");
    }

    private static String everyAscii() {
        StringBuilder out = new StringBuilder();
        for (char c = 0; c < 128; c++) {
            out.append(c);
        }
        return out.toString();
    }
}
