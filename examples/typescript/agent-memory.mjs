// @ts-check
// Agent Memory from Node.js 18+ with its built-in fetch, no dependencies (plain ES module with JSDoc types, so an
// editor or `tsc --checkJs` type-checks it; copy the functions into a .ts file as they are).
//
// Remembers a fact about a user, recalls it, then has a chat turn streamed as server-sent events (printed event by
// event: the memories recalled for the message, each token, the whole reply) and reads the session's working
// memory. At the end it forgets the user again. Exits non-zero when the service does not answer as expected.
//
//   AGENT_MEMORY_URL=http://localhost:8080 node agent-memory.mjs
//
// Credentials, when authentication is on: AGENT_MEMORY_API_KEY (sent as X-API-Key) or AGENT_MEMORY_TOKEN (a
// bearer JWT whose subject is the user, or in the memory-admin group).

/** @typedef {{id: string, text: string, kind?: string, createdAt: string, source?: string, score?: number}} Memory */
/** @typedef {{role: 'user' | 'assistant' | 'system', content: string, at: string}} Message */
/**
 * @typedef {{event: 'memories', data: {memories: Memory[]}}
 *   | {event: 'token', data: {text: string}}
 *   | {event: 'done', data: {reply: string}}
 *   | {event: 'error', data: {type: string, title: string, status: number, detail?: string}}} ChatEvent
 */

import {randomUUID} from 'node:crypto';

const base = (process.env.AGENT_MEMORY_URL ?? 'http://localhost:8080').replace(/\/$/, '');
/** @type {Record<string, string>} */
const credentials = process.env.AGENT_MEMORY_API_KEY
    ? {'X-API-Key': process.env.AGENT_MEMORY_API_KEY}
    : process.env.AGENT_MEMORY_TOKEN ? {Authorization: `Bearer ${process.env.AGENT_MEMORY_TOKEN}`} : {};

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @param {string} [accept]
 */
async function request(method, path, body, accept = 'application/json') {
    /** @type {Record<string, string>} */
    const headers = {...credentials, Accept: accept};
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(base + path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
    if (!response.ok) {
        // Every error is a problem+json document: type, title, status, detail (and field for bad input).
        const problem = await response.json().catch(() => ({}));
        throw new Error(`${method} ${path}: ${response.status} ${problem.detail ?? response.statusText}`);
    }
    return response;
}

/** @param {string} user */
const userPath = (user) => `/v1/users/${encodeURIComponent(user)}`;

/**
 * Stores a fact (or returns the one already known that says the same).
 * @param {string} user @param {string} text @param {string} [kind]
 * @returns {Promise<Memory>}
 */
async function remember(user, text, kind) {
    return (await request('POST', `${userPath(user)}/memories`, kind ? {text, kind} : {text})).json();
}

/**
 * The user's memories most relevant to the query, best first, each with a score.
 * @param {string} user @param {string} query
 * @returns {Promise<Memory[]>}
 */
async function recall(user, query, limit = 5) {
    const search = new URLSearchParams({q: query, limit: String(limit)});
    return (await (await request('GET', `${userPath(user)}/memories?${search}`)).json()).memories;
}

/**
 * One chat turn, streamed: yields each server-sent event as it arrives.
 * @param {string} user @param {string} session @param {string} message
 * @returns {AsyncGenerator<ChatEvent>}
 */
async function* chatStream(user, session, message) {
    const path = `${userPath(user)}/sessions/${encodeURIComponent(session)}/chat/stream`;
    const response = await request('POST', path, {message}, 'text/event-stream');
    if (!response.body) throw new Error('no response body');
    let buffer = '';
    let event = 'message';
    /** @type {string[]} */
    let data = [];
    for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? ''; // an unfinished line waits for the next chunk
        for (const raw of lines) {
            const line = raw.replace(/\r$/, '');
            if (line === '') { // a blank line ends an event
                if (data.length > 0) {
                    yield /** @type {ChatEvent} */ ({event, data: JSON.parse(data.join('\n'))});
                }
                event = 'message';
                data = [];
            } else if (line.startsWith('event:')) {
                event = line.slice('event:'.length).trim();
            } else if (line.startsWith('data:')) {
                data.push(line.slice('data:'.length).replace(/^ /, ''));
            }
        }
    }
}

/**
 * Working memory: the session's recent messages and the seconds until it expires.
 * @param {string} user @param {string} session
 * @returns {Promise<{messages: Message[], ttlSeconds: number}>}
 */
async function workingMemory(user, session) {
    return (await request('GET', `${userPath(user)}/sessions/${encodeURIComponent(session)}`)).json();
}

/** Deletes every memory and session of the user. @param {string} user */
async function forgetUser(user) {
    await request('DELETE', userPath(user));
}

/** @param {unknown} condition @param {string} what */
function check(condition, what) {
    if (!condition) throw new Error(`FAILED: ${what}`);
}

async function main() {
    const user = `example-${randomUUID().slice(0, 8)}`;

    const fact = await remember(user, 'User is allergic to peanuts', 'preference');
    console.log(`remembered ${fact.id}: ${fact.text} (${fact.kind})`);

    const found = await recall(user, 'peanut allergy');
    for (const m of found) console.log(`recalled ${m.id}: ${m.text} (score ${m.score?.toFixed(2)})`);
    check(found[0]?.id === fact.id, 'the recall finds the remembered fact first');

    /** @type {string[]} */
    let recalled = [];
    /** @type {string[]} */
    const tokens = [];
    let reply = null;
    for await (const {event, data} of chatStream(user, 'kitchen', 'Which snacks should I buy for the party?')) {
        if (event === 'memories') {
            recalled = data.memories.map((m) => m.id);
            console.log(`[memories] ${data.memories.map((m) => m.text).join(', ') || 'none'}`);
            process.stdout.write('[tokens] ');
        } else if (event === 'token') {
            tokens.push(data.text);
            process.stdout.write(data.text);
        } else if (event === 'done') {
            reply = data.reply;
            console.log(`\n[done] ${tokens.length} tokens, reply saved`);
        } else if (event === 'error') {
            throw new Error(`FAILED: the turn ended with ${data.status} ${data.detail}`);
        }
    }
    check(recalled.includes(fact.id), 'the chat turn recalled the remembered fact');
    check(reply !== null && tokens.join('') === reply, 'the tokens add up to the reply');

    const working = await workingMemory(user, 'kitchen');
    console.log(`working memory: ${working.messages.length} messages, expires in ${working.ttlSeconds} s`);
    check(working.messages.map((m) => m.role).join() === 'user,assistant', 'the session holds the exchange');

    await forgetUser(user);
    check((await recall(user, 'peanut allergy')).length === 0, 'nothing is left after forgetting the user');
    console.log(`forgot ${user}; typescript example passed`);
}

main().catch((error) => {
    console.error(error.message);
    process.exitCode = 1;
});
