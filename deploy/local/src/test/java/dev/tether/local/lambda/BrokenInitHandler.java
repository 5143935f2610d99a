package dev.tether.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/** A test function whose class cannot be initialized, as one whose configuration is missing. */
public class BrokenInitHandler implements RequestHandler<String, String> {
    private static final String SETTING = requireSetting();

    private static String requireSetting() {
        throw new IllegalStateException("SETTING is not set");
    }

    @Override
    public String handleRequest(String input, Context context) {
        return SETTING;
    }
}
