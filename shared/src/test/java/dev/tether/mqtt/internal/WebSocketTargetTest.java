package dev.tether.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebSocketTargetTest {
    @Test
    void presignedUrl_keepsPathAndQueryExactlyAsWritten() {
        String target = "/mqtt?X-Amz-Credential=A%2F20261203%2Fus-east-1&X-Amz-Security-Token=a%2Bb%3D%3D&x=%7E";

        WebSocketTarget parsed = WebSocketTarget.parse("wss://abc-ats.iot.us-east-1.amazonaws.com" + target);

        assertThat(parsed).isEqualTo(new WebSocketTarget(true, "abc-ats.iot.us-east-1.amazonaws.com", 443, target));
    }

    @Test
    void plainWs_defaultsToPort80_andPathSlash() {
        assertThat(WebSocketTarget.parse("ws://127.0.0.1")).isEqualTo(new WebSocketTarget(false, "127.0.0.1", 80, "/"));
        assertThat(WebSocketTarget.parse("WS://host:9001?a=b"))
                .isEqualTo(new WebSocketTarget(false, "host", 9001, "/?a=b"));
    }

    @Test
    void fragment_isNotSent() {
        assertThat(WebSocketTarget.parse("ws://host/mqtt?a=b#frag").requestTarget()).isEqualTo("/mqtt?a=b");
    }

    @Test
    void ipv6Host_losesItsBrackets() {
        assertThat(WebSocketTarget.parse("ws://[::1]:9001/mqtt").host()).isEqualTo("::1");
    }

    @Test
    void httpScheme_isRefused_withoutShowingTheQuery() {
        assertThatThrownBy(() -> WebSocketTarget.parse("https://host/mqtt?X-Amz-Signature=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ws:// or wss://")
                .hasMessageContaining("https://host/mqtt")
                .hasMessageNotContaining("secret");
    }

    @Test
    void missingHost_isRefused() {
        assertThatThrownBy(() -> WebSocketTarget.parse("ws:///mqtt?token=secret"))
                .hasMessageContaining("needs a host")
                .hasMessageNotContaining("secret");
    }

    @Test
    void redact_dropsQueryFragmentAndUserInfo() {
        assertThat(WebSocketTarget.redact("wss://user:pw@host:443/mqtt?X-Amz-Signature=s#f"))
                .isEqualTo("wss://host:443/mqtt");
    }
}
