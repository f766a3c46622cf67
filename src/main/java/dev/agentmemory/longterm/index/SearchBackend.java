package dev.agentmemory.longterm.index;

import dev.agentmemory.config.MemoryConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Chooses the {@link MemoryIndex} adapter from {@code memory.index.backend}. With {@code auto} it asks the
 * server for {@code FT._LIST}: the Query Engine where the search module answers, the portable index where the
 * command is unknown. The choice is made at start-up and logged; if Redis is not reachable then, it is made on
 * first use instead.
 */
@ApplicationScoped
public class SearchBackend {

    private static final Logger LOG = Logger.getLogger(SearchBackend.class);

    private final ReactiveRedisDataSource redis;
    private final MemoryConfig.Index.Backend configured;
    private final PortableIndex portable;
    private final QueryEngineIndex queryEngine;
    private volatile MemoryIndex chosen;

    public SearchBackend(
            ReactiveRedisDataSource redis, MemoryConfig config, PortableIndex portable, QueryEngineIndex queryEngine) {
        this.redis = redis;
        this.configured = config.index().backend();
        this.portable = portable;
        this.queryEngine = queryEngine;
    }

    void onStart(@Observes StartupEvent event) {
        index().subscribe()
                .with(
                        index -> {},
                        failure -> LOG.warnf(
                                "Search backend not chosen yet (%s); will choose on first use", failure.getMessage()));
    }

    /** The adapter in use. */
    public Uni<MemoryIndex> index() {
        MemoryIndex current = chosen;
        if (current != null) {
            return Uni.createFrom().item(current);
        }
        return choose().invoke(index -> {
            if (chosen == null) {
                LOG.infof("Long-term memory search backend: %s (memory.index.backend=%s)", index.name(), configured);
            }
            chosen = index;
        });
    }

    private Uni<MemoryIndex> choose() {
        return switch (configured) {
            case PORTABLE -> Uni.createFrom().item(portable);
            case QUERY_ENGINE -> queryEngine.prepare().replaceWith(queryEngine);
            case AUTO ->
                redis.execute("FT._LIST")
                        .replaceWith(true)
                        .onFailure(SearchBackend::isUnknownCommand)
                        .recoverWithItem(false)
                        .chain(hasQueryEngine -> hasQueryEngine
                                ? queryEngine.prepare().replaceWith((MemoryIndex) queryEngine)
                                : Uni.createFrom().item(portable));
        };
    }

    private static boolean isUnknownCommand(Throwable failure) {
        String message = failure.getMessage();
        return message != null && message.toLowerCase(java.util.Locale.ROOT).contains("unknown command");
    }
}
