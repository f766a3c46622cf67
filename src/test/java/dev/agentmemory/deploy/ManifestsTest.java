package dev.agentmemory.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hand-written manifests under {@code deploy/} agree with the application: probe paths and ports, container
 * port, environment variable names, the ConfigMap and Secret keys they reference, and the image name of the Jib
 * configuration. Plain YAML parsing, no cluster.
 */
class ManifestsTest {

    private static final Path DEPLOY = Path.of("deploy");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Properties app;
    private static JsonNode deployment;
    private static JsonNode knative;
    private static JsonNode configMap;
    private static JsonNode secret;

    @BeforeAll
    static void load() throws IOException {
        app = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            app.load(reader);
        }
        deployment = read("deployment.yaml");
        knative = read("knative/service.yaml");
        configMap = read("configmap.yaml");
        secret = read("secret.template.yaml");
    }

    private static JsonNode read(String name) throws IOException {
        return YAML.readTree(DEPLOY.resolve(name).toFile());
    }

    private static JsonNode container(JsonNode manifest) {
        return manifest.at("/spec/template/spec/containers/0");
    }

    private static int httpPort() {
        // quarkus.http.port=${PORT:8080}
        Matcher port = Pattern.compile("\\$\\{PORT:(\\d+)}").matcher(app.getProperty("quarkus.http.port"));
        assertThat(port.matches()).as("quarkus.http.port has a default").isTrue();
        return Integer.parseInt(port.group(1));
    }

    @Test
    void everyManifestParsesAndIsNamedAfterTheApplication() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(DEPLOY)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(7);
        List<String> kinds = new ArrayList<>();
        for (Path file : files) {
            JsonNode manifest = YAML.readTree(file.toFile());
            kinds.add(manifest.path("kind").asText());
            assertThat(manifest.at("/metadata/name").asText())
                    .as(file.toString())
                    .isEqualTo(app.getProperty("quarkus.application.name"));
        }
        assertThat(kinds)
                .contains(
                        "Deployment",
                        "Service",
                        "HorizontalPodAutoscaler",
                        "PodDisruptionBudget",
                        "ConfigMap",
                        "Secret");
    }

    private static int managementPort() {
        // quarkus.management.port=${MANAGEMENT_PORT:9000}
        Matcher port =
                Pattern.compile("\\$\\{MANAGEMENT_PORT:(\\d+)}").matcher(app.getProperty("quarkus.management.port"));
        assertThat(port.matches()).as("quarkus.management.port has a default").isTrue();
        return Integer.parseInt(port.group(1));
    }

    @Test
    void containerPortIsTheHttpPortAndProbesAndMetricsUseTheManagementPort() {
        assertThat(app.getProperty("%prod.quarkus.management.enabled")).isEqualTo("true");
        JsonNode container = container(deployment);
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(httpPort());
        assertThat(container.at("/ports/1/containerPort").asInt()).isEqualTo(managementPort());
        String managementName = container.at("/ports/1/name").asText();
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertThat(container.at("/" + probe + "/httpGet/port").asText()).isEqualTo(managementName);
        }

        JsonNode knativeContainer = container(knative);
        assertThat(knativeContainer.at("/ports/0/containerPort").asInt()).isEqualTo(httpPort());
        assertThat(knativeContainer.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(knativeContainer.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            // Knative takes a probe on a port other than the serving port only as a number.
            assertThat(knativeContainer.at("/" + probe + "/httpGet/port").asInt())
                    .isEqualTo(managementPort());
        }

        for (JsonNode manifest : List.of(deployment, knative)) {
            JsonNode annotations = manifest.at("/spec/template/metadata/annotations");
            assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
            assertThat(annotations.path("prometheus.io/path").asText())
                    .isEqualTo(app.getProperty("quarkus.micrometer.export.prometheus.path"));
            assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(String.valueOf(managementPort()));
        }
    }

    @Test
    void theKnativeServiceIsReachableFromInsideTheClusterOnly() {
        assertThat(knative.at("/metadata/labels/networking.knative.dev~1visibility")
                        .asText())
                .isEqualTo("cluster-local");
    }

    @Test
    void bothManifestsConfigureAuthentication() {
        for (JsonNode manifest : List.of(deployment, knative)) {
            Set<String> given = new TreeSet<>();
            container(manifest)
                    .path("env")
                    .forEach(env -> given.add(env.path("name").asText()));
            assertThat(given)
                    .contains("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MP_JWT_VERIFY_ISSUER", "MEMORY_AUTH_API_KEY_SHA256");
        }
        // The digests of the API keys come from the Secret, never the ConfigMap.
        assertThat(secret.path("stringData").has("MEMORY_AUTH_API_KEY_SHA256")).isTrue();
        assertThat(configMap.path("data").has("MEMORY_AUTH_API_KEY_SHA256")).isFalse();
    }

    @Test
    void serviceTargetsTheApiPortOnly() throws IOException {
        JsonNode service = read("service.yaml");
        assertThat(service.at("/spec/ports")).hasSize(1);
        assertThat(service.at("/spec/ports/0/targetPort").asText())
                .isEqualTo(container(deployment).at("/ports/0/name").asText());
        assertThat(service.at("/spec/selector")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
    }

    @Test
    void environmentIsWhatTheApplicationReadsAndComesFromTheConfigMapAndSecret() {
        Set<String> read = environmentVariablesRead();
        assertThat(read).contains("REDIS_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL");
        for (JsonNode manifest : List.of(deployment, knative)) {
            Set<String> given = new TreeSet<>();
            for (JsonNode env : container(manifest).path("env")) {
                String name = env.path("name").asText();
                given.add(name);
                JsonNode fromSecret = env.at("/valueFrom/secretKeyRef");
                JsonNode fromConfigMap = env.at("/valueFrom/configMapKeyRef");
                if (!fromSecret.isMissingNode()) {
                    assertThat(fromSecret.path("name").asText()).isEqualTo("agent-memory");
                    assertThat(secret.path("stringData")
                                    .has(fromSecret.path("key").asText()))
                            .as("Secret key %s", name)
                            .isTrue();
                } else if (!fromConfigMap.isMissingNode()) {
                    assertThat(fromConfigMap.path("name").asText()).isEqualTo("agent-memory");
                    assertThat(configMap
                                    .path("data")
                                    .has(fromConfigMap.path("key").asText()))
                            .as("ConfigMap key %s", name)
                            .isTrue();
                }
            }
            assertThat(given).contains("REDIS_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL");
        }
        // The secrets are never in the ConfigMap, and the defaults there match the application's.
        assertThat(configMap.path("data").has("OPENAI_API_KEY")).isFalse();
        assertThat(configMap.at("/data/OPENAI_BASE_URL").asText())
                .isEqualTo(defaultOf("quarkus.langchain4j.openai.base-url"));
        assertThat(configMap.at("/data/OPENAI_MODEL").asText())
                .isEqualTo(defaultOf("quarkus.langchain4j.openai.chat-model.model-name"));
    }

    /** Variables referenced as {@code ${NAME}} or {@code ${NAME:default}} in application.properties. */
    private static Set<String> environmentVariablesRead() {
        Set<String> names = new TreeSet<>();
        Pattern reference = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
        for (String key : app.stringPropertyNames()) {
            Matcher matcher = reference.matcher(app.getProperty(key));
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    private static String defaultOf(String property) {
        Matcher matcher = Pattern.compile("\\$\\{[A-Z_]+:(.*)}").matcher(app.getProperty(property));
        assertThat(matcher.matches()).as(property + " has a default").isTrue();
        return matcher.group(1);
    }

    @Test
    void imageIsTheOneJibBuilds() {
        String image = app.getProperty("quarkus.container-image.registry") + "/"
                + app.getProperty("quarkus.container-image.group") + "/"
                + app.getProperty("quarkus.container-image.name") + ":";
        List<String> tags = new ArrayList<>(List.of(
                app.getProperty("quarkus.container-image.additional-tags").split(",")));
        for (JsonNode manifest : List.of(deployment, knative)) {
            String used = container(manifest).path("image").asText();
            assertThat(used).startsWith(image);
            assertThat(tags).contains(used.substring(image.length()));
        }
        assertThat(app.getProperty("quarkus.jib.ports")).isEqualTo(String.valueOf(httpPort()));
    }

    @Test
    void podsRunAsNonRootOnAReadOnlyRootFileSystemWithAWritableTmp() {
        for (JsonNode manifest : List.of(deployment, knative)) {
            JsonNode pod = manifest.at("/spec/template/spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
            JsonNode container = container(manifest);
            assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean())
                    .isTrue();
            assertThat(container.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");
            String volume = container.at("/volumeMounts/0/name").asText();
            assertThat(pod.at("/volumes/0/name").asText()).isEqualTo(volume);
            assertThat(pod.at("/volumes/0/emptyDir").isObject()).isTrue();
            assertThat(container.at("/resources/limits/memory").asText()).isNotEmpty();
        }
    }

    @Test
    void theDeploymentLeavesServiceLinkVariablesOut() {
        // Every environment variable is matched against the configuration at start-up (Knative's default is false).
        assertThat(deployment.at("/spec/template/spec/enableServiceLinks").isBoolean())
                .isTrue();
        assertThat(deployment.at("/spec/template/spec/enableServiceLinks").asBoolean())
                .isFalse();
    }
}
