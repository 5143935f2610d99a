package dev.tether.local.config;

import dev.tether.local.iam.Decision;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalConfigTest {
    @Test
    @DisplayName("an empty file keeps every default of DESIGN.md")
    void defaults() {
        LocalConfig config = LocalConfig.parse("");

        assertThat(config.broker().host()).isEqualTo("127.0.0.1");
        assertThat(config.broker().port()).isEqualTo(9001);
        assertThat(config.httpPort()).isEqualTo(9002);
        assertThat(config.broker().region()).isEqualTo("us-east-1");
        assertThat(config.broker().minKeepAliveSeconds()).isEqualTo(30);
        assertThat(config.keys()).extracting(StaticKey::name).containsExactly("session-service",
                "responder-service");
        assertThat(config.roles()).hasSize(1);
    }

    @Test
    @DisplayName("YAML entries replace the defaults, policies included")
    void yaml() {
        LocalConfig config = LocalConfig.parse("""
                brokerPort: 0
                httpPort: 0
                region: eu-west-1
                keys:
                  - name: svc
                    accessKeyId: AKIAEXAMPLE000000001
                    secretAccessKey: s3cret
                    policy:
                      Statement:
                        - Effect: Allow
                          Action: iot:Connect
                          Resource: "*"
                roles:
                  - arn: arn:aws:iam::123456789012:role/r
                    maxSessionSeconds: 7200
                    policy: '{"Statement": {"Effect": "Allow", "Action": "iot:*", "Resource": "*"}}'
                """);

        assertThat(config.broker().port()).isZero();
        assertThat(config.broker().region()).isEqualTo("eu-west-1");
        assertThat(config.keys()).singleElement().satisfies(key -> {
            assertThat(key.accessKeyId()).isEqualTo("AKIAEXAMPLE000000001");
            assertThat(key.policy().evaluate("iot:Connect", "x", Map.of())).isEqualTo(Decision.ALLOWED);
            assertThat(key.policy().evaluate("iot:Publish", "x", Map.of())).isEqualTo(Decision.IMPLICIT_DENY);
            assertThat(key.toString()).doesNotContain("s3cret");
        });
        assertThat(config.roles()).singleElement().satisfies(role ->
                assertThat(role.maxSessionDuration().toSeconds()).isEqualTo(7200));
    }

    @Test
    @DisplayName("unknown entries, bad numbers and bad keys are refused naming the entry and what is allowed")
    void refusals() {
        assertThatThrownBy(() -> LocalConfig.parse("brokerPrt: 1"))
                .isInstanceOf(LocalConfigInvalid.class)
                .hasMessageContaining("brokerPrt")
                .hasMessageContaining("brokerPort");
        assertThatThrownBy(() -> LocalConfig.parse("brokerPort: abc"))
                .hasMessageContaining("'brokerPort' must be a whole number");
        assertThatThrownBy(() -> LocalConfig.parse("brokerPort: 70000"))
                .hasMessageContaining("use 0 to 65535");
        assertThatThrownBy(() -> LocalConfig.parse("minKeepAliveSeconds: 31"))
                .hasMessageContaining("use 1 to 30");
        assertThatThrownBy(() -> LocalConfig.parse("""
                keys:
                  - name: k
                    accessKeyId: lower
                    secretAccessKey: s
                    policy: {Statement: {Effect: Allow, Action: "*", Resource: "*"}}
                """)).hasMessageContaining("accessKeyId must be");
        assertThatThrownBy(() -> LocalConfig.parse("""
                roles:
                  - arn: arn:aws:iam::1:role/r
                    policy: {Statement: {Effect: Allow, Action: "*", Resource: "*"}}
                """)).hasMessageContaining("role ARN");
        assertThatThrownBy(() -> LocalConfig.parse("""
                keys:
                  - name: k
                    accessKeyId: AKIAEXAMPLE000000001
                    secretAccessKey: s
                    policy: {Statement: {Effect: Allow, Action: "*"}}
                """)).hasMessageContaining("key 'k'").hasMessageContaining("no Resource");
        assertThatThrownBy(() -> LocalConfig.parse("[1, 2]")).hasMessageContaining("mapping");
    }

    @Test
    @DisplayName("a file is read as YAML, and a file that cannot be read or parsed is named in the error")
    void files(@TempDir Path folder) throws Exception {
        Path good = Files.writeString(folder.resolve("local.yaml"), "brokerPort: 19001\n");
        Path bad = Files.writeString(folder.resolve("bad.yaml"), "brokerPort: [\n");

        assertThat(LocalConfig.load(good).broker().port()).isEqualTo(19001);
        assertThatThrownBy(() -> LocalConfig.load(bad))
                .isInstanceOf(LocalConfigInvalid.class)
                .hasMessageContaining(bad.toString())
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> LocalConfig.load(folder.resolve("missing.yaml")))
                .hasMessageContaining("cannot read the configuration file");
    }
}
