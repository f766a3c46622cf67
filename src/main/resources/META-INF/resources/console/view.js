// Small DOM helpers for the console. Text always goes in as textContent, never as HTML.

/** An element with properties (dataset merged, other keys set as properties or attributes) and children. */
export function el(tag, properties = {}, children = []) {
    const element = document.createElement(tag);
    for (const [key, value] of Object.entries(properties)) {
        if (key === 'dataset') {
            Object.assign(element.dataset, value);
        } else if (key in element) {
            element[key] = value;
        } else {
            element.setAttribute(key, value);
        }
    }
    element.append(...children);
    return element;
}

/** A long-term memory: its text, kind, recall score (when there is one) and age. */
export function memoryItem(memory) {
    const details = [el('span', {className: 'kind', textContent: memory.kind ?? 'no kind'})];
    if (memory.score !== undefined && memory.score !== null) {
        details.push(el('span', {className: 'score', title: 'recall score', textContent: `score ${formatScore(memory.score)}`}));
    }
    details.push(el('time', {dateTime: memory.createdAt, title: memory.createdAt, textContent: relativeTime(memory.createdAt)}));
    if (memory.source) {
        details.push(el('span', {className: 'source', textContent: memory.source === 'api' ? 'via API' : `from ${memory.source}`}));
    }
    return el('li', {className: 'memory', dataset: {id: memory.id, kind: memory.kind ?? ''}}, [
        el('p', {className: 'text', textContent: memory.text}),
        el('div', {className: 'details'}, details),
    ]);
}

function formatScore(score) {
    return score.toFixed(2);
}

const UNITS = [['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]];
const relative = new Intl.RelativeTimeFormat('en', {numeric: 'auto'});

/** "3 minutes ago", from an ISO-8601 instant. */
export function relativeTime(iso) {
    const seconds = (Date.parse(iso) - Date.now()) / 1000;
    if (Number.isNaN(seconds)) {
        return '';
    }
    for (const [unit, size] of UNITS) {
        if (Math.abs(seconds) >= size || unit === 'second') {
            return relative.format(Math.round(seconds / size), unit);
        }
    }
    return '';
}
