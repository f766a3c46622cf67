package dev.agentmemory.testing;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Sends the test API key ({@link TestCredentials#API_KEY}) with every RestAssured request of the test class that
 * carries no credentials of its own: for the integration tests, whose packaged application runs with
 * authentication on, as in production.
 */
public class AdminApiKey implements BeforeAllCallback, AfterAllCallback {

    private static final Filter ADD_KEY = (request, response, context) -> {
        if (!request.getHeaders().hasHeaderWithName("X-API-Key")
                && !request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("X-API-Key", TestCredentials.API_KEY);
        }
        return context.next(request, response);
    };

    private List<Filter> previous;

    @Override
    public void beforeAll(ExtensionContext context) {
        previous = List.copyOf(RestAssured.filters());
        RestAssured.filters(ADD_KEY);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RestAssured.replaceFiltersWith(previous);
    }
}
