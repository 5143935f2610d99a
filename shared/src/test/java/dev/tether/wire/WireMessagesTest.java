package dev.tether.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class WireMessagesTest {
    @Test
    void request_withStringOrNumberId_roundTrips() {
        Request byString = new Request(Optional.of(RequestId.of("r-1")), new JsonObject().put("message", "PING"));
        Request byNumber = new Request(Optional.of(RequestId.of(7)), new JsonObject().put("n", 1));

        assertThat(Request.decode(byString.encode())).isEqualTo(byString);
        assertThat(Request.decode(byNumber.encode())).isEqualTo(byNumber);
        assertThat(byNumber.toJson().getValue("id")).isEqualTo(7L);
    }

    @Test
    void request_withoutId_isValid() {
        Request request = Request.decode(Buffer.buffer("{\"message\":\"PING\"}"));

        assertThat(request.id()).isEmpty();
        assertThat(request.fields()).isEqualTo(new JsonObject().put("message", "PING"));
    }

    @Test
    void numberIds_7And7point0_areTheSameId() {
        assertThat(new RequestId(7)).isEqualTo(new RequestId(7.0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"id\":true}", "{\"id\":{}}", "{\"id\":[1]}"})
    void request_withIdOfWrongType_isRefused(String json) {
        assertThatThrownBy(() -> Request.decode(Buffer.buffer(json)))
                .isInstanceOf(WireFormatInvalid.class)
                .hasMessageContaining("\"id\" must be a string or a number");
    }

    @Test
    void notJson_orNotAnObject_isRefused() {
        assertThatThrownBy(() -> Request.decode(Buffer.buffer("{nope")))
                .isInstanceOf(WireFormatInvalid.class)
                .hasMessageContaining("a request is not valid JSON");
        assertThatThrownBy(() -> Request.decode(Buffer.buffer("[1,2]")))
                .isInstanceOf(WireFormatInvalid.class)
                .hasMessageContaining("must be a JSON object");
    }

    @Test
    void answer_ready_error_end_roundTrip() {
        ResponseMessage answer = new ResponseMessage.Answer(Optional.of(RequestId.of("r-1")),
                new JsonObject().put("message", "PONG"));
        ResponseMessage ready = new ResponseMessage.Ready();
        ResponseMessage error = new ResponseMessage.ErrorReply(Optional.of(RequestId.of(3)), "no handler");
        ResponseMessage end = new ResponseMessage.End(EndReason.CLIENT_GONE);

        for (ResponseMessage message : new ResponseMessage[] {answer, ready, error, end}) {
            assertThat(ResponseMessage.decode(message.encode())).isEqualTo(message);
        }
        assertThat(answer.toJson()).isEqualTo(new JsonObject().put("message", "PONG").put("inReplyTo", "r-1"));
        assertThat(end.toJson()).isEqualTo(new JsonObject().put("type", "end").put("reason", "client-gone"));
        assertThat(error.toJson()).isEqualTo(new JsonObject().put("type", "error").put("inReplyTo", 3L)
                .put("error", "no handler"));
    }

    @Test
    void originalPatternAnswer_withoutInReplyTo_decodesAsAnswer() {
        ResponseMessage decoded = ResponseMessage.decode(Buffer.buffer("{\"message\":\"PONG\"}"));

        assertThat(decoded).isEqualTo(new ResponseMessage.Answer(Optional.empty(),
                new JsonObject().put("message", "PONG")));
    }

    @ParameterizedTest
    @EnumSource(EndReason.class)
    void everyEndReason_roundTrips(EndReason reason) {
        assertThat(ResponseMessage.decode(new ResponseMessage.End(reason).encode()))
                .isEqualTo(new ResponseMessage.End(reason));
    }

    @Test
    void unknownTypeOrReason_orMissingField_isRefused_namingWhatIsAllowed() {
        assertThatThrownBy(() -> ResponseMessage.decode(Buffer.buffer("{\"type\":\"bye\"}")))
                .isInstanceOf(WireFormatInvalid.class)
                .hasMessageContaining("ready, error or end")
                .hasMessageContaining("\"bye\"");
        assertThatThrownBy(() -> ResponseMessage.decode(Buffer.buffer("{\"type\":\"end\",\"reason\":\"tired\"}")))
                .hasMessageContaining("idle, deadline, client-gone, shutdown, handoff, responder-lost")
                .hasMessageContaining("\"tired\"");
        assertThatThrownBy(() -> ResponseMessage.decode(Buffer.buffer("{\"type\":\"error\",\"inReplyTo\":1}")))
                .hasMessageContaining("needs \"error\" as a string");
        assertThatThrownBy(() -> ResponseMessage.decode(Buffer.buffer("{\"type\":3}")))
                .hasMessageContaining("\"type\" must be a string");
    }

    @Test
    void sessionMessage_roundTrips_andIsTheOriginalPatternsShape() {
        SessionMessage message = new SessionMessage("abc123");

        assertThat(SessionMessage.decode(message.encode())).isEqualTo(message);
        assertThat(message.encode().toString()).isEqualTo("{\"channelId\":\"abc123\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ABC", "abc/def", "abc+", "a b"})
    void channelIdOfWrongShape_isRefused(String channelId) {
        assertThatThrownBy(() -> new SessionMessage(channelId))
                .isInstanceOf(WireFormatInvalid.class)
                .hasMessageContaining("lower-case letters and digits");
    }

    @Test
    void channelIdOver64Chars_isRefused_withoutEchoingIt() {
        assertThatThrownBy(() -> new SessionMessage("a".repeat(65)))
                .hasMessageContaining("got 65 characters")
                .hasMessageNotContaining("a".repeat(65));
    }

    @Test
    void sessionGrant_fullAnswer_roundTrips() {
        SessionGrant grant = new SessionGrant("wss://host/mqtt?X-Amz-Signature=abc", "chan1", Optional.of("c-1"),
                Optional.of(SessionGrant.Topics.derive("tether", "chan1")),
                Optional.of(Instant.parse("2026-12-03T19:00:00Z")));

        assertThat(SessionGrant.decode(grant.encode())).isEqualTo(grant);
        assertThat(grant.topics().orElseThrow().response()).isEqualTo("tether/chan1/response");
    }

    @Test
    void sessionGrant_ofOriginalPattern_hasOnlyUrlAndChannel() {
        SessionGrant grant = SessionGrant.decode(Buffer.buffer("{\"endpointUrl\":\"wss://h/mqtt\","
                + "\"channelId\":\"chan1\"}"));

        assertThat(grant.clientId()).isEmpty();
        assertThat(grant.topics()).isEmpty();
        assertThat(grant.expiresAt()).isEmpty();
    }

    @Test
    void sessionGrant_missingOrMalformedFields_areRefused() {
        assertThatThrownBy(() -> SessionGrant.decode(Buffer.buffer("{\"channelId\":\"c\"}")))
                .hasMessageContaining("needs \"endpointUrl\" as a string");
        assertThatThrownBy(() -> SessionGrant.decode(Buffer.buffer(
                "{\"endpointUrl\":\"wss://h\",\"channelId\":\"c\",\"expiresAt\":\"tomorrow\"}")))
                .hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> SessionGrant.decode(Buffer.buffer(
                "{\"endpointUrl\":\"wss://h\",\"channelId\":\"c\",\"topics\":{\"session\":\"s\"}}")))
                .hasMessageContaining("needs \"request\" as a string");
    }

    @Test
    void sessionGrant_toString_hidesThePresignedQuery() {
        SessionGrant grant = new SessionGrant("wss://host/mqtt?X-Amz-Security-Token=SECRET", "chan1",
                Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(grant.toString()).contains("wss://host/mqtt").doesNotContain("SECRET");
    }
}
