package dev.opsdeck.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashing (Argon2id with the OWASP minimum: 19 MiB, 2 passes, 1 lane) in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}, and the password policy.
 */
public final class Passwords {
    static final int MAX_LENGTH = 1024;
    private static final int MEMORY_KIB = 19456, ITERATIONS = 2, PARALLELISM = 1, SALT_BYTES = 16, HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{22,128})");
    /** Stored hashes come from us, but a corrupted or planted one must not make verify allocate gigabytes. */
    private static final int MAX_MEMORY_KIB = 1 << 20, MAX_ITERATIONS = 10, MAX_PARALLELISM = 8;

    /** The most common passwords of 8+ characters (breach lists), lower-cased; policy refuses them. */
    private static final Set<String> COMMON = Set.of(
            "password",
            "password1",
            "password12",
            "password123",
            "password1234",
            "password12345",
            "passw0rd",
            "p@ssw0rd",
            "12345678",
            "123456789",
            "1234567890",
            "12345678910",
            "123456789012",
            "1234567890123",
            "87654321",
            "11111111",
            "00000000",
            "qwertyuiop",
            "qwerty123",
            "qwerty1234",
            "qwerty123456",
            "1q2w3e4r",
            "1q2w3e4r5t",
            "1q2w3e4r5t6y",
            "1qaz2wsx",
            "1qaz2wsx3edc",
            "zaq12wsx",
            "asdfghjkl",
            "iloveyou",
            "iloveyou123",
            "sunshine",
            "princess",
            "football",
            "baseball",
            "superman",
            "trustno1",
            "starwars",
            "whatever",
            "letmein",
            "letmein123",
            "welcome1",
            "welcome123",
            "welcome12345",
            "changeme",
            "changeme123",
            "administrator",
            "admin123",
            "admin12345",
            "adminadmin",
            "administrator1",
            "opsdeck",
            "opsdeck123",
            "opsdeckadmin",
            "correcthorsebatterystaple",
            "qwertyuiopasdfghjkl",
            "abcdefghijkl",
            "abc123456789",
            "monkey123456");

    private Passwords() {}

    public static String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /**
     * True when {@code password} matches {@code encoded}; false, never an exception, for anything malformed.
     * The parameters come from the encoding, so hashes made with older settings keep verifying.
     */
    public static boolean verify(String password, String encoded) {
        if (password == null || encoded == null) return false;
        Matcher m = PHC.matcher(encoded);
        if (!m.matches()) return false;
        try {
            int memory = Integer.parseInt(m.group(1)), iterations = Integer.parseInt(m.group(2));
            int parallelism = Integer.parseInt(m.group(3));
            if (parallelism < 1
                    || parallelism > MAX_PARALLELISM
                    || iterations < 1
                    || iterations > MAX_ITERATIONS
                    || memory < 8 * parallelism
                    || memory > MAX_MEMORY_KIB) {
                return false;
            }
            byte[] salt = Base64.getDecoder().decode(m.group(4));
            byte[] expected = Base64.getDecoder().decode(m.group(5));
            if (salt.length < 8 || expected.length < 16) return false;
            byte[] actual = derive(password, salt, memory, iterations, parallelism, expected.length);
            return MessageDigest.isEqual(actual, expected); // constant time
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** One rule of the password policy: how a form tells it before submitting, and the refusal when it is broken. */
    public record Rule(String told, String refusal, Predicate<String> holds) {}

    /**
     * The policy for {@code username}, in the order it is checked: the one source of both what the password form
     * lists and what {@link #policyProblem} refuses, so the two cannot drift apart.
     */
    public static List<Rule> policy(String username, int minLength) {
        List<Rule> rules = new ArrayList<>();
        rules.add(new Rule(
                "at least " + minLength + " characters",
                "password must be at least " + minLength + " characters",
                p -> p.codePointCount(0, p.length()) >= minLength));
        rules.add(new Rule(
                "at most " + MAX_LENGTH + " characters",
                "password must be at most " + MAX_LENGTH + " characters",
                p -> p.length() <= MAX_LENGTH));
        if (username != null && !username.isBlank()) {
            String name = username.toLowerCase(Locale.ROOT);
            rules.add(new Rule(
                    "not containing your user name (" + username + ")",
                    "password must not contain the user name",
                    p -> !p.toLowerCase(Locale.ROOT).contains(name)));
        }
        rules.add(new Rule(
                "not a commonly used password, nor one character repeated",
                "password is too common; choose a longer phrase",
                p -> {
                    String lower = p.toLowerCase(Locale.ROOT);
                    return !COMMON.contains(lower) && lower.chars().distinct().count() > 1;
                }));
        return List.copyOf(rules);
    }

    /** Null when {@code password} is acceptable for {@code username}; otherwise the message to show. */
    public static String policyProblem(String password, String username, int minLength) {
        List<Rule> policy = policy(username, minLength);
        if (password == null) return policy.getFirst().refusal();
        for (Rule rule : policy) {
            if (!rule.holds().test(password)) return rule.refusal();
        }
        return null;
    }

    private static byte[] derive(
            String password, byte[] salt, int memory, int iterations, int parallelism, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
