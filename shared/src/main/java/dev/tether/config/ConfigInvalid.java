package dev.tether.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown at start when the configuration has one or more bad values; it reports all of them at once, so that one
 * restart is enough to fix them.
 */
public final class ConfigInvalid extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    /**
     * Reports these problems; modules that read variables of their own throw it too.
     *
     * @throws IllegalArgumentException if there is no problem
     */
    public ConfigInvalid(List<ConfigProblem> problems) {
        super(describe(requireSome(problems)));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in the order of {@link ConfigVariable}. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static List<ConfigProblem> requireSome(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a configuration with no problem is not invalid");
        }
        return problems;
    }

    private static String describe(List<ConfigProblem> problems) {
        String count = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
        return problems.stream()
                .map(problem -> "  " + problem.variable().variableName() + ": " + problem.message())
                .collect(Collectors.joining("\n", "Tether configuration is invalid (" + count + "):\n", ""));
    }
}
