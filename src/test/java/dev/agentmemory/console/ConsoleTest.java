package dev.agentmemory.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.agentmemory.testing.AuthProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console with authentication on, as it would be deployed: its files need no credentials (they hold none),
 * the API they call does. The browser test (src/test/console) drives it against the packaged application.
 */
@QuarkusTest
@TestProfile(ConsoleTest.ConsoleOn.class)
class ConsoleTest {

    /** {@code import … from './x.js'} in a module. */
    private static final Pattern IMPORT = Pattern.compile("from '\\./([a-z]+\\.js)'");

    @Test
    void rootAndBarePathRedirectToTheConsole() {
        for (String path : new String[] {"/", "/console"}) {
            given().redirects().follow(false).get(path).then().statusCode(302).header("Location", "console/");
        }
    }

    @Test
    void pageAndEveryModuleItImportsAreServedWithoutCredentials() {
        String page = given().get("/console/")
                .then()
                .statusCode(200)
                .contentType(startsWith("text/html"))
                .header("Content-Security-Policy", ConsoleRoutes.CONTENT_SECURITY_POLICY)
                .header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff")
                .body(containsString("<script type=\"module\" src=\"console.js\"></script>"))
                .extract()
                .asString();
        assertThat(page).contains("href=\"console.css\"").doesNotContain("http://", "https://");
        given().get("/console/console.css").then().statusCode(200).contentType(startsWith("text/css"));

        String console = module("console.js");
        Matcher imports = IMPORT.matcher(console);
        int count = 0;
        while (imports.find()) {
            assertThat(module(imports.group(1))).doesNotContain("http://", "https://");
            count++;
        }
        assertThat(count).as("modules console.js imports").isEqualTo(2);
    }

    @Test
    void theApiTheConsoleCallsStillNeedsCredentials() {
        given().get("/v1/users/alice/memories").then().statusCode(401).body("status", equalTo(401));
    }

    private static String module(String name) {
        return given().get("/console/" + name)
                .then()
                .statusCode(200)
                .contentType(startsWith("text/javascript"))
                .extract()
                .asString();
    }

    /** Authentication on, and the console. */
    public static class ConsoleOn extends AuthProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("memory.console.enabled", "true");
            return config;
        }
    }
}
