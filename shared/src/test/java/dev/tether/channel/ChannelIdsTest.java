package dev.tether.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.channel.ChannelIdInvalid.Reason;
import dev.tether.testing.MutableClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelIdsTest {
    private static final String SECRET_TEXT = "0123456789abcdef0123456789abcdef-test-only";
    private static final Instant START = Instant.parse("2026-12-03T12:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final ChannelIds channelIds = new ChannelIds(ChannelSecret.fromUtf8(SECRET_TEXT), clock,
            new SecureRandom());

    @Test
    @DisplayName("An issued channel id is 61 characters of a-z and 2-7 and verifies as itself with its expiry")
    void issuedId_verifies() {
        ChannelId issued = channelIds.issue(Duration.ofMinutes(5));

        ChannelId verified = channelIds.verify(issued.value());

        assertThat(issued.value()).hasSize(61).matches("[a-z2-7]{61}");
        assertThat(issued.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(5)));
        assertThat(verified).isEqualTo(issued);
        assertThat(verified.expiresAt()).isEqualTo(issued.expiresAt());
        assertThat(verified).hasToString(issued.value());
    }

    @Test
    @DisplayName("The layout is version 1, 16 random bytes, 5 bytes of expiry and a 16-byte HMAC-SHA256 prefix")
    void issuedId_followsTheDocumentedLayout() throws Exception {
        ChannelId issued = channelIds.issue(Duration.ofSeconds(300));

        byte[] raw = new Base32().decode(issued.value().toUpperCase(Locale.ROOT));

        assertThat(raw).hasSize(38);
        assertThat(raw[0]).isEqualTo((byte) 1);
        long expiry = 0;
        for (int i = 17; i < 22; i++) {
            expiry = (expiry << 8) | (raw[i] & 0xff);
        }
        assertThat(expiry).isEqualTo(START.getEpochSecond() + 300);
        byte[] expectedMac = Arrays.copyOf(hmac(SECRET_TEXT, Arrays.copyOf(raw, 22)), 16);
        assertThat(Arrays.copyOfRange(raw, 22, 38)).isEqualTo(expectedMac);
    }

    @Test
    @DisplayName("An id built outside ChannelIds by the documented layout is accepted, with its expiry")
    void idBuiltByTheLayout_isAccepted() throws Exception {
        long expiry = START.getEpochSecond() + 60;
        String built = build((byte) 1, expiry, SECRET_TEXT);

        ChannelId verified = channelIds.verify(built);

        assertThat(verified.value()).isEqualTo(built);
        assertThat(verified.expiresAt()).isEqualTo(Instant.ofEpochSecond(expiry));
    }

    @Test
    void issuedIds_areAllDifferent() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(channelIds.issue(Duration.ofMinutes(1)).value());
        }

        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    @DisplayName("A time to live with a fraction of a second is rounded up, never down")
    void fractionalTimeToLive_isRoundedUp() {
        clock.set(START.plusMillis(500));

        ChannelId issued = channelIds.issue(Duration.ofSeconds(10));

        assertThat(issued.expiresAt()).isEqualTo(START.plusSeconds(11));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "PT-1S", "P366D"})
    void timeToLive_outsideTheAllowedRange_isRefused(String timeToLive) {
        assertThatThrownBy(() -> channelIds.issue(Duration.parse(timeToLive)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel id time to live is")
                .hasMessageContaining("more than zero and at most PT8760H");
    }

    @Test
    void nullTimeToLive_isRefused() {
        assertThatThrownBy(() -> channelIds.issue(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void null_isMalformed() {
        assertRefused(() -> channelIds.verify(null), Reason.MALFORMED, "channel id is missing (null)");
    }

    @Test
    void empty_isMalformed() {
        assertRefused(() -> channelIds.verify(""), Reason.MALFORMED, "channel id is empty");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 60, 62, 64, 100_000})
    @DisplayName("A candidate of the wrong length is malformed, and the message gives its length but not its text")
    void wrongLength_isMalformed(int length) {
        String candidate = "a".repeat(length);

        assertRefused(() -> channelIds.verify(candidate), Reason.MALFORMED,
                "channel id has " + length + " characters; a channel id has exactly 61");
        assertThatThrownBy(() -> channelIds.verify(candidate)).message().doesNotContain("aaaaaaaaa");
    }

    @Test
    @DisplayName("Padding after a valid id makes it malformed, since one id has exactly one spelling")
    void padding_isMalformed() {
        String padded = channelIds.issue(Duration.ofMinutes(1)).value() + "===";

        assertRefused(() -> channelIds.verify(padded), Reason.MALFORMED, "has 64 characters");
    }

    @Test
    @DisplayName("The upper-case spelling of a valid id is malformed, naming the first upper-case character")
    void upperCase_isMalformed() {
        String issued = channelIds.issue(Duration.ofMinutes(1)).value();
        String upper = issued.toUpperCase(Locale.ROOT);
        int firstLetter = firstLetterIndex(issued);

        assertRefused(() -> channelIds.verify(upper), Reason.MALFORMED,
                "'" + upper.charAt(firstLetter) + "' (U+00" + Integer.toHexString(upper.charAt(firstLetter))
                        .toUpperCase(Locale.ROOT) + ") at index " + firstLetter + "; allowed are only a-z and 2-7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "+", "#", "$", "=", "0", "1", "8", "9", "-", "."})
    @DisplayName("A character outside a-z and 2-7 is malformed, with the character and its index in the message")
    void characterOutsideTheAlphabet_isMalformed(String character) {
        String issued = channelIds.issue(Duration.ofMinutes(1)).value();
        String candidate = issued.substring(0, 20) + character + issued.substring(21);

        assertRefused(() -> channelIds.verify(candidate), Reason.MALFORMED,
                "'" + character + "' (U+00" + Integer.toHexString(character.charAt(0)).toUpperCase(Locale.ROOT)
                        + ") at index 20");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u00e9", "\n", " ", "\u0000", "\u202e", "\ud83d"})
    @DisplayName("Unicode, control and invisible characters are malformed and shown only as a code point")
    void unicodeOrControlCharacter_isMalformed(String character) {
        String issued = channelIds.issue(Duration.ofMinutes(1)).value();
        String candidate = issued.substring(0, 3) + character + issued.substring(4);
        String codePoint = String.format(Locale.ROOT, "U+%04X", (int) character.charAt(0));

        assertRefused(() -> channelIds.verify(candidate), Reason.MALFORMED, "has " + codePoint + " at index 3");
        assertThatThrownBy(() -> channelIds.verify(candidate)).message().doesNotContain(candidate.substring(0, 4));
    }

    @Test
    @DisplayName("A last character whose unused bits are not zero is malformed: a second spelling of the same bytes")
    void nonCanonicalLastCharacter_isMalformed() {
        String issued = channelIds.issue(Duration.ofMinutes(1)).value();
        // 38 bytes are 304 bits; 61 characters carry 305, so the last character has one unused low bit.
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        int last = alphabet.indexOf(issued.charAt(60));
        String sameBytes = issued.substring(0, 60) + alphabet.charAt(last | 1);

        assertThat(last % 2).as("a canonical last character leaves its unused bit zero").isZero();
        assertRefused(() -> channelIds.verify(sameBytes), Reason.MALFORMED, "is not canonical base32");
    }

    @Test
    @DisplayName("An id whose version is not 1 is malformed even with a valid MAC")
    void unknownVersion_isMalformed() throws Exception {
        String built = build((byte) 2, START.getEpochSecond() + 60, SECRET_TEXT);

        assertRefused(() -> channelIds.verify(built), Reason.MALFORMED, "has version 2; supported is version 1");
    }

    @Test
    @DisplayName("Changing one character of a valid id makes it forged")
    void alteredId_isForged() {
        String issued = channelIds.issue(Duration.ofMinutes(1)).value();
        char changed = issued.charAt(10) == 'a' ? 'b' : 'a';
        String altered = issued.substring(0, 10) + changed + issued.substring(11);

        assertRefused(() -> channelIds.verify(altered), Reason.FORGED,
                "was not issued under this channel secret (its MAC does not match)");
    }

    @Test
    @DisplayName("Moving the expiry of a valid id forward makes it forged")
    void extendedExpiry_isForged() throws Exception {
        String issued = channelIds.issue(Duration.ofMinutes(1)).value();
        byte[] raw = new Base32().decode(issued.toUpperCase(Locale.ROOT));
        raw[21] += 100;
        String extended = new Base32().encodeAsString(raw).replace("=", "").toLowerCase(Locale.ROOT);

        assertRefused(() -> channelIds.verify(extended), Reason.FORGED, "its MAC does not match");
    }

    @Test
    void idIssuedUnderAnotherSecret_isForged() {
        ChannelIds other = new ChannelIds(ChannelSecret.fromUtf8("another secret of more than 32 bytes!"), clock,
                new SecureRandom());
        String foreign = other.issue(Duration.ofMinutes(1)).value();

        assertRefused(() -> channelIds.verify(foreign), Reason.FORGED, "its MAC does not match");
    }

    @Test
    @DisplayName("A forged id that has also expired is reported as forged, so expiry tells an attacker nothing")
    void forgedAndExpired_isForged() throws Exception {
        String forged = build((byte) 1, START.getEpochSecond() - 60, "a different secret that is 32+ bytes long");

        assertRefused(() -> channelIds.verify(forged), Reason.FORGED, "its MAC does not match");
    }

    @Test
    @DisplayName("A valid id is accepted up to one second before its expiry and refused as expired from then on")
    void expiry_isEnforcedByTheClock() {
        ChannelId issued = channelIds.issue(Duration.ofSeconds(30));

        clock.advance(Duration.ofSeconds(29));
        assertThat(channelIds.verify(issued.value())).isEqualTo(issued);

        clock.advance(Duration.ofSeconds(1));
        assertRefused(() -> channelIds.verify(issued.value()), Reason.EXPIRED,
                "expired at " + START.plusSeconds(30));
    }

    @Test
    @DisplayName("Messages about well-formed ids show at most the first 8 characters")
    void messages_showOnlyAShortPrefix() {
        String issued = channelIds.issue(Duration.ofSeconds(30)).value();
        clock.advance(Duration.ofMinutes(1));

        assertThatThrownBy(() -> channelIds.verify(issued))
                .hasMessageContaining(issued.substring(0, 8))
                .message().doesNotContain(issued.substring(0, 9));
    }

    @Test
    @DisplayName("Many threads issuing and verifying at once all succeed with one ChannelIds")
    void concurrentUse_isSafe() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                tasks.add(() -> {
                    int verified = 0;
                    for (int i = 0; i < 2000; i++) {
                        ChannelId issued = channelIds.issue(Duration.ofMinutes(1));
                        if (channelIds.verify(issued.value()).equals(issued)) {
                            verified++;
                        }
                    }
                    return verified;
                });
            }
            int total = 0;
            for (Future<Integer> result : threads.invokeAll(tasks)) {
                total += result.get();
            }

            assertThat(total).isEqualTo(8 * 2000);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void constructor_refusesNulls() {
        ChannelSecret secret = ChannelSecret.fromUtf8(SECRET_TEXT);
        SecureRandom random = new SecureRandom();

        assertThatThrownBy(() -> new ChannelIds(null, clock, random)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ChannelIds(secret, null, random)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ChannelIds(secret, clock, null)).isInstanceOf(NullPointerException.class);
    }

    private static void assertRefused(ThrowingCallable verify, Reason reason, String messagePart) {
        assertThatThrownBy(verify)
                .isInstanceOfSatisfying(ChannelIdInvalid.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(messagePart);
    }

    private static int firstLetterIndex(String id) {
        for (int i = 0; i < id.length(); i++) {
            if (Character.isLetter(id.charAt(i))) {
                return i;
            }
        }
        throw new AssertionError("no letter in " + id);
    }

    private static String build(byte version, long expiryEpochSecond, String secret) throws Exception {
        ByteBuffer signed = ByteBuffer.allocate(22);
        signed.put(version);
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        signed.put(random);
        signed.put(Arrays.copyOfRange(ByteBuffer.allocate(8).putLong(expiryEpochSecond).array(), 3, 8));
        byte[] raw = Arrays.copyOf(signed.array(), 38);
        System.arraycopy(hmac(secret, signed.array()), 0, raw, 22, 16);
        return new Base32().encodeAsString(raw).replace("=", "").toLowerCase(Locale.ROOT);
    }

    private static byte[] hmac(String secret, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(data);
    }
}
