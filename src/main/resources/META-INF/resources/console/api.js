// The Agent Memory HTTP API as the console uses it: JSON requests with the credentials typed into the page, and
// the streamed chat turn read event by event. Paths are relative to the page (…/console/), so a proxy that serves
// the service under a path prefix keeps it.

const BASE = new URL('../v1/users/', document.baseURI);

/** A response other than 2xx: the problem+json document the service sent, or one made from the status. */
export class ApiError extends Error {
    constructor(status, problem) {
        super(problem.detail || problem.title || `HTTP ${status}`);
        this.status = status;
        this.problem = problem;
    }
}

export class AgentMemoryApi {
    /** @param {() => {scheme: string, secret: string}} credentials read before every request */
    constructor(credentials) {
        this.credentials = credentials;
    }

    headers(extra = {}) {
        const {scheme, secret} = this.credentials();
        const headers = {...extra};
        if (secret) {
            if (scheme === 'bearer') {
                headers.Authorization = `Bearer ${secret}`;
            } else {
                headers['X-API-Key'] = secret;
            }
        }
        return headers;
    }

    url(user, ...path) {
        return new URL([user, ...path].map(encodeURIComponent).join('/'), BASE);
    }

    async request(method, url, body) {
        const init = {method, headers: this.headers({Accept: 'application/json'})};
        if (body !== undefined) {
            init.headers['Content-Type'] = 'application/json';
            init.body = JSON.stringify(body);
        }
        const response = await fetch(url, init);
        if (!response.ok) {
            throw await failure(response);
        }
        return response.status === 204 ? null : response.json();
    }

    /** Working memory: {messages, ttlSeconds}. */
    session(user, session) {
        return this.request('GET', this.url(user, 'sessions', session));
    }

    /** Long-term memories: ranked by the query when there is one, newest first otherwise. */
    recall(user, {q, kind, limit}) {
        const url = this.url(user, 'memories');
        if (q) url.searchParams.set('q', q);
        if (kind) url.searchParams.set('kind', kind);
        if (limit) url.searchParams.set('limit', String(limit));
        return this.request('GET', url);
    }

    remember(user, text, kind) {
        return this.request('POST', this.url(user, 'memories'), kind ? {text, kind} : {text});
    }

    update(user, id, changes) {
        return this.request('PATCH', this.url(user, 'memories', id), changes);
    }

    forget(user, id) {
        return this.request('DELETE', this.url(user, 'memories', id));
    }

    /**
     * One chat turn, streamed: yields {event, data} for each server-sent event (memories, token…, done; or error)
     * as it arrives. EventSource cannot POST a body, so the stream is read from fetch.
     */
    async* chat(user, session, message, signal) {
        const response = await fetch(this.url(user, 'sessions', session, 'chat', 'stream'), {
            method: 'POST',
            headers: this.headers({Accept: 'text/event-stream', 'Content-Type': 'application/json'}),
            body: JSON.stringify({message}),
            signal,
        });
        if (!response.ok) {
            throw await failure(response);
        }
        yield* serverSentEvents(response.body);
    }
}

async function failure(response) {
    let problem;
    try {
        problem = await response.json();
    } catch {
        problem = {};
    }
    if (typeof problem !== 'object' || problem === null) {
        problem = {};
    }
    return new ApiError(response.status, {status: response.status, title: response.statusText, ...problem});
}

/** Server-sent events from a byte stream, as the HTML standard parses them; each data is JSON. */
export async function* serverSentEvents(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = 'message';
    let data = [];
    for (;;) {
        const {value, done} = await reader.read();
        if (done) {
            break;
        }
        buffer += value;
        // A CR at the end of a chunk may be the first half of a CRLF: it waits for the next chunk.
        const lines = buffer.split(/\r\n|\r(?!$)|\n/);
        buffer = lines.pop();
        for (const line of lines) {
            if (line === '') {
                if (data.length > 0) {
                    yield {event, data: JSON.parse(data.join('\n'))};
                }
                event = 'message';
                data = [];
            } else if (!line.startsWith(':')) {
                const colon = line.indexOf(':');
                const field = colon < 0 ? line : line.slice(0, colon);
                const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
                if (field === 'event') {
                    event = value;
                } else if (field === 'data') {
                    data.push(value);
                }
            }
        }
    }
}
