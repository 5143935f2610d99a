package dev.tether.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Where the files these tests read are, and the jars the Maven build makes. */
final class Repository {
    private Repository() {
    }

    /** The repository's root: the build passes it as {@code tether.root}. */
    static Path root() {
        return Path.of(System.getProperty("tether.root", "../..")).toAbsolutePath().normalize();
    }

    /** The AWS SAM template of the Lambda pair. */
    static Path samTemplate() {
        return root().resolve("deploy/aws/template.yaml");
    }

    /** The CloudFormation template of the container responder on Fargate. */
    static Path fargateTemplate() {
        return root().resolve("deploy/aws/fargate.yaml");
    }

    /** The container image definition. */
    static Path dockerfile() {
        return root().resolve("deploy/container/Dockerfile");
    }

    /** The SAM template with its defaults and the one parameter that has none. */
    static Template sam(Map<String, String> parameters) {
        Map<String, String> all = new java.util.HashMap<>(Map.of("IotEndpoint",
                "abc123-ats.iot.us-east-1.amazonaws.com"));
        all.putAll(parameters);
        return Template.load(samTemplate(), all);
    }

    /** The Fargate template with its defaults and values for the parameters that have none. */
    static Template fargate(Map<String, String> parameters) {
        Map<String, String> all = new java.util.HashMap<>(Map.of(
                "IotEndpoint", "abc123-ats.iot.us-east-1.amazonaws.com",
                "ChannelSecretArn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:tether-AbCdEf",
                "VpcId", "vpc-0123456789abcdef0",
                "SubnetIds", "subnet-0123456789abcdef0,subnet-0123456789abcdef1"));
        all.putAll(parameters);
        return Template.load(fargateTemplate(), all);
    }

    /**
     * A file the build made; fails, saying how to make it, when it is not there. The reactor packages the services
     * before this module's tests, so {@code mvn verify} from the root has them.
     */
    static Path built(Path file) {
        assertThat(file)
                .as("%s is made by the Maven build: mvn package -pl session-service,responder-service -am", file)
                .isRegularFile();
        return file;
    }

    /**
     * A class loader that sees the jar and the JDK only, so that what loads from it proves the jar holds it and
     * what it needs.
     */
    static URLClassLoader loaderOf(Path jar) {
        try {
            return new URLClassLoader(new URL[] {built(jar).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of a file. */
    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
