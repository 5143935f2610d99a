package dev.tether.sigv4;

/** Checks an AWS region name before it goes into a credential scope. */
final class Regions {
    private static final int MAX_LENGTH = 64;

    private Regions() {
    }

    /**
     * @return the region unchanged
     * @throws IllegalArgumentException naming the value and what is allowed
     */
    static String checked(String region) {
        boolean valid = region != null && !region.isEmpty() && region.length() <= MAX_LENGTH
                && region.charAt(0) >= 'a' && region.charAt(0) <= 'z';
        for (int i = 0; valid && i < region.length(); i++) {
            char c = region.charAt(i);
            valid = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-';
        }
        if (!valid) {
            throw new IllegalArgumentException("region '" + region + "' is not valid: use lower-case letters,"
                    + " digits and '-', starting with a letter, e.g. us-east-1");
        }
        return region;
    }

    /** Same rule for a SigV4 service name such as {@code iotdata}. */
    static String checkedService(String service) {
        boolean valid = service != null && !service.isEmpty() && service.length() <= MAX_LENGTH;
        for (int i = 0; valid && i < service.length(); i++) {
            char c = service.charAt(i);
            valid = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_';
        }
        if (!valid) {
            throw new IllegalArgumentException("service '" + service + "' is not valid: use lower-case letters,"
                    + " digits and '-._', e.g. iotdata");
        }
        return service;
    }
}
