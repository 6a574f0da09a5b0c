package dev.nhigraph.api;

import dev.nhigraph.NhigraphException;
import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The OpenAPI 3 description of the API, served at {@code GET /api/openapi.json}.
 *
 * <p>The document is the resource {@value #RESOURCE}, written by hand; a test compares its paths and methods with
 * the routes the server registers, so a route added without a description fails the build.
 */
public final class ApiDescription {

    static final String RESOURCE = "api/openapi.json";

    private final String document;

    public ApiDescription() {
        try (InputStream in = ApiDescription.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new NhigraphException("The API description " + RESOURCE + " is missing from the build; rebuild with mvn package.");
            }
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NhigraphException("Failed to read the API description " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** Registers {@code GET /api/openapi.json}. */
    public void addTo(RoutesConfig routes) {
        routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(document), ApiRole.READ);
    }
}
