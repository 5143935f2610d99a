package dev.tether.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** A test function with a typed input and output, deserialized and serialized as Lambda's Java runtime does. */
public class TypedHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        return Map.of("received", input.get("name"), "function", context.getFunctionName());
    }
}
