package dev.tether.sigv4;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the conformance data in {@code ../shared/testdata}, or skips the calling test class. */
final class TestData {
    static final String PROPERTY = "tether.testdata";

    private TestData() {
    }

    /** Whether the folder {@code sub} of the test data is there. */
    static boolean exists(String sub) {
        String root = System.getProperty(PROPERTY);
        return root != null && !root.isBlank() && Files.isDirectory(Path.of(root).resolve(sub));
    }

    /**
     * The folder {@code sub} under the test data root; skips the test, saying where the data must be, when it
     * is not there.
     */
    static Path folder(String sub) {
        String root = System.getProperty(PROPERTY);
        assumeTrue(root != null && !root.isBlank(), () -> "System property " + PROPERTY + " is not set, so the"
                + " conformance data cannot be found: it lives in shared/testdata next to the repository; pass"
                + " -D" + PROPERTY + "=/path/to/shared/testdata");
        Path folder = Path.of(root).resolve(sub);
        assumeTrue(Files.isDirectory(folder), () -> "No conformance data at " + folder + ": it must be the"
                + " shared/testdata folder next to the repository; pass -D" + PROPERTY
                + "=/path/to/shared/testdata");
        return folder;
    }
}
