package dev.tether.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** README examples are copies of compiled code: a change to the API that breaks them breaks the build. */
class ReadmeExamplesTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    @DisplayName("every java block in the README stands line for line in the compiled examples")
    void readmeExamplesAreCompiled() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String examples = normalise(Files.readString(
                Path.of("src", "test", "java", "dev", "tether", "examples", "ClientExamples.java")));
        List<String> blocks = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(readme);
        while (block.find()) {
            blocks.add(block.group(1));
        }

        assertThat(blocks).as("java blocks in README.md").isNotEmpty();
        for (String code : blocks) {
            assertThat(examples).as("README example in ClientExamples.java").contains(normalise(code));
        }
    }

    // Indentation differs between a README block and a method body; the words and their order must not.
    private static String normalise(String code) {
        return code.lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .collect(Collectors.joining("\n"));
    }
}
