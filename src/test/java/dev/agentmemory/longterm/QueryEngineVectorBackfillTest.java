package dev.agentmemory.longterm;

import dev.agentmemory.testing.QueryEngineProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The vector backfill on the Query Engine ({@code FT.*}): runs when {@code REDIS_SEARCH_URL} or {@code
 * REDIS_SEARCH_MODULE} is set, and is reported as skipped otherwise.
 */
@QuarkusTest
@TestProfile(QueryEngineProfile.class)
@EnabledIf(
        value = "dev.agentmemory.testing.SearchModule#available",
        disabledReason = "no Redis with the search module: set REDIS_SEARCH_URL or REDIS_SEARCH_MODULE")
class QueryEngineVectorBackfillTest extends VectorBackfillTest {}
