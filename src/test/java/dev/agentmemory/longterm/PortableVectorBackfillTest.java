package dev.agentmemory.longterm;

import dev.agentmemory.testing.PortableProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The vector backfill on the portable index (any Redis ≥ 6.2, a cluster included): always runs. */
@QuarkusTest
@TestProfile(PortableProfile.class)
class PortableVectorBackfillTest extends VectorBackfillTest {}
