// The console page: pick a user and a session, chat with the reply streamed token by token and the recalled
// memories beside it, look at the session's working memory, and browse, search, edit and forget the user's
// long-term memories. Everything goes through the public API (api.js) with the credentials typed in.

import {AgentMemoryApi, ApiError} from './api.js';
import {el, memoryItem, relativeTime} from './view.js';

const $ = (selector) => document.querySelector(selector);
const stored = {
    get: (key) => localStorage.getItem(`agent-memory.${key}`) ?? '',
    set: (key, value) => localStorage.setItem(`agent-memory.${key}`, value),
};
const LIST_LIMIT = 100;
// Extraction runs in the background after a turn: the memory list looks again after these delays.
const REFRESH_AFTER_TURN_MS = [1000, 3000, 6000];

const fields = {
    user: $('#user'),
    session: $('#session'),
    scheme: $('#scheme'),
    secret: $('#secret'),
};
const api = new AgentMemoryApi(() => ({scheme: fields.scheme.value, secret: fields.secret.value.trim()}));

// --- identity: user, session, credentials ---------------------------------------------------------

function newSessionId() {
    return `s-${crypto.randomUUID().slice(0, 8)}`;
}

function user() {
    return fields.user.checkValidity() ? fields.user.value : null;
}

function session() {
    return fields.session.checkValidity() ? fields.session.value : null;
}

function knownSessions() {
    return stored.get(`sessions.${fields.user.value}`).split(',').filter(Boolean);
}

function rememberSession() {
    const sessions = [fields.session.value, ...knownSessions().filter((s) => s !== fields.session.value)];
    stored.set(`sessions.${fields.user.value}`, sessions.slice(0, 20).join(','));
    showKnownSessions();
}

function showKnownSessions() {
    $('#sessions').replaceChildren(...knownSessions().map((s) => el('option', {value: s})));
}

function restoreIdentity() {
    fields.user.value = stored.get('user') || 'alice';
    fields.session.value = stored.get('session') || newSessionId();
    fields.scheme.value = stored.get('scheme') || 'api-key';
    // The secret stays in this tab only.
    fields.secret.value = sessionStorage.getItem('agent-memory.secret') ?? '';
    showKnownSessions();
}

function onIdentityChange(event) {
    stored.set('user', fields.user.value);
    stored.set('session', fields.session.value);
    stored.set('scheme', fields.scheme.value);
    sessionStorage.setItem('agent-memory.secret', fields.secret.value);
    if (event.target === fields.user) {
        showKnownSessions();
        loadMemories();
    }
    if (event.target === fields.user || event.target === fields.session) {
        clearRecalled();
        loadSession();
    }
    if (event.target === fields.scheme || event.target === fields.secret) {
        loadSession();
        loadMemories();
    }
}

// --- status line ---------------------------------------------------------------------------------

function showStatus(text, kind = 'info') {
    const status = $('#status');
    status.textContent = text;
    status.className = kind;
    status.hidden = !text;
}

function showError(error) {
    if (error instanceof ApiError) {
        const {status, title, detail} = error.problem;
        const hint = status === 401
            ? ' Enter an API key or a bearer token above.'
            : status === 403 ? ' These credentials may not act for this user.' : '';
        showStatus(`${status} ${title ?? ''}: ${detail ?? ''}${hint}`, 'error');
    } else if (error.name !== 'AbortError') {
        showStatus(`The service could not be reached: ${error.message}`, 'error');
    }
}

// --- chat ----------------------------------------------------------------------------------------

function bubble(role, text) {
    return el('li', {className: `turn ${role}`, dataset: {role}}, [
        el('span', {className: 'who', textContent: role}),
        el('p', {className: 'text', textContent: text}),
    ]);
}

function showTranscript(messages) {
    $('#transcript').replaceChildren(...messages.map((m) => bubble(m.role, m.content)));
    $('#chat-session').textContent = `${fields.user.value} / ${fields.session.value}`;
    scrollTranscript();
}

function scrollTranscript() {
    const transcript = $('#transcript');
    transcript.scrollTop = transcript.scrollHeight;
}

function clearRecalled() {
    const panel = $('#recalled');
    panel.querySelector('.memories').replaceChildren();
    panel.querySelector('.empty').hidden = false;
    delete panel.dataset.state;
}

function showRecalled(memories) {
    const panel = $('#recalled');
    panel.querySelector('.memories').replaceChildren(...memories.map((m) => memoryItem(m)));
    panel.querySelector('.empty').hidden = memories.length > 0;
    panel.querySelector('.empty').textContent = 'Nothing recalled for this message.';
    panel.dataset.state = 'recalled';
}

let turn = null;

async function send(event) {
    event.preventDefault();
    const message = $('#message').value.trim();
    if (!message || !user() || !session() || turn) {
        return;
    }
    rememberSession();
    showStatus('');
    clearRecalled();
    $('#recalled').dataset.state = 'recalling';
    $('#message').value = '';
    $('#transcript').append(bubble('user', message));
    const reply = bubble('assistant', '');
    const text = reply.querySelector('.text');
    reply.classList.add('streaming');
    reply.dataset.tokens = '0';
    $('#transcript').append(reply);
    scrollTranscript();

    turn = new AbortController();
    $('#send').disabled = true;
    try {
        for await (const {event: name, data} of api.chat(user(), session(), message, turn.signal)) {
            if (name === 'memories') {
                showRecalled(data.memories);
            } else if (name === 'token') {
                text.textContent += data.text;
                reply.dataset.tokens = String(Number(reply.dataset.tokens) + 1);
                scrollTranscript();
            } else if (name === 'done') {
                text.textContent = data.reply;
                reply.dataset.state = 'done';
            } else if (name === 'error') {
                throw new ApiError(data.status ?? 500, data);
            }
        }
        if (reply.dataset.state !== 'done') {
            throw new Error('the stream ended before the reply was complete');
        }
        REFRESH_AFTER_TURN_MS.forEach((ms) => setTimeout(() => loadMemories({background: true}), ms));
    } catch (error) {
        reply.classList.add('failed');
        reply.dataset.state = 'failed';
        showError(error);
    } finally {
        reply.classList.remove('streaming');
        turn = null;
        $('#send').disabled = false;
        loadSession({transcript: false});
    }
}

// --- working memory ------------------------------------------------------------------------------

let expiresAt = 0;

/** Reads the session's working memory into its panel, and into the transcript unless a turn just added to it. */
async function loadSession({transcript = true} = {}) {
    if (!user() || !session()) {
        return;
    }
    const [u, s] = [user(), session()];
    try {
        const view = await api.session(u, s);
        if (u !== user() || s !== session()) {
            return; // the user or session changed meanwhile
        }
        if (transcript && !turn) {
            showTranscript(view.messages);
        }
        const working = $('#working');
        working.querySelector('.history').replaceChildren(...view.messages.map((m) =>
            el('li', {dataset: {role: m.role}}, [
                el('span', {className: 'who', textContent: m.role}),
                el('time', {dateTime: m.at, textContent: relativeTime(m.at), title: m.at}),
                el('p', {textContent: m.content}),
            ])));
        working.querySelector('.empty').hidden = view.messages.length > 0;
        expiresAt = view.ttlSeconds > 0 ? Date.now() + view.ttlSeconds * 1000 : 0;
        showTtl();
    } catch (error) {
        showError(error);
    }
}

function showTtl() {
    const left = Math.max(0, Math.round((expiresAt - Date.now()) / 1000));
    $('#ttl').textContent = expiresAt === 0 ? '' : left === 0
        ? 'expired'
        : `expires in ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} (TTL, renewed by every message)`;
}

// --- long-term memories --------------------------------------------------------------------------

let listing = 0;

/** Whether a memory is being edited or its forgetting awaits confirmation: a background refresh then waits. */
function busy() {
    return $('#memory-list .editing, #memory-list .confirming') !== null;
}

/** Lists the user's memories; a background refresh leaves the list alone while it is {@link busy}. */
async function loadMemories({background = false} = {}) {
    if (!user() || (background && busy())) {
        return;
    }
    const mine = ++listing;
    const u = user();
    try {
        const {memories} = await api.recall(u, {
            q: $('#query').value.trim(),
            kind: $('#kind').value.trim(),
            limit: LIST_LIMIT,
        });
        if (mine !== listing || (background && busy())) {
            return; // a newer listing is on its way, or an edit began meanwhile
        }
        $('#memory-list').replaceChildren(...memories.map((m) => editableMemory(u, m)));
        $('#longterm .empty').hidden = memories.length > 0;
        $('#longterm').dataset.count = String(memories.length);
    } catch (error) {
        showError(error);
    }
}

function editableMemory(u, memory) {
    const item = memoryItem(memory);
    const edit = el('button', {type: 'button', className: 'small', textContent: 'Edit'});
    const forget = el('button', {type: 'button', className: 'small danger', textContent: 'Forget'});
    item.append(el('div', {className: 'actions'}, [edit, forget]));
    edit.addEventListener('click', () => item.replaceWith(editor(u, memory, item)));
    let armed = null;
    forget.addEventListener('click', async () => {
        if (!armed) {
            // A second click within a few seconds confirms.
            forget.textContent = 'Really forget?';
            item.classList.add('confirming');
            armed = setTimeout(() => {
                forget.textContent = 'Forget';
                item.classList.remove('confirming');
                armed = null;
            }, 4000);
            return;
        }
        clearTimeout(armed);
        try {
            await api.forget(u, memory.id);
            item.remove();
            showStatus(`Forgot "${memory.text}".`);
            loadMemories();
        } catch (error) {
            showError(error);
        }
    });
    return item;
}

function editor(u, memory, item) {
    const text = el('input', {name: 'text', value: memory.text, required: true, 'aria-label': 'Text'});
    const kind = el('input', {name: 'kind', value: memory.kind ?? '', size: 10, 'aria-label': 'Kind'});
    kind.setAttribute('list', 'kinds');
    const cancel = el('button', {type: 'button', className: 'small', textContent: 'Cancel'});
    const form = el('form', {className: 'memory editing', dataset: {id: memory.id}}, [
        text, kind, el('button', {type: 'submit', className: 'small', textContent: 'Save'}), cancel,
    ]);
    const li = el('li', {dataset: {id: memory.id}}, [form]);
    cancel.addEventListener('click', () => li.replaceWith(item));
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const changes = {};
        if (text.value.trim() !== memory.text) changes.text = text.value.trim();
        if (kind.value.trim() && kind.value.trim() !== memory.kind) changes.kind = kind.value.trim();
        if (Object.keys(changes).length === 0) {
            li.replaceWith(item);
            return;
        }
        try {
            const updated = await api.update(u, memory.id, changes);
            li.replaceWith(editableMemory(u, {...updated, score: memory.score}));
            showStatus(`Saved "${updated.text}".`);
        } catch (error) {
            showError(error);
        }
    });
    setTimeout(() => text.focus());
    return li;
}

async function remember(event) {
    event.preventDefault();
    const input = $('#remember-text');
    if (!user() || !input.value.trim()) {
        return;
    }
    try {
        const memory = await api.remember(user(), input.value.trim());
        input.value = '';
        showStatus(`Remembered "${memory.text}".`);
        loadMemories();
    } catch (error) {
        showError(error);
    }
}

// --- wiring --------------------------------------------------------------------------------------

restoreIdentity();
$('#identity').addEventListener('change', onIdentityChange);
$('#identity').addEventListener('submit', (event) => event.preventDefault());
$('#new-session').addEventListener('click', () => {
    fields.session.value = newSessionId();
    fields.session.dispatchEvent(new Event('change', {bubbles: true}));
});
$('#composer').addEventListener('submit', send);
$('#message').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        $('#composer').requestSubmit();
    }
});
$('#search').addEventListener('submit', (event) => {
    event.preventDefault();
    loadMemories();
});
$('#remember').addEventListener('submit', remember);
$('#reload-session').addEventListener('click', () => loadSession());
setInterval(showTtl, 1000);
loadSession();
loadMemories();
