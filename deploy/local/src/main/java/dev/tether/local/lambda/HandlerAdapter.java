package dev.tether.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Map;

/**
 * Calls a handler object as the Lambda Java runtime does: a {@link RequestStreamHandler} gets the event's bytes; a
 * {@link RequestHandler} gets the event deserialized to its input type (Lambda's event classes with their own
 * serializers, anything else with Jackson) and its output serialized back to JSON.
 */
final class HandlerAdapter {
    private final Object handler;
    private final Method method;
    private final PojoSerializer<Object> input;
    private final PojoSerializer<Object> output;

    private HandlerAdapter(Object handler, Method method, PojoSerializer<Object> input,
            PojoSerializer<Object> output) {
        this.handler = handler;
        this.method = method;
        this.input = input;
        this.output = output;
    }

    /**
     * Builds the handler: with a public constructor taking the environment ({@code Map<String, String>}) when it has
     * one, else with its public no-argument constructor.
     *
     * @throws InstanceFailed with Lambda's error types when the class cannot be loaded or built
     */
    static HandlerAdapter create(FunctionConfig config, Map<String, String> environment) {
        Class<?> type;
        try {
            type = Class.forName(config.handlerClass(), true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new InstanceFailed("Runtime.ImportModuleError",
                    "Class not found: " + config.handlerClass() + " (" + e + ")");
        } catch (ExceptionInInitializerError e) {
            throw new InstanceFailed("Runtime.InitError",
                    config.handlerClass() + " could not be initialized: " + e.getCause());
        } catch (LinkageError e) {
            throw new InstanceFailed("Runtime.InitError", config.handlerClass() + " could not be loaded: " + e);
        }
        Object handler = construct(type, environment);
        if (handler instanceof RequestStreamHandler) {
            return new HandlerAdapter(handler, null, null, null);
        }
        if (!(handler instanceof RequestHandler<?, ?>)) {
            throw new InstanceFailed("Runtime.InvalidEntrypoint", config.handlerClass()
                    + " implements neither RequestHandler nor RequestStreamHandler");
        }
        Method method = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals("handleRequest") && !m.isBridge() && m.getParameterCount() == 2
                        && m.getParameterTypes()[1] == Context.class)
                .findFirst()
                .orElseThrow(() -> new InstanceFailed("Runtime.InvalidEntrypoint",
                        config.handlerClass() + " has no handleRequest(input, Context)"));
        return new HandlerAdapter(handler, method, serializer(method.getGenericParameterTypes()[0], type),
                serializer(method.getGenericReturnType(), type));
    }

    private static Object construct(Class<?> type, Map<String, String> environment) {
        try {
            try {
                return type.getConstructor(Map.class).newInstance(environment);
            } catch (NoSuchMethodException noEnvironmentConstructor) {
                return type.getConstructor().newInstance();
            }
        } catch (NoSuchMethodException e) {
            throw new InstanceFailed("Runtime.InvalidEntrypoint", type.getName()
                    + " has no public constructor taking no arguments or the environment");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e instanceof InvocationTargetException target ? target.getCause() : e;
            throw new InstanceFailed("Runtime.InitError", type.getName() + " could not be built: " + cause);
        }
    }

    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Type type, Class<?> handlerType) {
        if (type == void.class || type == Void.class) {
            return null;
        }
        if (type instanceof Class<?> eventClass
                && LambdaEventSerializers.isLambdaSupportedEvent(eventClass.getName())) {
            return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(eventClass,
                    handlerType.getClassLoader());
        }
        return (PojoSerializer<Object>) JacksonFactory.getInstance().getSerializer(type);
    }

    /** Runs the handler once; its exceptions propagate. */
    Buffer handle(Buffer event, Context context) throws Exception {
        if (method == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ((RequestStreamHandler) handler).handleRequest(new ByteArrayInputStream(event.getBytes()), out, context);
            return Buffer.buffer(out.toByteArray());
        }
        Object argument = input == null ? null : input.fromJson(new ByteArrayInputStream(event.getBytes()));
        Object result;
        try {
            result = method.invoke(handler, argument, context);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception exception) {
                throw exception;
            }
            throw e;
        }
        if (output == null || result == null) {
            return Buffer.buffer("null");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        output.toJson(result, out);
        return Buffer.buffer(out.toByteArray());
    }
}
