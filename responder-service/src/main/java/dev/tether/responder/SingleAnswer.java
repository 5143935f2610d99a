package dev.tether.responder;

import dev.tether.channel.ChannelId;
import dev.tether.channel.ChannelIdInvalid;
import dev.tether.channel.ChannelIds;
import dev.tether.topic.Topics;
import dev.tether.wire.Request;
import dev.tether.wire.RequestId;
import dev.tether.wire.ResponseMessage;
import dev.tether.wire.SessionMessage;
import dev.tether.wire.WireFormatInvalid;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The original pattern's first mode: no live session, one message in and the handler's answers out through the IoT
 * data plane. The message is a session message that carries the request too, e.g.
 * {@code {"channelId": "...", "id": 1, "message": "PING"}}; the handler sees it without {@code channelId}, and each
 * answer goes to the channel's response topic with {@code inReplyTo}. No {@code ready} and no {@code end}: there
 * is no session to start or end.
 *
 * <p>Threading: {@link #answer} may be called from any thread and never blocks.
 */
public final class SingleAnswer {
    private static final Logger LOG = LoggerFactory.getLogger(SingleAnswer.class);

    private final Vertx vertx;
    private final ChannelIds channelIds;
    private final Topics topics;
    private final Supplier<SessionHandler> handlers;
    private final DataPlanePublisher publisher;

    /** A single-answer responder publishing through the given data plane. */
    public SingleAnswer(Vertx vertx, ChannelIds channelIds, Topics topics, Supplier<SessionHandler> handlers,
            DataPlanePublisher publisher) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.channelIds = Objects.requireNonNull(channelIds, "channelIds");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.handlers = Objects.requireNonNull(handlers, "handlers");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    /**
     * Verifies the channel id, passes the request to a fresh handler and publishes what it answers.
     *
     * @return the number of messages published; or a failure: {@link WireFormatInvalid} for a message that is not
     *         JSON or has no valid {@code channelId}, {@link ChannelIdInvalid} for a forged or expired channel id
     *         (nothing is published for either), or the publisher's failure
     */
    public Future<Integer> answer(Buffer message) {
        JsonObject fields;
        ChannelId channel;
        try {
            fields = message.toJsonObject();
            channel = channelIds.verify(SessionMessage.decode(message).channelId());
        } catch (DecodeException e) {
            return Future.failedFuture(new WireFormatInvalid("the message is not valid JSON: " + e.getMessage()));
        } catch (WireFormatInvalid | ChannelIdInvalid e) {
            return Future.failedFuture(e);
        }
        fields.remove("channelId");
        String responseTopic = topics.response(channel);
        Optional<RequestId> id;
        Request request;
        try {
            request = Request.fromJson(fields);
            id = request.id();
        } catch (WireFormatInvalid e) {
            LOG.info("{} single request refused: {}", channel.value(), e.getMessage());
            return publisher.publish(responseTopic, new ResponseMessage.ErrorReply(Optional.empty(), e.getMessage())
                    .encode()).map(1);
        }

        AtomicInteger published = new AtomicInteger();
        Replies replies = new Replies() {
            @Override
            public Future<Void> answer(JsonObject answerFields) {
                try {
                    return send(new ResponseMessage.Answer(id, answerFields));
                } catch (IllegalArgumentException e) {
                    return Future.failedFuture(e);
                }
            }

            @Override
            public Future<Void> error(String why) {
                return send(new ResponseMessage.ErrorReply(id, why));
            }

            private Future<Void> send(ResponseMessage response) {
                return publisher.publish(responseTopic, response.encode())
                        .onSuccess(sent -> published.incrementAndGet());
            }
        };
        SessionContext session = new SessionContext(vertx, channel.value());
        Future<Void> handled;
        try {
            handled = handlers.get().onRequest(session, request, replies);
        } catch (RuntimeException e) {
            handled = Future.failedFuture(e);
        }
        return handled
                .recover(failure -> failure instanceof DataPlanePublishFailed ? Future.failedFuture(failure)
                        : replies.error(String.valueOf(failure.getMessage())))
                .map(done -> published.get())
                .onSuccess(count -> LOG.info("{} single request answered with {} messages", channel.value(), count));
    }
}
