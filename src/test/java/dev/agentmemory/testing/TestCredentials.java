package dev.agentmemory.testing;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the application under test verifies credentials with, for every test: the test key pair's public key
 * ({@code src/test/resources/jwt/}), an issuer, and the digest of one API key. Authentication itself stays off in
 * the {@code test} profile; {@link AuthProfile} turns it on, and the packaged application of the integration tests
 * ({@code prod}) has it on.
 *
 * <p>The packaged application's management interface takes a free port; {@link #managementPort()} reads it from the
 * application's log.
 *
 * <p>Tokens are signed here with the test private key; the other helpers make the tokens that must be refused.
 */
@QuarkusTestResource(TestCredentials.class)
public class TestCredentials implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://agent-memory.test";
    /** An API key for the tests only; the application knows only its SHA-256 digest. */
    public static final String API_KEY = "test-api-key-5b0e7a1c";

    public static final String ADMIN_GROUP = "memory-admin";

    @Override
    public Map<String, String> start() {
        return Map.of(
                "mp.jwt.verify.publickey.location",
                resource("jwt/public.pem").toString(),
                "mp.jwt.verify.issuer",
                ISSUER,
                "memory.auth.api-key-sha256",
                sha256Hex(API_KEY),
                "quarkus.management.port",
                "0");
    }

    @Override
    public void stop() {}

    /**
     * The port of the packaged application's management interface (integration tests), from the line of its log
     * ({@code target/quarkus.log}) that says where it listens.
     */
    public static int managementPort() {
        Pattern listening = Pattern.compile("Management interface listening on https?://[^ ]*:(\\d+)");
        try {
            int port = -1;
            for (String line : Files.readAllLines(Path.of("target", "quarkus.log"))) {
                Matcher matcher = listening.matcher(line);
                if (matcher.find()) {
                    port = Integer.parseInt(matcher.group(1));
                }
            }
            if (port < 0) {
                throw new IllegalStateException(
                        "target/quarkus.log does not say where the management interface listens");
            }
            return port;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test public key, as a file. */
    public static Path publicKey() {
        return resource("jwt/public.pem");
    }

    /** A valid token for the user, in the given groups, for ten minutes. */
    public static String token(String user, String... groups) {
        return claims(user, groups).sign(privateKey());
    }

    /** A valid token for the user, for as long as given. */
    public static String token(String user, Duration lifespan) {
        return claims(user).expiresIn(lifespan).sign(privateKey());
    }

    /** A token for the user that expired an hour ago. */
    public static String expiredToken(String user) {
        return Jwt.issuer(ISSUER)
                .subject(user)
                .issuedAt(Instant.now().minus(Duration.ofHours(2)))
                .expiresAt(Instant.now().minus(Duration.ofHours(1)))
                .sign(privateKey());
    }

    /** A token for the user, well formed but signed by a key the application does not know. */
    public static String tokenSignedByAnotherKey(String user) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return claims(user).sign(generator.generateKeyPair().getPrivate());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token for the user, signed by the right key but issued by someone else. */
    public static String tokenFromAnotherIssuer(String user) {
        return Jwt.issuer("https://someone-else.test")
                .subject(user)
                .expiresIn(Duration.ofMinutes(10))
                .sign(privateKey());
    }

    /** A token signed by the right key that names no subject, which smallrye-jwt does not accept. */
    public static String tokenWithoutUser() {
        return Jwt.issuer(ISSUER)
                .claim("scope", "memory")
                .expiresIn(Duration.ofMinutes(10))
                .sign(privateKey());
    }

    private static JwtClaimsBuilder claims(String user, String... groups) {
        JwtClaimsBuilder claims = Jwt.issuer(ISSUER).subject(user).expiresIn(Duration.ofMinutes(10));
        return groups.length == 0 ? claims : claims.groups(Set.of(groups));
    }

    private static PrivateKey privateKey() {
        try {
            String pem = Files.readString(resource("jwt/private.pem"));
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A file of the test class path, as an absolute path: the packaged application reads it from outside. */
    private static Path resource(String name) {
        try {
            return Path.of(
                    TestCredentials.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
