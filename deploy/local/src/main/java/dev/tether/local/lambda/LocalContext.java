package dev.tether.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Context} an in-process invocation gets: its remaining time counts down to the deadline. */
final class LocalContext implements Context {
    private final String requestId;
    private final FunctionConfig config;
    private final String functionArn;
    private final Instant deadline;
    private final Clock clock;
    private final Logger log;

    LocalContext(String requestId, FunctionConfig config, String functionArn, Instant deadline, Clock clock) {
        this.requestId = requestId;
        this.config = config;
        this.functionArn = functionArn;
        this.deadline = deadline;
        this.clock = clock;
        this.log = LoggerFactory.getLogger("lambda." + config.name());
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + config.name();
    }

    @Override
    public String getLogStreamName() {
        return "local/[$LATEST]" + Integer.toHexString(System.identityHashCode(this));
    }

    @Override
    public String getFunctionName() {
        return config.name();
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return functionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        long remaining = deadline.toEpochMilli() - clock.millis();
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, remaining));
    }

    @Override
    public int getMemoryLimitInMB() {
        return config.memoryMb();
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                log.info("{} {}", requestId, message.stripTrailing());
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
