package dev.tether.sigv4.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The SigV4 time stamp {@code YYYYMMDDTHHMMSSZ} (ISO 8601 basic format, UTC), formatted without
 * DateTimeFormatter so the presigner's hot path stays cheap.
 */
public final class AmzDate {
    /** Length of an X-Amz-Date value. */
    public static final int LENGTH = 16;

    private AmzDate() {
    }

    /** Formats whole seconds since the epoch as X-Amz-Date. */
    public static String format(long epochSecond) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        char[] out = new char[LENGTH];
        digits(out, 0, time.getYear(), 4);
        digits(out, 4, time.getMonthValue(), 2);
        digits(out, 6, time.getDayOfMonth(), 2);
        out[8] = 'T';
        digits(out, 9, time.getHour(), 2);
        digits(out, 11, time.getMinute(), 2);
        digits(out, 13, time.getSecond(), 2);
        out[15] = 'Z';
        return new String(out);
    }

    /** Parses X-Amz-Date strictly; empty unless it is exactly {@code YYYYMMDDTHHMMSSZ} and a real time. */
    public static Optional<Instant> parse(String value) {
        if (value == null || value.length() != LENGTH || value.charAt(8) != 'T' || value.charAt(15) != 'Z') {
            return Optional.empty();
        }
        for (int i = 0; i < LENGTH; i++) {
            if (i != 8 && i != 15 && (value.charAt(i) < '0' || value.charAt(i) > '9')) {
                return Optional.empty();
            }
        }
        try {
            LocalDateTime time = LocalDateTime.of(number(value, 0, 4), number(value, 4, 2), number(value, 6, 2),
                    number(value, 9, 2), number(value, 11, 2), number(value, 13, 2));
            return Optional.of(time.toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static int number(String value, int start, int length) {
        return Integer.parseInt(value, start, start + length, 10);
    }

    private static void digits(char[] out, int start, int value, int length) {
        int rest = value;
        for (int i = start + length - 1; i >= start; i--) {
            out[i] = (char) ('0' + rest % 10);
            rest /= 10;
        }
    }
}
