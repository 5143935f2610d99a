package dev.tether.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The README's configuration table is what users read: it must list exactly the variables Tether reads. */
class ReadmeConfigurationTableTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z0-9_]+)` \\| ([^|]+) \\|", Pattern.MULTILINE);

    private static Map<String, String> defaultsByVariable;

    @BeforeAll
    static void readTable() throws IOException {
        // Surefire runs in the module folder; the README sits at the repository root.
        String readme = Files.readString(Path.of("..", "README.md"));
        String section = readme.substring(readme.indexOf("## Configuration"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        defaultsByVariable = new LinkedHashMap<>();
        Matcher row = ROW.matcher(section);
        while (row.find()) {
            defaultsByVariable.put(row.group(1), row.group(2).trim());
        }
    }

    @Test
    @DisplayName("the README lists every variable Tether reads, and no other")
    void tableListsExactlyTheVariables() {
        var variables = Arrays.stream(ConfigVariable.values())
                .map(ConfigVariable::variableName)
                .collect(Collectors.toList());

        assertThat(defaultsByVariable.keySet()).containsExactlyInAnyOrderElementsOf(variables);
    }

    @Test
    @DisplayName("the README gives each variable the default the code uses")
    void tableDefaultsMatchTheCode() {
        for (ConfigVariable variable : ConfigVariable.values()) {
            String expected = variable.defaultValue()
                    .map(value -> value.isEmpty() ? "(empty)" : "`" + value + "`")
                    .orElse("(none)");

            assertThat(defaultsByVariable.get(variable.variableName()))
                    .as("default of %s in README.md", variable.variableName())
                    .isEqualTo(expected);
        }
    }
}
