package dev.agentmemory.web;

import static dev.agentmemory.testing.TestCredentials.API_KEY;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.testing.AuthProfile;
import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import dev.agentmemory.testing.TestCredentials;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document against the service: it lists exactly the routes of the JAX-RS resources, and every status an
 * operation is seen to answer here (success, 400, 401, 403, 404, 409, 413, 415, 422) is one it declares, with the
 * problem schema for the errors; 503 (seen by {@code RedisOutageTest}) is declared everywhere. Authentication is on.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
class OpenApiDocumentTest {

    private static final String PROBLEM = "#/components/schemas/Problem";

    /** A valid body for each operation that takes one. */
    private static final Map<String, String> BODIES = Map.of(
            "POST /v1/users/{userId}/sessions/{sessionId}/chat", "{\"message\":\"Hello\"}",
            "POST /v1/users/{userId}/sessions/{sessionId}/chat/stream", "{\"message\":\"Hello\"}",
            "POST /v1/users/{userId}/sessions/{sessionId}/prompt", "{\"message\":\"Hello\"}",
            "POST /v1/users/{userId}/sessions/{sessionId}/messages",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"I like tea\"}]}",
            "POST /v1/users/{userId}/memories", "{\"text\":\"User likes green tea\"}",
            "PATCH /v1/users/{userId}/memories/{id}", "{\"kind\":\"preference\"}");

    @Inject
    MemoryConfig config;

    JsonNode document;
    OpenAiStub llm;

    @BeforeEach
    void load() throws IOException {
        document = new ObjectMapper()
                .readTree(given().queryParam("format", "json")
                        .get("/q/openapi")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString());
        llm = OpenAiStubResource.stub();
        llm.reset();
        llm.replyToChat("Hello!");
        llm.replyToExtraction();
    }

    @Test
    void theDocumentListsExactlyTheRoutesOfTheResources() throws IOException, URISyntaxException {
        List<Class<?>> resources = resourceClasses();
        Set<String> routes = new TreeSet<>();
        for (Class<?> resource : resources) {
            for (Method method : resource.getMethods()) {
                for (Annotation annotation : method.getAnnotations()) {
                    HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
                    if (verb != null) {
                        routes.add(verb.value() + " " + OpenApiContract.path(resource, method));
                    }
                }
            }
        }
        assertThat(operations()).containsExactlyInAnyOrderElementsOf(routes);
        // The filter that adds the configured limits reads every resource.
        assertThat(OpenApiContract.RESOURCES).containsExactlyInAnyOrderElementsOf(resources);
    }

    @Test
    void everyOperationDeclaresEveryStatusItAnswers() {
        Map<String, Set<Integer>> seen = new TreeMap<>();
        for (String operation : operations()) {
            Set<Integer> statuses = seen.computeIfAbsent(operation, key -> new TreeSet<>());
            String user = "docs-" + UUID.randomUUID();
            String memoryId = seedMemory(user, "User's locker code is " + UUID.randomUUID());
            statuses.add(send(operation, user, memoryId, admin()).statusCode());
            statuses.add(send(operation, user, memoryId, given()).statusCode());
            statuses.add(send(operation, user, memoryId, bearer(TestCredentials.token("other-" + UUID.randomUUID())))
                    .statusCode());
            statuses.add(send(operation, "a%7Db", memoryId, admin()).statusCode());
            if (operation.contains("{id}")) {
                statuses.add(send(
                                operation,
                                user,
                                "unknown" + UUID.randomUUID().toString().substring(0, 8),
                                admin())
                        .statusCode());
            }
            if (BODIES.containsKey(operation)) {
                statuses.add(request(
                                operation,
                                user,
                                memoryId,
                                admin().contentType(ContentType.TEXT).body("text"))
                        .statusCode());
                String huge = "{\"text\":\"" + "x".repeat(1_100_000) + "\"}";
                statuses.add(request(
                                operation,
                                user,
                                memoryId,
                                admin().contentType(ContentType.JSON).body(huge))
                        .statusCode());
            }
        }
        String user = "docs-" + UUID.randomUUID();
        String patch = "PATCH /v1/users/{userId}/memories/{id}";
        seedMemory(user, "User plays the cello");
        String other = seedMemory(user, "User lives in Lisbon");
        seen.get(patch)
                .add(request(
                                patch,
                                user,
                                other,
                                admin().contentType(ContentType.JSON).body("{\"text\":\"User plays the cello\"}"))
                        .statusCode());
        for (String chat : List.of(
                "POST /v1/users/{userId}/sessions/{sessionId}/chat",
                "POST /v1/users/{userId}/sessions/{sessionId}/chat/stream")) {
            String key = "key-" + UUID.randomUUID();
            request(
                            chat,
                            user,
                            other,
                            admin().header("Idempotency-Key", key)
                                    .contentType(ContentType.JSON)
                                    .body("{\"message\":\"Hi\"}"))
                    .then()
                    .statusCode(200);
            seen.get(chat)
                    .add(request(
                                    chat,
                                    user,
                                    other,
                                    admin().header("Idempotency-Key", key)
                                            .contentType(ContentType.JSON)
                                            .body("{\"message\":\"Something else\"}"))
                            .statusCode());
        }

        assertThat(seen.values().stream().flatMap(Set::stream))
                .contains(200, 201, 204, 400, 401, 403, 404, 409, 413, 415, 422);
        SoftAssertions soft = new SoftAssertions();
        seen.forEach((operation, statuses) -> {
            Set<String> declared = declared(operation);
            for (int status : statuses) {
                soft.assertThat(declared).as(operation + " answered " + status).contains(String.valueOf(status));
            }
            soft.assertThat(declared).as(operation).contains("503");
            for (String status : declared) {
                JsonNode response = response(operation, status);
                if (status.startsWith("4") || status.startsWith("5")) {
                    soft.assertThat(response.at("/content/application~1problem+json/schema/$ref")
                                    .asText())
                            .as(operation + " " + status)
                            .isEqualTo(PROBLEM);
                }
            }
            soft.assertThat(response(operation, "503")
                            .at("/headers/Retry-After")
                            .isMissingNode())
                    .as(operation + " 503 Retry-After")
                    .isFalse();
        });
        soft.assertThat(response("POST /v1/users/{userId}/memories", "201")
                        .at("/headers/Location")
                        .isMissingNode())
                .as("201 Location")
                .isFalse();
        soft.assertThat(response("GET /v1/users/{userId}/memories", "401")
                        .at("/headers/WWW-Authenticate")
                        .isMissingNode())
                .as("401 WWW-Authenticate")
                .isFalse();
        soft.assertAll();
    }

    @Test
    void theProblemSchemaHasItsFields() {
        JsonNode problem = document.at("/components/schemas/Problem");
        assertThat(fieldNames(problem.path("properties")))
                .containsExactlyInAnyOrder("type", "title", "status", "detail", "field", "errors");
        assertThat(problem.at("/properties/status/type").asText()).isEqualTo("integer");
        assertThat(problem.at("/properties/errors/items/$ref").asText()).isEqualTo("#/components/schemas/FieldError");
        assertThat(fieldNames(document.at("/components/schemas/FieldError/properties")))
                .containsExactlyInAnyOrder("field", "detail");
        // What the service answers has that shape.
        Response bad = admin().get("/v1/users/alice/memories?limit=0");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.jsonPath().getMap("$").keySet())
                .containsExactlyInAnyOrder("type", "title", "status", "detail", "field", "errors");
    }

    @Test
    void bothKindsOfCredentialsAreDeclared() {
        assertThat(document.at("/components/securitySchemes/bearer/scheme").asText())
                .isEqualTo("bearer");
        assertThat(document.at("/components/securitySchemes/bearer/bearerFormat")
                        .asText())
                .isEqualTo("JWT");
        assertThat(document.at("/components/securitySchemes/apiKey/in").asText())
                .isEqualTo("header");
        assertThat(document.at("/components/securitySchemes/apiKey/name").asText())
                .isEqualTo("X-API-Key");
        assertThat(document.path("security").toString()).isEqualTo("[{\"bearer\":[]},{\"apiKey\":[]}]");
    }

    @Test
    void idsAndFieldsCarryTheLimitsTheServiceApplies() {
        for (String operation : operations()) {
            for (JsonNode parameter : operation(operation).path("parameters")) {
                String name = parameter.path("name").asText();
                if (Set.of("userId", "sessionId", "id", "Idempotency-Key").contains(name)) {
                    Pattern pattern =
                            Pattern.compile(parameter.at("/schema/pattern").asText());
                    assertThat(pattern.matcher("alice@example.com").matches())
                            .as(operation + " " + name)
                            .isTrue();
                    assertThat(pattern.matcher("a}b").matches())
                            .as(operation + " " + name)
                            .isFalse();
                    assertThat(parameter.at("/schema/maxLength").asInt())
                            .as(operation + " " + name)
                            .isEqualTo(128);
                }
            }
        }
        JsonNode recall = operation("GET /v1/users/{userId}/memories");
        assertThat(parameter(recall, "limit").at("/schema/maximum").asInt())
                .isEqualTo(config.recall().maxLimit());
        assertThat(parameter(recall, "limit").at("/schema/minimum").asInt()).isEqualTo(1);
        assertThat(parameter(recall, "q").at("/schema/maxLength").asInt())
                .isEqualTo(config.recall().maxQueryChars());
        assertThat(parameter(recall, "kind").at("/schema/items/pattern").asText())
                .contains(config.longTerm().kindPattern());
        JsonNode schemas = document.path("components").path("schemas");
        assertThat(schemas.at("/ChatRequest/properties/message/maxLength").asInt())
                .isEqualTo(config.session().maxMessageChars());
        assertThat(schemas.at("/Message/properties/content/maxLength").asInt())
                .isEqualTo(config.session().maxMessageChars());
        assertThat(schemas.at("/AppendRequest/properties/messages/maxItems").asInt())
                .isEqualTo(config.session().maxMessagesPerAppend());
        assertThat(schemas.at("/RememberRequest/properties/text/maxLength").asInt())
                .isEqualTo(config.longTerm().maxTextChars());
        assertThat(schemas.at("/UpdateRequest/properties/text/maxLength").asInt())
                .isEqualTo(config.longTerm().maxTextChars());
        assertThat(schemas.at("/RememberRequest/properties/kind/pattern").asText())
                .contains(config.longTerm().kindPattern());
    }

    @Test
    void theStreamedTurnDescribesItsEvents() {
        String description = response("POST /v1/users/{userId}/sessions/{sessionId}/chat/stream", "200")
                .path("description")
                .asText();
        assertThat(description).contains("memories", "token", "done", "error");
    }

    @Test
    void swaggerUiShowsTheDocument() {
        given().redirects().follow(false).get("/q/swagger-ui").then().statusCode(302);
        assertThat(given().get("/q/swagger-ui/")
                        .then()
                        .statusCode(200)
                        .contentType(ContentType.HTML)
                        .extract()
                        .asString())
                .contains("/q/openapi?format=json", "swagger-ui-bundle.js");
        given().get("/q/swagger-ui/swagger-ui-bundle.js").then().statusCode(200);
        given().get("/q/swagger-ui/swagger-ui.css").then().statusCode(200);
    }

    private Response send(String operation, String user, String memoryId, RequestSpecification request) {
        String body = BODIES.get(operation);
        if (body != null) {
            request.contentType(ContentType.JSON).body(body);
        }
        return request(operation, user, memoryId, request);
    }

    private static Response request(String operation, String user, String memoryId, RequestSpecification request) {
        String method = operation.substring(0, operation.indexOf(' '));
        String path = operation
                .substring(operation.indexOf(' ') + 1)
                .replace("{userId}", user)
                .replace("{sessionId}", "s1")
                .replace("{id}", memoryId);
        if (operation.endsWith("/stream")) {
            request.accept("text/event-stream");
        }
        return request.urlEncodingEnabled(false).request(method, path);
    }

    private static String seedMemory(String user, String text) {
        return admin().contentType(ContentType.JSON)
                .body(Map.of("text", text))
                .post("/v1/users/" + user + "/memories")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static RequestSpecification admin() {
        return given().header("X-API-Key", API_KEY);
    }

    private static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private List<String> operations() {
        List<String> operations = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue()
                .fieldNames()
                .forEachRemaining(method -> operations.add(method.toUpperCase() + " " + path.getKey())));
        return operations;
    }

    private JsonNode operation(String operation) {
        String method = operation.substring(0, operation.indexOf(' ')).toLowerCase();
        return document.path("paths")
                .path(operation.substring(operation.indexOf(' ') + 1))
                .path(method);
    }

    private Set<String> declared(String operation) {
        return new TreeSet<>(fieldNames(operation(operation).path("responses")));
    }

    /** A response of an operation, with a reference to a shared one followed. */
    private JsonNode response(String operation, String status) {
        JsonNode response = operation(operation).path("responses").path(status);
        String ref = response.path("$ref").asText();
        return ref.isEmpty()
                ? response
                : document.path("components").path("responses").path(ref.substring(ref.lastIndexOf('/') + 1));
    }

    private static JsonNode parameter(JsonNode operation, String name) {
        for (JsonNode parameter : operation.path("parameters")) {
            if (parameter.path("name").asText().equals(name)) {
                return parameter;
            }
        }
        throw new AssertionError("No parameter " + name);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Every class of the service (target/classes) that is a JAX-RS resource. */
    private static List<Class<?>> resourceClasses() throws IOException, URISyntaxException {
        java.nio.file.Path root = java.nio.file.Path.of(OpenApiContract.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<Class<?>> resources = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
            for (java.nio.file.Path file :
                    files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                try {
                    Class<?> type = Class.forName(name, false, OpenApiContract.class.getClassLoader());
                    if (type.isAnnotationPresent(Path.class)) {
                        resources.add(type);
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    // not a loadable class of the application (e.g. one only dev mode uses): no resource
                }
            }
        }
        return resources;
    }
}
