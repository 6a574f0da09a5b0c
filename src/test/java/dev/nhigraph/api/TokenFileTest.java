package dev.nhigraph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.BadInputException;
import dev.nhigraph.api.ApiTokens.Caller;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where tokens come from, how the token file is protected, and how tokens are checked. */
class TokenFileTest {

    private static final String READ = "read-token-from-env-0123456789";
    private static final String ADMIN = "admin-token-from-env-0123456789";

    @TempDir
    Path dir;

    @Test
    void firstStart_createsOwnerOnlyFile() throws Exception {
        Path file = dir.resolve("nhigraph-data.api-tokens");

        TokenFile.Tokens created = TokenFile.load(Map.of(), file);

        assertEquals(TokenFile.Source.FILE_CREATED, created.source());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(43, created.read().length());
        assertNotEquals(created.read(), created.admin());
        String text = Files.readString(file);
        assertTrue(text.contains("read=" + created.read() + "\n"), "the file lacks the read token");
        assertTrue(text.contains("admin=" + created.admin() + "\n"), "the file lacks the admin token");
    }

    @Test
    void secondStart_readsTheSameTokens() {
        Path file = dir.resolve("tokens");
        TokenFile.Tokens created = TokenFile.load(Map.of(), file);

        TokenFile.Tokens again = TokenFile.load(Map.of(), file);

        assertEquals(TokenFile.Source.FILE_READ, again.source());
        assertEquals(created.read(), again.read());
        assertEquals(created.admin(), again.admin());
    }

    @Test
    void fileReadableByOthers_isRejectedWithChmod() throws Exception {
        Path file = dir.resolve("tokens");
        TokenFile.load(Map.of(), file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        BadInputException rejected = assertThrows(BadInputException.class, () -> TokenFile.load(Map.of(), file));

        assertTrue(rejected.getMessage().contains("chmod 600 " + file.toAbsolutePath()), rejected.getMessage());
        assertTrue(rejected.getMessage().contains("rw-r--r--"), rejected.getMessage());
    }

    @Test
    void fileWithoutReadLine_isRejectedNamingIt() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "admin=" + ADMIN + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        BadInputException rejected = assertThrows(BadInputException.class, () -> TokenFile.load(Map.of(), file));

        assertTrue(rejected.getMessage().contains(file.toAbsolutePath().toString()), rejected.getMessage());
        assertTrue(rejected.getMessage().contains("no read= line"), rejected.getMessage());
    }

    @Test
    void environment_setsTokensAndWritesNoFile() {
        Path file = dir.resolve("tokens");

        TokenFile.Tokens tokens = TokenFile.load(Map.of(TokenFile.API_TOKEN_ENV, READ, TokenFile.ADMIN_TOKEN_ENV, ADMIN), file);

        assertEquals(TokenFile.Source.ENVIRONMENT, tokens.source());
        assertEquals(READ, tokens.read());
        assertEquals(ADMIN, tokens.admin());
        assertFalse(Files.exists(file), "a token file was written although the environment sets the tokens");
    }

    @Test
    void environment_withoutAdmin_hasNoAdminToken() {
        TokenFile.Tokens tokens = TokenFile.load(Map.of(TokenFile.API_TOKEN_ENV, READ), dir.resolve("tokens"));

        assertNull(tokens.admin());
        assertFalse(tokens.toApiTokens().hasAdminToken());
    }

    @Test
    void environment_shortToken_isRejectedNamingMinimum() {
        BadInputException rejected = assertThrows(BadInputException.class,
                () -> TokenFile.load(Map.of(TokenFile.API_TOKEN_ENV, "short"), dir.resolve("tokens")));

        assertTrue(rejected.getMessage().contains("shorter than " + ApiTokens.MIN_TOKEN_CHARS), rejected.getMessage());
    }

    @Test
    void environment_adminWithoutRead_isRejected() {
        BadInputException rejected = assertThrows(BadInputException.class,
                () -> TokenFile.load(Map.of(TokenFile.ADMIN_TOKEN_ENV, ADMIN), dir.resolve("tokens")));

        assertTrue(rejected.getMessage().contains(TokenFile.API_TOKEN_ENV + " is not"), rejected.getMessage());
    }

    @Test
    void replaceReadToken_keepsAdminAndMode() throws Exception {
        Path file = dir.resolve("tokens");
        TokenFile.Tokens created = TokenFile.load(Map.of(), file);

        TokenFile.replaceReadToken(file, READ);
        TokenFile.Tokens after = TokenFile.load(Map.of(), file);

        assertEquals(READ, after.read());
        assertEquals(created.admin(), after.admin());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void tokensToString_hidesValues() {
        TokenFile.Tokens tokens = TokenFile.inMemory();

        assertFalse(tokens.toString().contains(tokens.read()), tokens.toString());
        assertFalse(tokens.toString().contains(tokens.admin()), tokens.toString());
    }

    @Test
    void authenticate_tellsReadFromAdmin() {
        ApiTokens tokens = new ApiTokens(READ, ADMIN);

        assertEquals(ApiRole.READ, tokens.authenticate(READ).map(Caller::role).orElse(null));
        assertEquals(ApiRole.ADMIN, tokens.authenticate(ADMIN).map(Caller::role).orElse(null));
        assertTrue(tokens.authenticate(READ.substring(1)).isEmpty(), "a token missing its first character matched");
        assertTrue(tokens.authenticate(READ + "x").isEmpty(), "a token with an extra character matched");
        assertTrue(tokens.authenticate("").isEmpty(), "the empty token matched");
        assertTrue(tokens.authenticate(null).isEmpty(), "no token matched");
    }

    @Test
    void sameReadAndAdminToken_isRejected() {
        BadInputException rejected = assertThrows(BadInputException.class, () -> new ApiTokens(READ, READ));

        assertTrue(rejected.getMessage().contains("admin token equals the read token"), rejected.getMessage());
    }

    @Test
    void tokenWithSpace_isRejectedNamingPosition() {
        BadInputException rejected = assertThrows(BadInputException.class, () -> new ApiTokens("read token 0123456789", null));

        assertTrue(rejected.getMessage().contains("position 5"), rejected.getMessage());
    }
}
