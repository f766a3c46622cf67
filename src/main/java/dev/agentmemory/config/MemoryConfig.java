package dev.agentmemory.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every tunable of the service, under the {@code memory.} prefix. */
@ConfigMapping(prefix = "memory")
public interface MemoryConfig {

    /** Working memory: the recent messages of one session. */
    Session session();

    /** Rules for the user and session ids that appear in paths, keys and queries. */
    Ids ids();

    /** How the service talks about its Redis dependency to clients. */
    Store store();

    /** Long-term memories: what may be stored. */
    LongTerm longTerm();

    /** Which search backend recalls long-term memories. */
    Index index();

    /** Recall ranking: limits and the recency boost. */
    Recall recall();

    /** When a new memory counts as one already known. */
    Dedupe dedupe();

    /** The chat turn: what goes into the prompt. */
    Chat chat();

    /** Calls to the LLM: retries on 429 and 5xx. */
    Llm llm();

    /** Remembering: the background extraction of facts from chat turns. */
    Extraction extraction();

    /** Who may act for which user: bearer JWTs and API keys. */
    Auth auth();
    /** Recall by meaning: the embedding model, and the vectors kept for the portable backend. */
    Embedding embedding();

    /** The web console at {@code /console}. */
    Console console();

    /** The API's interactive documentation. */
    SwaggerUi swaggerUi();

    interface SwaggerUi {
        /**
         * Serve Swagger UI at {@code /q/swagger-ui}, next to the OpenAPI document it shows (on the management
         * interface in the packaged application). Off by default; on in dev mode and the tests.
         */
        @WithDefault("false")
        boolean enabled();
    }

    interface Session {
        /** How long a session lives after its last append; every append starts the clock again. */
        @WithDefault("1h")
        Duration ttl();

        /** Most recent messages kept per session; an append trims older ones in the same atomic step. */
        @WithDefault("20")
        int historyCap();

        /** Largest accepted message content, in characters. */
        @WithDefault("32000")
        int maxMessageChars();

        /** Most messages accepted by one append request. */
        @WithDefault("100")
        int maxMessagesPerAppend();
    }

    interface Ids {
        /**
         * Regular expression a user or session id must match. Ids end up inside Redis keys (the user id is the
         * hash tag) and inside search queries, so the default admits no braces, colons, spaces or query syntax.
         */
        @WithDefault("[A-Za-z0-9._@-]{1,128}")
        String pattern();
    }

    interface Store {
        /** {@code Retry-After} sent with a 503 when Redis cannot be reached. */
        @WithDefault("2s")
        Duration retryAfter();

        /**
         * On a Redis Cluster ({@code quarkus.redis.client-type=cluster}): long-lived cluster connections the
         * commands are pipelined over, each holding one connection per node (see {@code ClusterConnections}). Not
         * used with a single server, whose commands take pooled connections. At most {@code
         * quarkus.redis.max-pool-size} − 1: each holds a pooled connection per node.
         */
        @WithDefault("4")
        int clusterConnections();
    }

    interface LongTerm {
        /** Largest accepted memory text, in characters. */
        @WithDefault("2000")
        int maxTextChars();

        /** Kind given to a memory stored without one. */
        @WithDefault("fact")
        String defaultKind();

        /** What a kind may look like: lower-case word, also used as a search tag. */
        @WithDefault("[a-z][a-z0-9_-]{0,31}")
        String kindPattern();

        /**
         * Longest a forget of one user may take. While it runs every write for the user is refused (409); one that
         * is interrupted (the replica dies, Redis goes away) leaves them refused until this has passed or the forget
         * is repeated.
         */
        @WithDefault("1h")
        Duration forgetTimeout();
    }

    interface Index {
        /**
         * {@code auto} probes the server at start-up ({@code FT._LIST}) and uses the Query Engine where the
         * search module answers, the portable index elsewhere; {@code query-engine} and {@code portable} force
         * one.
         */
        @WithDefault("auto")
        Backend backend();

        /** Name of the Query Engine index ({@code FT.CREATE <name> ON HASH PREFIX 1 mem: …}). */
        @WithDefault("memories")
        String queryEngineName();

        enum Backend {
            AUTO,
            QUERY_ENGINE,
            PORTABLE
        }
    }

    interface Recall {
        /** Memories returned when a request gives no {@code limit}. */
        @WithDefault("5")
        int defaultLimit();

        /** Largest {@code limit} a request may ask for. */
        @WithDefault("100")
        int maxLimit();

        /** Largest accepted query, in characters (a 10 KB query is accepted; only its first terms are used). */
        @WithDefault("16000")
        int maxQueryChars();

        /** Distinct analysed query terms used; a longer query keeps its first ones. */
        @WithDefault("32")
        int maxQueryTerms();

        /**
         * Recency weight {@code w} in {@code score = relevance × (1 + w × 2^(−age / half-life))}: a memory
         * created now gets up to {@code (1 + w)}× its relevance, one a half-life old {@code (1 + w/2)}×.
         * {@code 0} ranks by relevance alone.
         */
        @WithDefault("0.2")
        double recencyWeight();

        /** Age at which the recency boost has halved. */
        @WithDefault("30d")
        Duration recencyHalfLife();

        /**
         * Portable index: the work one search for up to 10 memories may do, counted in postings (a larger limit gets
         * limit / 10 times as much, as its shortlist grows). The memories holding two or more of the query's terms
         * are found by intersecting pairs of terms inside Redis, the pair of rarest terms first, each pair costing
         * the rarer term's postings plus the memories it finds (40 plus the memories it finds when both terms are
         * frequent enough to have bitmaps); once the budget is spent, the remaining pairs are
         * left out, and a memory holding only those competes as if it held a single term. What the pairs leave lets
         * more candidates into the shortlist that is scored exactly (15 postings each beyond the first {@code
         * max(rescore depth, limit)}). Higher is closer to an exhaustive BM25 for users with tens of thousands of
         * memories, and slower; searches over a few thousand memories stay well within it.
         */
        @WithDefault("3000")
        int postingsBudget();

        /** Hybrid recall: how the lexical and the vector rankings become one (see {@code Fusion}). */
        Fusion fusion();

        /**
         * Hybrid recall (lexical and by meaning, when an embedding model is ready): relevance is the memory's cosine with
         * the query plus {@code lexical-weight} × its lexical relevance (BM25 without a scale: divided by the query's
         * idf mass on the portable index, by the best score on the Query Engine); the recency boost multiplies it.
         */
        interface Fusion {
            /** Lexical candidates (at least the request's limit). */
            @WithDefault("30")
            int lexicalCandidates();

            /** Nearest memories by cosine added to them (at least the request's limit). */
            @WithDefault("10")
            int vectorCandidates();

            /** Weight of the lexical relevance, relative to the cosine. */
            @WithDefault("0.24")
            double lexicalWeight();

            /**
             * Weight of the lexical relevance on the Query Engine, whose BM25 is divided by the best score of the
             * query (not by its idf mass), so that the best lexical match always counts 1: a lower weight does for it
             * what {@code lexical-weight} does for the portable index.
             */
            @WithDefault("0.05")
            double queryEngineLexicalWeight();

            /**
             * Bonus added to the relevance of a memory created on the date the query names ("on 7 July, 2023", "in
             * May 2023"), falling as e^(−days / 3) away from it; when the query names a date, the recency boost is
             * left out. 0 turns it off.
             */
            @WithDefault("0.3")
            double dateWeight();

            /**
             * A memory found by meaning only must be more similar to the query than this percentile of the query's
             * similarities with memories that have nothing to do with it (a fixed set the service embeds with its model,
             * see {@code Embeddings#unrelatedSimilarity}); otherwise it is not recalled. 0 keeps every vector hit.
             */
            @WithDefault("90")
            double floorPercentile();
        }

        /** Query Engine: candidates fetched per result before the recency boost re-ranks them. */
        @WithDefault("4")
        int rerankDepth();

        /** Portable index: the second ranking stage, which re-scores the best BM25 candidates. */
        Rescore rescore();

        /**
         * The portable index's second stage: the best {@code depth} candidates by BM25 (at least {@code limit})
         * get a proximity bonus and the score of feedback terms taken from the best matches. It only re-orders
         * memories that matched the query, and costs about {@code depth} extra reads per search, whatever the
         * number of memories. A weight of {@code 0} turns its part off.
         */
        interface Rescore {
            /**
             * Candidates re-scored (at least {@code limit}); {@code 0} turns the second stage off. Its cost grows
             * with this, not with the number of memories.
             */
            @WithDefault("30")
            int depth();

            /**
             * Weight of the proximity bonus: each pair of query terms that are neighbours in the query and in the
             * memory's analysed terms ("support group") adds this × the larger idf of the two × the pair's
             * saturated frequency, so a memory holding the phrase ranks above one holding the words apart.
             */
            @WithDefault("0.5")
            double proximityWeight();

            /**
             * Pseudo-relevance feedback: the best this many candidates by BM25 vote for the terms they hold
             * besides the query's (term share × idf × the memory's share of their BM25).
             */
            @WithDefault("3")
            int feedbackMemories();

            /** Feedback terms added to the query: the most voted ones. */
            @WithDefault("20")
            int feedbackTerms();

            /**
             * Weight of the most voted feedback term relative to a query term (the others in proportion to their
             * votes). Memories worded like the best matches move up: memories about "Anna's dog" that also name
             * the dog rank above the ones that only say "Anna".
             */
            @WithDefault("0.5")
            double feedbackWeight();
        }
    }

    /**
     * When a new memory counts as one already known. Either way both must name the same relatives and numbers and be
     * negated alike ("User is vegetarian" and "User's sister is vegetarian" stay apart, as do "User works at Google" and
     * "User used to work at Google").
     */
    interface Dedupe {
        /**
         * With vectors: the cosine from which two memories are the same. 0.94 is calibrated for the in-process model
         * (bge-small-en-v1.5) on hand-labelled pairs: "User is allergic to peanuts" and "User has a peanut allergy" (0.95)
         * merge; "User is vegetarian" and "User's sister is vegetarian" (0.89) do not. Calibrate it again for another
         * model: models place paraphrases at very different cosines.
         */
        @WithDefault("0.94")
        double cosine();

        /**
         * Without vectors: the Jaccard similarity of the analysed term sets (stop words removed, stemmed) from which
         * two memories are the same: "User is vegetarian." and "The user is a vegetarian" score 1.0.
         */
        @WithDefault("0.8")
        double threshold();

        /** Most similar existing memories compared with a new one, from each ranking (BM25 and, with vectors, cosine). */
        @WithDefault("10")
        int candidates();
    }

    interface Embedding {
        /**
         * Which model turns texts into vectors: {@code in-process} (a quantized ONNX model run inside the service,
         * JVM or native; no key, no network), {@code openai} (an OpenAI-compatible {@code /embeddings} endpoint,
         * configured under {@code quarkus.langchain4j.openai.embedding.*}), or {@code none} (lexical recall only).
         */
        @WithDefault("in-process")
        Provider provider();

        /**
         * Threads that run the in-process model. Its work is CPU-bound, so more threads than cores only queue
         * inside the processor; unset, one per core.
         */
        Optional<Integer> threads();

        /**
         * Load the model before the service reports it has started, rather than in the background just after. Off by
         * default: readiness must not wait for a model (until it is loaded, recall is lexical and new memories are
         * stored without vectors, which the backfill adds later). Tests turn it on for repeatable rankings.
         */
        @WithDefault("false")
        boolean loadAtStart();

        /**
         * Put before a query (never before a memory) when the in-process model embeds it: the instruction bge models
         * were trained with for retrieval, which helps short questions find the statements that answer them.
         */
        @WithDefault("Represent this sentence for searching relevant passages:")
        String queryInstruction();

        /** Portable backend: most memory the service keeps for users' vectors (least recently used users go first). */
        @WithDefault("128M")
        MemorySize cacheSize();

        /**
         * Portable backend: a user with at most this many vectors is read whole in the same round trip as the
         * recall that finds the service without them; a larger user is read in pages of this many.
         */
        @WithDefault("2000")
        int loadPage();

        /**
         * Portable backend: the changes to a user's vectors kept in Redis for the services' caches to catch up
         * with; a cache further behind reads the user whole again.
         */
        @WithDefault("512")
        int changeLog();

        /**
         * The model's dimension. The {@code openai} provider asks for vectors of this size (models that can shorten
         * theirs, e.g. {@code text-embedding-3-*}); with any provider, a model whose first vector has another size is
         * refused at start (logged as an error; recall stays lexical). Unset: the model's own.
         */
        Optional<Integer> dimensions();

        /**
         * Give memories stored without a vector of the current model (before vectors existed, while no model was
         * ready or configured, or by another model) one in the background: once the model is ready, then every
         * {@code backfill-interval}, on one replica at a time.
         */
        @WithDefault("true")
        boolean backfillEnabled();

        /** How often the backfill looks again for memories without a vector of the current model. */
        @WithDefault("1h")
        Duration backfillInterval();

        /** Memories the backfill embeds per call of the model. */
        @WithDefault("32")
        int backfillPage();

        /**
         * Most of the time the backfill spends embedding while it runs, between 0 (exclusive) and 1: after each page
         * it waits so long that its pages take this share of the time. One call of the model spreads over every core,
         * so a backfill running flat out would double the time of the recalls that embed their query meanwhile; 1
         * runs it flat out.
         */
        @WithDefault("0.5")
        double backfillShare();

        enum Provider {
            IN_PROCESS,
            OPENAI,
            NONE
        }
    }

    interface Chat {
        /** Memories recalled for the user's message and put into the prompt. */
        @WithDefault("5")
        int recallLimit();

        /** Newest {@code preference} memories always put into the prompt, whatever the message says. */
        @WithDefault("10")
        int maxPreferences();

        /** The system prompt that opens every turn; the known facts follow it. */
        @WithDefault("You are a helpful assistant with a long-term memory of the user. Use what you know about"
                + " the user when it is relevant; do not mention that you have a memory unless asked.")
        String systemPrompt();

        /**
         * Turns sent with an {@code Idempotency-Key} header (validated like ids, {@code memory.ids.pattern}): a
         * retry with the same key, user and session gets the first turn's reply, without a second LLM call or a
         * second saved exchange.
         */
        Idempotency idempotency();

        interface Idempotency {
            /** How long the reply of a turn sent with a key is kept for its retries. */
            @WithDefault("1d")
            Duration keep();

            /**
             * How long a running turn holds its key: a retry waits for it meanwhile; once it has passed (the
             * service running the turn died), a retry runs the turn itself. Keep it above the longest turn (the
             * LLM's timeout times its attempts).
             */
            @WithDefault("2m")
            Duration lease();

            /**
             * Longest wait of a retry for the turn that holds its key; after it, the retry answers 409
             * ({@code turn-in-progress}, with {@code Retry-After}).
             */
            @WithDefault("60s")
            Duration await();

            /** How often a waiting retry looks whether the turn that holds its key has finished. */
            @WithDefault("100ms")
            Duration pollInterval();
        }
    }

    /**
     * How the service uses the LLM. Which server, key and model it talks to is the extension's configuration
     * ({@code quarkus.langchain4j.openai.*}, with {@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY} and
     * {@code OPENAI_MODEL}); these are the service's own rules on top of it.
     */
    interface Llm {
        /**
         * Serve a built-in stub model at {@code /stub-llm/v1/chat/completions} (OpenAI-compatible, streaming and
         * structured outputs) whose replies say they come from a stub. Dev mode turns it on when no
         * {@code OPENAI_API_KEY} or {@code OPENAI_BASE_URL} is set, so a whole turn runs on a bare machine.
         */
        @WithDefault("false")
        boolean stub();

        /** Retries after a 429, a 5xx or a time-out before the turn fails with 503 (a stream is retried only before its first token). */
        @WithDefault("2")
        int maxRetries();

        /** Wait before the first retry when the server sends no {@code Retry-After}; doubles each time. */
        @WithDefault("500ms")
        Duration retryBackoff();

        /** Longest wait honoured from a {@code Retry-After} header; a longer one fails the turn at once, with it. */
        @WithDefault("10s")
        Duration maxRetryAfter();

        /**
         * Most connections open to the LLM server, and most unstreamed calls waiting for it at once. A streamed
         * reply holds its connection for as long as the model writes (seconds), so this bounds the turns in flight
         * against a server that speaks HTTP/1.1 (a local Ollama or vLLM, most proxies); over TLS the client offers
         * HTTP/2, and a server that takes it carries many turns on each connection. Connections are opened on
         * demand and kept alive between turns.
         */
        @WithDefault("1024")
        int maxConnections();
    }

    /**
     * Remembering. The model asked for the facts, and how long a call may take, are the extension's named
     * configuration {@code quarkus.langchain4j.openai.extraction.*} (the chat turn's server and model unless set).
     */
    interface Extraction {

        /** Whether this replica runs an extraction worker (every replica can; they share the queue). */
        @WithDefault("true")
        boolean workerEnabled();

        /**
         * Name of the extraction queue: the hash tag of its shared keys ({@code {extraction}:ready} and the like,
         * which live in one Redis Cluster slot). Deployments that share one Redis keep their queues apart with
         * different names. A user's jobs live in the user's own slot ({@code jobs:{user}}), whatever the name.
         */
        @WithDefault("extraction")
        String queue();

        /**
         * Dead letters kept per user ({@code jobs:{user}:dead}, a stream trimmed to this length as a job is added):
         * jobs given up after {@code max-attempts}, with their last error, for an operator to look into.
         */
        @WithDefault("100")
        int deadLetterCap();

        /** Attempts before a job is moved to the user's dead letters. */
        @WithDefault("5")
        int maxAttempts();

        /**
         * How long a worker holds the users it claimed (its lease): a worker that died is replaced once it has
         * passed. Also the wait before a user whose extraction failed is tried again. Keep it above the longest
         * round (see {@code batch-size}), or a user is taken over while its jobs still run (harmless, since
         * remembering dedupes, but it costs a second LLM call).
         */
        @WithDefault("2m")
        Duration claimIdle();

        /**
         * Most jobs of one user taken per round. New jobs of one session among them share LLM calls (see
         * {@code max-exchanges-per-call}), so a larger batch means fewer calls for a busy user or a backlog. A
         * round ends when all its calls have: keep batch-size / concurrency × the extraction call's timeout
         * ({@code quarkus.langchain4j.openai.extraction.timeout}; 64 / 16 × 30 s by default) at most
         * {@code claim-idle}, or users whose calls wait their turn in a slow round are taken over by another
         * replica meanwhile.
         */
        @WithDefault("64")
        int batchSize();

        /**
         * Most exchanges of one session sent to the LLM in one extraction call, oldest first. Jobs that wait
         * together in the queue (a busy session, or a backlog) then cost one call, not one each; 1 extracts every
         * exchange on its own.
         */
        @WithDefault("8")
        int maxExchangesPerCall();

        /**
         * Most characters of messages in one extraction call: the exchanges of a call stop before this is passed
         * (an exchange longer than this goes alone).
         */
        @WithDefault("24000")
        int maxCharsPerCall();

        /**
         * A user announced with a first job is taken this long after, so that the next exchanges of a busy session
         * (an agent calling in a loop) join it in one LLM call. Facts are stored up to this much later; 0 extracts
         * every job at once. A backlog is not held: a user waiting longer is taken at once.
         */
        @WithDefault("250ms")
        Duration linger();

        /** How long an idle worker waits before it looks for ready users again. */
        @WithDefault("250ms")
        Duration pollInterval();

        /**
         * Users claimed per round, and extraction calls of a round in flight at the same time, per replica (each
         * one LLM call; they hold no thread while they wait).
         */
        @WithDefault("16")
        int concurrency();

        /** Wait after the worker loop fails (Redis unreachable) before it tries again; doubles each time. */
        @WithDefault("1s")
        Duration outageBackoff();

        /** Longest wait between two tries of the worker loop while Redis stays unreachable. */
        @WithDefault("5s")
        Duration maxOutageBackoff();

        /**
         * At shutdown, how long the worker may finish the jobs in hand; after that it stops and they are
         * taken by another replica once {@code claim-idle} has passed.
         */
        @WithDefault("5s")
        Duration stopTimeout();

        /**
         * How often one replica scans every Redis node for jobs whose announcement was lost (a service that died
         * between saving an exchange and announcing it, a failover). A worker also does it when it starts and when
         * Redis answers again after a failure. The scan walks the whole keyspace with {@code SCAN}, off the
         * request path.
         */
        @WithDefault("10m")
        Duration sweepInterval();

        /** How often each replica reads the queue's figures for its metrics (and the backlog warning). */
        @WithDefault("15s")
        Duration metricsInterval();

        /**
         * Jobs waiting at which a warning is logged at every metrics reading, until the backlog is below again.
         * Nothing else changes: readiness stays up and no job is dropped.
         */
        @WithDefault("10000")
        long backlogWarning();
    }

    interface Auth {
        /**
         * Whether every {@code /v1/users/{userId}/…} request must carry credentials allowed to act for that user.
         * On by default; the service then refuses to start without a JWT verification key
         * ({@code mp.jwt.verify.publickey.location}) or an API key digest. Off in dev mode.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * SHA-256 digests (64 hex characters) of the API keys accepted in the {@code X-API-Key} header, comma
         * separated. A valid API key may act for any user: it is meant for agent back-ends that serve many.
         */
        Optional<List<String>> apiKeySha256();

        /** The JWT claim that names the user a token may act for. */
        @WithDefault("sub")
        String userClaim();

        /** Members of this JWT group ({@code groups} claim) may act for any user. */
        @WithDefault("memory-admin")
        String adminGroup();
    }

    interface Console {
        /**
         * Whether the service serves its web console at {@code /console} (and redirects {@code /} there): a page
         * to chat with memory and to browse, edit and forget a user's memories, through the public API and its
         * credentials. On in dev mode, off by default elsewhere.
         */
        @WithDefault("false")
        boolean enabled();
    }
}
