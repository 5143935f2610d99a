package dev.tether.local.iam;

/**
 * IAM's pattern matching: {@code *} matches any run of characters (including none and including {@code /}),
 * {@code ?} exactly one character, everything else itself.
 */
final class Wildcards {
    private Wildcards() {
    }

    /** Iterative matching with one backtrack point, linear in practice and never recursive. */
    static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int starText = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                starText = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++starText;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
