package dev.tether.deploy;

import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The container image definition, read into its build stages and the instructions these tests look at (Dockerfile
 * reference: FROM, WORKDIR, COPY, RUN, USER, ENTRYPOINT). Continuation lines are joined; comments are left out.
 */
final class ContainerImage {
    private static final Pattern WORD = Pattern.compile("\\s+");

    private final Map<String, Stage> stages;

    private ContainerImage(Map<String, Stage> stages) {
        this.stages = stages;
    }

    /** The repository's Dockerfile. */
    static ContainerImage read() {
        return parse(Repository.read(Repository.dockerfile()));
    }

    static ContainerImage parse(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (current.length() == 0 && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                lines.add(current.append(trimmed).toString().strip());
                current.setLength(0);
            }
        }
        Map<String, Stage> stages = new LinkedHashMap<>();
        Stage stage = null;
        for (String line : lines) {
            String[] parts = line.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(java.util.Locale.ROOT);
            String arguments = parts.length > 1 ? parts[1] : "";
            if (keyword.equals("FROM")) {
                List<String> words = new ArrayList<>(List.of(WORD.split(arguments)));
                words.removeIf(word -> word.startsWith("--"));
                String name = words.size() == 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2)
                        : String.valueOf(stages.size());
                stage = new Stage(name, words.get(0), new ArrayList<>(), stages);
                stages.put(name, stage);
            } else if (stage == null) {
                throw new IllegalStateException("instruction before FROM: " + line);
            } else {
                stage.instructions().add(new Instruction(keyword, arguments));
            }
        }
        return new ContainerImage(stages);
    }

    /** Every stage, in order. */
    List<Stage> stages() {
        return List.copyOf(stages.values());
    }

    /** The stage of this name; fails when there is none. */
    Stage stage(String name) {
        Stage stage = stages.get(name);
        if (stage == null) {
            throw new AssertionError("the Dockerfile has no stage " + name + "; it has " + stages.keySet());
        }
        return stage;
    }

    /**
     * One instruction.
     *
     * @param keyword such as {@code COPY}, in capitals
     * @param arguments the rest of the line
     */
    record Instruction(String keyword, String arguments) {
    }

    /**
     * A COPY: from a stage (or the build context), its sources, its destination.
     *
     * @param from the stage's name, or empty for the build context
     * @param sources the source paths
     * @param destination the destination path
     */
    record Copy(Optional<String> from, List<String> sources, String destination) {
    }

    /** One build stage: its name, the image or stage it starts from, its own instructions. */
    static final class Stage {
        private final String name;
        private final String from;
        private final List<Instruction> instructions;
        // Every stage of the file, to follow from.
        private final Map<String, Stage> all;

        Stage(String name, String from, List<Instruction> instructions, Map<String, Stage> all) {
            this.name = name;
            this.from = from;
            this.instructions = instructions;
            this.all = all;
        }

        String name() {
            return name;
        }

        String from() {
            return from;
        }

        List<Instruction> instructions() {
            return instructions;
        }

        @Override
        public String toString() {
            return "stage " + name;
        }

        /** The stages this one is built on, itself first. */
        List<Stage> lineage() {
            List<Stage> lineage = new ArrayList<>();
            for (Stage stage = this; stage != null; stage = all.get(stage.from())) {
                lineage.add(stage);
            }
            return lineage;
        }

        /** The image at the root of the lineage. */
        String baseImage() {
            List<Stage> lineage = lineage();
            return lineage.get(lineage.size() - 1).from();
        }

        /** Every instruction of the lineage, oldest first. */
        List<Instruction> effective() {
            List<Instruction> all = new ArrayList<>();
            List<Stage> lineage = lineage();
            for (int i = lineage.size() - 1; i >= 0; i--) {
                all.addAll(lineage.get(i).instructions());
            }
            return all;
        }

        /** The user the image runs as: the last USER of the lineage. */
        Optional<String> user() {
            return last("USER");
        }

        /** The working directory: the last WORKDIR of the lineage. */
        Optional<String> workdir() {
            return last("WORKDIR");
        }

        /** The RUN commands of the lineage. */
        List<String> runs() {
            return effective().stream().filter(i -> i.keyword().equals("RUN")).map(Instruction::arguments).toList();
        }

        /** Whether a RUN of the lineage installs the package with apt-get. */
        boolean installs(String tool) {
            return runs().stream().anyMatch(run -> run.contains("apt-get install")
                    && List.of(WORD.split(run.substring(run.indexOf("apt-get install")))).contains(tool));
        }

        /** The stage's own COPY instructions. */
        List<Copy> copies() {
            List<Copy> copies = new ArrayList<>();
            for (Instruction instruction : instructions) {
                if (!instruction.keyword().equals("COPY")) {
                    continue;
                }
                List<String> words = new ArrayList<>(List.of(WORD.split(instruction.arguments())));
                Optional<String> from = words.stream().filter(word -> word.startsWith("--from="))
                        .map(word -> word.substring("--from=".length())).findFirst();
                words.removeIf(word -> word.startsWith("--"));
                copies.add(new Copy(from, List.copyOf(words.subList(0, words.size() - 1)),
                        words.get(words.size() - 1)));
            }
            return copies;
        }

        /** The ENTRYPOINT in exec form; fails on the shell form, under which the JVM would not get SIGTERM. */
        Optional<List<String>> entrypoint() {
            return last("ENTRYPOINT").map(text -> {
                if (!text.startsWith("[")) {
                    throw new AssertionError("ENTRYPOINT of " + name + " is in shell form: " + text);
                }
                return new JsonArray(text).stream().map(String::valueOf).toList();
            });
        }

        private Optional<String> last(String keyword) {
            String found = null;
            for (Instruction instruction : effective()) {
                if (instruction.keyword().equals(keyword)) {
                    found = instruction.arguments();
                }
            }
            return Optional.ofNullable(found);
        }

        /** A path in the stage's file system as a path in the repository, for a stage that copied it all in. */
        Path inRepository(String path) {
            String root = workdir().orElseThrow(() -> new AssertionError(name + " has no WORKDIR"));
            if (!path.startsWith(root + "/")) {
                throw new AssertionError(path + " is not under " + name + "'s WORKDIR " + root);
            }
            return Repository.root().resolve(path.substring(root.length() + 1));
        }
    }
}
