package dev.tether.local.sts;

import dev.tether.local.dataplane.SignedRequest;
import dev.tether.local.iam.Decision;
import dev.tether.local.iam.Identity;
import dev.tether.local.iam.IdentityStore;
import dev.tether.local.iam.Permissions;
import dev.tether.local.iam.Policy;
import dev.tether.local.iam.PolicyInvalid;
import dev.tether.sigv4.SigV4Verifier;
import dev.tether.sigv4.Verification;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * STS {@code AssumeRole} over the AWS Query protocol: a form POST signed with SigV4 (service {@code sts}) answered
 * in XML, so that the AWS SDK's {@code StsClient} with an endpoint override works unchanged (AWS STS API reference,
 * "AssumeRole").
 *
 * <p>Checks: the signature and key; the caller's own policy allows {@code sts:AssumeRole} on the role; the role
 * exists; RoleSessionName is 2 to 64 of {@code [\w+=,.@-]}; DurationSeconds is 900 up to the role's maximum; the
 * inline Policy is at most 2048 characters and parses. The temporary credentials it issues carry the intersection
 * of the role's policy and the session policy. Errors use STS's codes and the Query protocol's XML error shape.
 *
 * <p>Runs on the HTTP server's event loop; it does no I/O. Issued secrets and tokens are never logged.
 */
public final class AssumeRoleHandler implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(AssumeRoleHandler.class);
    private static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final int MAX_POLICY_CHARS = 2048;
    private static final Duration MIN_DURATION = Duration.ofMinutes(15);
    private static final Duration DEFAULT_DURATION = Duration.ofHours(1);

    private final Map<String, Role> roles;
    private final IdentityStore identities;
    private final SigV4Verifier verifier;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param roles the roles that may be assumed, by ARN
     * @param identities the keys that may call, and where issued credentials are added
     * @param region the region requests must be scoped to
     * @param clock the time signatures and expiry are judged by
     */
    public AssumeRoleHandler(Map<String, Role> roles, IdentityStore identities, String region, Clock clock) {
        this.roles = Map.copyOf(roles);
        this.identities = identities;
        this.clock = clock;
        this.verifier = SigV4Verifier.builder()
                .credentials(identities::credentials)
                .region(region)
                .service("sts")
                .clock(clock)
                .build();
    }

    @Override
    public void handle(RoutingContext context) {
        SignedRequest signed = SignedRequest.verify(verifier, context);
        Buffer body = signed.body();

        Verification verification = signed.verification();
        if (verification instanceof Verification.Refused refused) {
            LOG.info("STS request refused, {}: {}", refused.reason(), refused.message());
            boolean unknown = refused.reason() == Verification.Reason.UNKNOWN_ACCESS_KEY;
            error(context, 403, unknown ? "InvalidClientTokenId" : "SignatureDoesNotMatch", refused.message());
            return;
        }
        Identity caller = identities.find(((Verification.Accepted) verification).accessKeyId()).orElse(null);
        if (caller == null) {
            error(context, 403, "ExpiredToken", "the security token included in the request is expired");
            return;
        }
        Map<String, List<String>> form = new QueryStringDecoder(body.toString(StandardCharsets.UTF_8), false)
                .parameters();
        String action = single(form, "Action").orElse("");
        if (!"AssumeRole".equals(action)) {
            error(context, 400, "InvalidAction", "action '" + action + "' is not supported; this STS stand-in"
                    + " supports AssumeRole");
            return;
        }
        assumeRole(context, caller, form);
    }

    private void assumeRole(RoutingContext context, Identity caller, Map<String, List<String>> form) {
        String roleArn = single(form, "RoleArn").orElse("");
        String sessionName = single(form, "RoleSessionName").orElse("");
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            error(context, 400, "ValidationError", "RoleSessionName '" + sessionName + "' is not allowed; use 2 to"
                    + " 64 characters of letters, digits and _+=,.@-");
            return;
        }
        Decision callerMay = caller.permissions().evaluate("sts:AssumeRole", roleArn, Map.of());
        Role role = roles.get(roleArn);
        if (!callerMay.isAllowed() || role == null) {
            LOG.info("key {} may not assume role {} ({})", caller.accessKeyId(), roleArn,
                    role == null ? "no such role" : callerMay);
            error(context, 403, "AccessDenied", "User: " + caller.principal() + " is not authorized to perform:"
                    + " sts:AssumeRole on resource: " + roleArn);
            return;
        }
        Duration duration = DEFAULT_DURATION;
        Optional<String> durationText = single(form, "DurationSeconds");
        if (durationText.isPresent()) {
            long seconds = durationText.get().matches("\\d{1,6}") ? Long.parseLong(durationText.get()) : -1;
            if (seconds < MIN_DURATION.toSeconds() || seconds > role.maxSessionDuration().toSeconds()) {
                error(context, 400, "ValidationError", "DurationSeconds '" + durationText.get() + "' is not"
                        + " allowed; use " + MIN_DURATION.toSeconds() + " to " + role.maxSessionDuration().toSeconds()
                        + " for role " + roleArn);
                return;
            }
            duration = Duration.ofSeconds(seconds);
        }
        Permissions permissions = Permissions.of(role.policy());
        Optional<String> policyText = single(form, "Policy");
        if (policyText.isPresent()) {
            if (policyText.get().length() > MAX_POLICY_CHARS) {
                error(context, 400, "PackedPolicyTooLarge", "the session policy has " + policyText.get().length()
                        + " characters; at most " + MAX_POLICY_CHARS + " are allowed");
                return;
            }
            try {
                permissions = permissions.intersect(Policy.parse(policyText.get()));
            } catch (PolicyInvalid e) {
                error(context, 400, "MalformedPolicyDocument", e.getMessage());
                return;
            }
        }

        Instant expiration = clock.instant().plus(duration).truncatedTo(ChronoUnit.SECONDS);
        // A stable id per role, shaped like IAM's (AROA and 17 more characters), derived from its ARN.
        String roleId = "AROA" + UUID.nameUUIDFromBytes(roleArn.getBytes(StandardCharsets.UTF_8)).toString()
                .replace("-", "").substring(0, 17).toUpperCase(Locale.ROOT);
        String assumedRoleId = roleId + ':' + sessionName;
        Identity issued = new Identity(accessKeyId(), token(30), Optional.of(token(96)), assumedRoleId,
                permissions, Optional.of(expiration));
        identities.add(issued);
        LOG.info("key {} assumed role {} as session {}: issued key {} until {}", caller.accessKeyId(), roleArn,
                sessionName, issued.accessKeyId(), expiration);

        String assumedRoleArn = "arn:aws:sts::" + role.accountId() + ":assumed-role/" + role.name() + '/'
                + sessionName;
        respond(context, 200, xml -> {
            xml.writeStartElement("AssumeRoleResponse");
            xml.writeDefaultNamespace(NAMESPACE);
            xml.writeStartElement("AssumeRoleResult");
            xml.writeStartElement("Credentials");
            element(xml, "AccessKeyId", issued.accessKeyId());
            element(xml, "SecretAccessKey", issued.secretAccessKey());
            element(xml, "SessionToken", issued.sessionToken().orElseThrow());
            element(xml, "Expiration", expiration.toString());
            xml.writeEndElement();
            xml.writeStartElement("AssumedRoleUser");
            element(xml, "AssumedRoleId", assumedRoleId);
            element(xml, "Arn", assumedRoleArn);
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeStartElement("ResponseMetadata");
            element(xml, "RequestId", UUID.randomUUID().toString());
            xml.writeEndElement();
            xml.writeEndElement();
        });
    }

    private String accessKeyId() {
        StringBuilder id = new StringBuilder("ASIA");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        for (int i = 0; i < 16; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private String token(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getEncoder().encodeToString(value);
    }

    private static Optional<String> single(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    private static void error(RoutingContext context, int status, String code, String message) {
        respond(context, status, xml -> {
            xml.writeStartElement("ErrorResponse");
            xml.writeDefaultNamespace(NAMESPACE);
            xml.writeStartElement("Error");
            element(xml, "Type", status >= 500 ? "Receiver" : "Sender");
            element(xml, "Code", code);
            element(xml, "Message", message);
            xml.writeEndElement();
            element(xml, "RequestId", UUID.randomUUID().toString());
            xml.writeEndElement();
        });
    }

    private static void respond(RoutingContext context, int status, XmlBody body) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            body.write(xml);
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            context.fail(e);
            return;
        }
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "text/xml")
                .end(out.toString());
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }

    @FunctionalInterface
    private interface XmlBody {
        void write(XMLStreamWriter xml) throws XMLStreamException;
    }
}
