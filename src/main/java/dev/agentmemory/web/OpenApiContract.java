package dev.agentmemory.web;

import dev.agentmemory.chat.AgentResource;
import dev.agentmemory.chat.ChatResource;
import dev.agentmemory.config.ConfigDefaults;
import dev.agentmemory.longterm.MemoryResource;
import dev.agentmemory.validation.ConfiguredLimit;
import dev.agentmemory.validation.ValidId;
import dev.agentmemory.validation.ValidKind;
import dev.agentmemory.validation.WholeNumberUpTo;
import dev.agentmemory.working.SessionResource;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.Sse;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Completes the OpenAPI document when it is generated at build time (the {@code smallrye-open-api-maven-plugin} in the
 * POM; the service does not use this at run time):
 *
 * <ul>
 *   <li>every operation on {@code /v1/users} answers 400 (each takes ids in its path), 401, 403 and 503, and one that
 *       takes a body 413 and 415, as the shared responses of {@link OpenApiDefinition};
 *   <li>the validation annotations whose rule lives in configuration ({@link ValidId}, {@link ValidKind},
 *       {@link ConfiguredLimit}, {@link WholeNumberUpTo}) become the pattern, length, item and range limits of the
 *       parameters and request fields they guard, with the defaults {@code MemoryConfig} declares.
 * </ul>
 */
public class OpenApiContract implements OASFilter {

    /** The resources whose parameters and request bodies carry the constraints (a test checks none is missing). */
    static final List<Class<?>> RESOURCES =
            List.of(AgentResource.class, ChatResource.class, MemoryResource.class, SessionResource.class);

    static final String API_PREFIX = "/v1/users";

    /** Checked against the id pattern by {@code IdempotentChat}, not by an annotation. */
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** A pattern that is one character class with a length range, like the ids' default. */
    private static final Pattern CLASS_WITH_LENGTHS = Pattern.compile("\\[[^\\]]*\\]\\{(\\d+),(\\d+)\\}");

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        openApi.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith(API_PREFIX)) {
                item.getOperations().values().forEach(OpenApiContract::addSharedResponses);
            }
        });
        Set<Class<?>> bodies = new HashSet<>();
        for (Class<?> resource : RESOURCES) {
            for (Method method : resource.getMethods()) {
                String verb = httpMethod(method);
                if (verb == null) {
                    continue;
                }
                PathItem item = openApi.getPaths().getPathItem(path(resource, method));
                Operation operation = item == null ? null : item.getOperations().get(PathItem.HttpMethod.valueOf(verb));
                if (operation == null) {
                    throw new IllegalStateException(
                            "Not in the OpenAPI document: " + verb + " " + path(resource, method));
                }
                for (Parameter parameter : method.getParameters()) {
                    Optional<String> name = parameterName(parameter);
                    if (name.isPresent()) {
                        constrainParameter(
                                operation, name.get(), parameter.getAnnotatedType(), parameter.getAnnotations());
                    } else if (isBody(parameter)) {
                        collectRecords(parameter.getParameterizedType(), bodies);
                    }
                }
            }
        }
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        for (Class<?> body : bodies) {
            Schema schema = schemas.get(body.getSimpleName());
            if (schema == null || schema.getProperties() == null) {
                continue;
            }
            for (RecordComponent component : body.getRecordComponents()) {
                Schema property = schema.getProperties().get(component.getName());
                if (property != null) {
                    constrain(property, component.getAnnotatedType(), component.getAnnotations());
                }
            }
        }
    }

    private static void addSharedResponses(Operation operation) {
        APIResponses responses = operation.getResponses();
        shared(responses, "400", OpenApiDefinition.BAD_REQUEST);
        shared(responses, "401", OpenApiDefinition.UNAUTHORIZED);
        shared(responses, "403", OpenApiDefinition.FORBIDDEN);
        if (operation.getRequestBody() != null) {
            shared(responses, "413", OpenApiDefinition.TOO_LARGE);
            shared(responses, "415", OpenApiDefinition.UNSUPPORTED_MEDIA_TYPE);
        }
        shared(responses, "503", OpenApiDefinition.UNAVAILABLE);
    }

    private static void shared(APIResponses responses, String status, String name) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().ref(name));
        }
    }

    private static void constrainParameter(
            Operation operation, String name, AnnotatedType type, Annotation[] annotations) {
        if (operation.getParameters() == null) {
            return;
        }
        operation.getParameters().stream()
                .filter(parameter -> parameter.getName().equals(name) && parameter.getSchema() != null)
                .forEach(parameter -> {
                    if (name.equals(IDEMPOTENCY_KEY)) {
                        idPattern(parameter.getSchema());
                    }
                    constrain(parameter.getSchema(), type, annotations);
                });
    }

    /** The schema facets of the annotations on a value, and on the elements of a list. */
    private static void constrain(Schema schema, AnnotatedType type, Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof ValidId) {
                idPattern(schema);
            } else if (annotation instanceof ValidKind) {
                schema.pattern(anchored(ConfigDefaults.of("memory.long-term.kind-pattern")));
            } else if (annotation instanceof ConfiguredLimit limit) {
                int most = Integer.parseInt(ConfigDefaults.of(limit.value()));
                if (isArray(schema)) {
                    schema.maxItems(most);
                } else {
                    schema.maxLength(most);
                }
            } else if (annotation instanceof WholeNumberUpTo range) {
                schema.type(List.of(Schema.SchemaType.INTEGER))
                        .minimum(BigDecimal.valueOf(range.min()))
                        .maximum(new BigDecimal(ConfigDefaults.of(range.value())));
            }
        }
        if (type instanceof AnnotatedParameterizedType list && schema.getItems() != null) {
            AnnotatedType element = list.getAnnotatedActualTypeArguments()[0];
            constrain(schema.getItems(), element, element.getAnnotations());
        }
    }

    private static void idPattern(Schema schema) {
        String pattern = ConfigDefaults.of("memory.ids.pattern");
        schema.pattern(anchored(pattern));
        Matcher lengths = CLASS_WITH_LENGTHS.matcher(pattern);
        if (lengths.matches()) {
            schema.minLength(Integer.parseInt(lengths.group(1))).maxLength(Integer.parseInt(lengths.group(2)));
        }
    }

    private static String anchored(String pattern) {
        return "^(?:" + pattern + ")$";
    }

    private static boolean isArray(Schema schema) {
        return schema.getType() != null && schema.getType().contains(Schema.SchemaType.ARRAY);
    }

    /** The records a request body is made of: the body's type and the records among its components' types. */
    private static void collectRecords(Type type, Set<Class<?>> records) {
        if (type instanceof ParameterizedType parameterized) {
            Arrays.stream(parameterized.getActualTypeArguments())
                    .forEach(argument -> collectRecords(argument, records));
        } else if (type instanceof Class<?> type1 && type1.isRecord() && records.add(type1)) {
            for (RecordComponent component : type1.getRecordComponents()) {
                collectRecords(component.getGenericType(), records);
            }
        }
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    /** The route of a resource method as the document names it: the class's path and the method's, joined. */
    static String path(Class<?> resource, Method method) {
        Path own = method.getAnnotation(Path.class);
        String path = resource.getAnnotation(Path.class).value() + (own == null ? "" : "/" + own.value());
        return path.replaceAll("/+", "/").replaceAll("(.)/$", "$1");
    }

    private static Optional<String> parameterName(Parameter parameter) {
        if (parameter.isAnnotationPresent(PathParam.class)) {
            return Optional.of(parameter.getAnnotation(PathParam.class).value());
        }
        if (parameter.isAnnotationPresent(QueryParam.class)) {
            return Optional.of(parameter.getAnnotation(QueryParam.class).value());
        }
        if (parameter.isAnnotationPresent(HeaderParam.class)) {
            return Optional.of(parameter.getAnnotation(HeaderParam.class).value());
        }
        return Optional.empty();
    }

    private static boolean isBody(Parameter parameter) {
        return !parameter.isAnnotationPresent(Context.class)
                && parameter.getType() != UriInfo.class
                && parameter.getType() != Sse.class;
    }
}
