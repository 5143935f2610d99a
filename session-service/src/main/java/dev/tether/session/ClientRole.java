package dev.tether.session;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IAM role the session service assumes for scoped client credentials, with the partition and account its ARN
 * names; the session policy's IoT resource ARNs are in the same partition and account.
 *
 * @param arn the role ARN, e.g. {@code arn:aws:iam::123456789012:role/tether-client}
 * @param partition the ARN's partition, e.g. {@code aws}
 * @param accountId the 12-digit account id
 */
public record ClientRole(String arn, String partition, String accountId) {
    private static final Pattern ROLE_ARN = Pattern.compile("arn:(aws[a-z-]*):iam::([0-9]{12}):role/.+");

    /** Checks that nothing is null. */
    public ClientRole {
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(accountId, "accountId");
    }

    /**
     * The role of the given ARN.
     *
     * @throws IllegalArgumentException if the text is not an IAM role ARN
     */
    public static ClientRole of(String arn) {
        Matcher matcher = ROLE_ARN.matcher(Objects.requireNonNull(arn, "arn"));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("client role '" + arn + "' is not an IAM role ARN; allowed is "
                    + "arn:aws:iam::<12-digit account>:role/<name>");
        }
        return new ClientRole(arn, matcher.group(1), matcher.group(2));
    }
}
