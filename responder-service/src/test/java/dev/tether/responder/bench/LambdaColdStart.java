package dev.tether.responder.bench;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tether.channel.ChannelIds;
import dev.tether.channel.ChannelSecret;
import dev.tether.local.lambda.LocalContext;
import dev.tether.responder.lambda.ResponderLambda;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Cold start of the Lambda entrypoint in a fresh JVM, as Lambda's init phase sees it: JVM start to the handler built
 * (the static Vert.x and runtime), then invocation to {@code ready} for the first (cold) and a second (warm)
 * invocation. The channel's client is Eclipse Paho, so that it warms none of the classes the responder uses.
 *
 * <p>Arguments: a URL presigned for the client. Environment: as {@link ResponderLambda} reads it.
 */
public final class LambdaColdStart {
    private LambdaColdStart() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
        long constructing = System.nanoTime();
        ResponderLambda lambda = new ResponderLambda();
        double constructorMillis = (System.nanoTime() - constructing) / 1e6;
        double initMillis = System.currentTimeMillis() - jvmStartMillis;

        ChannelIds channelIds = new ChannelIds(ChannelSecret.fromUtf8(System.getenv("TETHER_CHANNEL_SECRET")),
                Clock.systemUTC(), new SecureRandom());
        double cold = invokeToReady(lambda, channelIds.issue(Duration.ofMinutes(5)).value(), args[0]);
        double warm = invokeToReady(lambda, channelIds.issue(Duration.ofMinutes(5)).value(), args[1]);
        System.out.printf(java.util.Locale.ROOT, "COLDSTART init %.0f ms (handler constructor %.0f ms); invocation to "
                + "ready: first %.1f ms, second %.1f ms%n", initMillis, constructorMillis, cold, warm);
        System.exit(0);
    }

    private static double invokeToReady(ResponderLambda lambda, String channelId, String clientUrl)
            throws Exception {
        CompletableFuture<Long> ready = new CompletableFuture<>();
        MqttAsyncClient client = new MqttAsyncClient(clientUrl, "tether-client-" + channelId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                ready.complete(System.nanoTime());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        client.connect(options).waitForCompletion(10_000);
        client.subscribe("tether/" + channelId + "/response", 1).waitForCompletion(10_000);

        // An invocation with 3.5 s remaining: the session ends itself with end: deadline after 1 s. Made before the
        // clock starts, so that loading the context's class is not counted.
        Context context = LocalContext.direct("tether-responder", 1024, "cold-start-probe", Duration.ofMillis(3500));
        long invoked = System.nanoTime();
        CompletableFuture<Void> invocation = CompletableFuture.runAsync(() -> {
            try {
                lambda.handleRequest(new ByteArrayInputStream(("{\"channelId\":\"" + channelId + "\"}")
                        .getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), context);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        double millis = (ready.get(10, TimeUnit.SECONDS) - invoked) / 1e6;
        invocation.get(10, TimeUnit.SECONDS);
        client.disconnect().waitForCompletion(10_000);
        client.close();
        return millis;
    }
}
