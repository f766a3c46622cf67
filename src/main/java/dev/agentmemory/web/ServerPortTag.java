package dev.agentmemory.web;

import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Drops the {@code server.port} tag from the HTTP server meters. Quarkus (3.34) tags the meters of a server whose
 * port is configured with it, and not those of a server on a free port ({@code 0}); with the API and the management
 * interface on one kind of port each, the same meter would be registered with two sets of tag keys, which Prometheus
 * refuses, and the second server would not start. The two servers' byte and connection counts are summed instead.
 */
@Singleton
public class ServerPortTag {

    @Produces
    @Singleton
    MeterFilter withoutServerPort() {
        return MeterFilter.ignoreTags("server.port");
    }
}
