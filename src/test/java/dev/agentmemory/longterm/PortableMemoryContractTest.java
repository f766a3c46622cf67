package dev.agentmemory.longterm;

import dev.agentmemory.testing.PortableProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The memory contract on the portable index (any Redis ≥ 6.2, no modules): always runs. */
@QuarkusTest
@TestProfile(PortableProfile.class)
class PortableMemoryContractTest extends MemoryContractTest {}
