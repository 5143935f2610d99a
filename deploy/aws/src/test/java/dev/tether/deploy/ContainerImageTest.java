package dev.tether.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.responder.container.ResponderMain;
import dev.tether.session.container.SessionMain;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The container image definition (deploy/container/Dockerfile). No Docker engine is at hand to build it, so these
 * tests read it: what the images copy is what the Maven build makes, and what they run is in it.
 */
class ContainerImageTest {
    private static final Map<String, Class<?>> TARGETS = Map.of("responder", ResponderMain.class,
            "session", SessionMain.class);

    private final ContainerImage image = ContainerImage.read();

    @Test
    @DisplayName("Each image runs on a JRE as a user other than root, with no build tool in it")
    void images_runOnAJre_asNonRoot_withoutBuildTools() {
        for (String target : TARGETS.keySet()) {
            ContainerImage.Stage stage = image.stage(target);

            assertThat(stage.baseImage()).as(target).startsWith("eclipse-temurin:").contains("-jre");
            assertThat(stage.user()).as("%s's user", target).isPresent();
            assertThat(stage.user().orElseThrow().split(":")[0]).as(target).isNotIn("root", "0");
            assertThat(stage.runs()).as(target).noneMatch(run -> run.matches("(?s).*\\b(mvn|gradle|javac)\\b.*"));
            assertThat(stage.lineage()).as(target).noneMatch(ancestor -> ancestor.name().equals("build"));
        }
    }

    @Test
    @DisplayName("The build stage runs the Maven build on the repository it copies in")
    void buildStage_runsMaven_onTheRepository() {
        ContainerImage.Stage build = image.stage("build");

        assertThat(build.copies()).isNotEmpty();
        for (ContainerImage.Copy copy : build.copies()) {
            assertThat(copy.from()).isEmpty();
            for (String source : copy.sources()) {
                assertThat(Repository.root().resolve(source)).as("build context path %s", source).exists();
            }
        }
        assertThat(build.runs()).anyMatch(run -> run.contains("mvn ") && run.contains(" package"));
        assertThat(Repository.dockerfile().resolveSibling("Dockerfile.dockerignore"))
                .as("earlier build outputs are kept out of the context").content().contains("**/target");
    }

    @Test
    @DisplayName("Every file an image copies from the build stage is a jar the Maven build makes")
    void copiedFiles_areWhatTheMavenBuildMakes() {
        ContainerImage.Stage build = image.stage("build");
        for (String target : TARGETS.keySet()) {
            List<ContainerImage.Copy> copies = image.stage(target).lineage().stream()
                    .flatMap(stage -> stage.copies().stream()).toList();
            assertThat(copies).as(target).isNotEmpty();
            for (ContainerImage.Copy copy : copies) {
                assertThat(copy.from()).as("%s copies from the build stage only", target).contains(build.name());
                for (String source : copy.sources()) {
                    Path built = Repository.built(build.inRepository(source));
                    assertThat(built.getFileName().toString()).endsWith(".jar");
                }
            }
        }
    }

    @Test
    @DisplayName("Each image's entrypoint runs java in exec form with container memory flags, on the service's jar")
    void entrypoints_runTheServicesMain() throws Exception {
        ContainerImage.Stage build = image.stage("build");
        for (Map.Entry<String, Class<?>> target : TARGETS.entrySet()) {
            ContainerImage.Stage stage = image.stage(target.getKey());
            List<String> entrypoint = stage.entrypoint().orElseThrow();

            assertThat(entrypoint.get(0)).isEqualTo("java");
            assertThat(entrypoint).anyMatch(flag -> flag.startsWith("-XX:MaxRAMPercentage="));
            int jarFlag = entrypoint.indexOf("-jar");
            assertThat(jarFlag).as("%s runs java -jar", target.getKey()).isPositive();
            String jarInImage = entrypoint.get(jarFlag + 1);
            ContainerImage.Copy copy = stage.copies().stream().filter(c -> c.destination().equals(jarInImage))
                    .findFirst().orElseThrow(() -> new AssertionError(jarInImage + " is not copied into the image"));
            Path jar = Repository.built(build.inRepository(copy.sources().get(0)));

            String mainClass;
            try (JarFile file = new JarFile(jar.toFile())) {
                mainClass = file.getManifest().getMainAttributes().getValue("Main-Class");
            }
            assertThat(mainClass).isEqualTo(target.getValue().getName());
            try (URLClassLoader loader = Repository.loaderOf(jar)) {
                Method main = Class.forName(mainClass, false, loader).getMethod("main", String[].class);
                assertThat(Modifier.isStatic(main.getModifiers())).isTrue();
            }
            assertThat(Files.size(jar)).as("a jar with its dependencies").isGreaterThan(1_000_000);
        }
    }
}
