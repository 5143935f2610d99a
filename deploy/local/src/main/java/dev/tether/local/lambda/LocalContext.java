package dev.tether.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Context} an in-process invocation gets: its remaining time counts down to the deadline. Tests and tools
 * that call a handler directly, as Lambda would, take one from {@link #direct}.
 */
public final class LocalContext implements Context {
    private final String requestId;
    private final String functionName;
    private final int memoryMb;
    private final String functionArn;
    private final Instant deadline;
    private final Clock clock;
    private final Logger log;

    LocalContext(String requestId, FunctionConfig config, Instant deadline, Clock clock) {
        this(requestId, config.name(), config.memoryMb(), config.arn(), deadline, clock);
    }

    private LocalContext(String requestId, String functionName, int memoryMb, String functionArn, Instant deadline,
            Clock clock) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.functionName = Objects.requireNonNull(functionName, "functionName");
        this.memoryMb = memoryMb;
        this.functionArn = Objects.requireNonNull(functionArn, "functionArn");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = LoggerFactory.getLogger("lambda." + functionName);
    }

    /**
     * The context of an invocation that starts now on the system clock with {@code remainingTime} left, for calling a
     * handler directly; its remaining time counts down as Lambda's does.
     *
     * @param functionName the function's name, as in its log group and ARN
     * @param memoryMb the memory size the context reports
     * @param requestId the invocation's request id
     * @param remainingTime the time left when the invocation starts
     */
    public static Context direct(String functionName, int memoryMb, String requestId, Duration remainingTime) {
        Clock clock = Clock.systemUTC();
        return new LocalContext(requestId, functionName, memoryMb, FunctionConfig.localArn(functionName),
                clock.instant().plus(remainingTime), clock);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local/[$LATEST]" + Integer.toHexString(System.identityHashCode(this));
    }

    @Override
    public String getFunctionName() {
        return functionName;
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
        return memoryMb;
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
