// The console in a real browser (headless Chromium through playwright-core), against a running service with the
// stub model and API-key authentication (src/test/scripts/e2e.sh starts one), or with authentication off (dev mode,
// no AGENT_MEMORY_API_KEY):
//   AGENT_MEMORY_URL=http://127.0.0.1:8080 AGENT_MEMORY_API_KEY=… node console.test.mjs [screenshot.png]
// Tells two facts in two sessions, waits until they are remembered, asks for a dinner in a third session and
// sees the reply stream token by token with both facts recalled beside it, then edits one memory and forgets the
// other. Exits non-zero at the first thing that is not as it should be.

import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {chromium} from 'playwright-core';

const base = process.env.AGENT_MEMORY_URL ?? 'http://127.0.0.1:8080';
const apiKey = process.env.AGENT_MEMORY_API_KEY ?? '';
const screenshot = process.argv[2] ?? 'console.png';
const user = `e2e-${randomUUID().slice(0, 8)}`;
const VEGETARIAN = 'User is vegetarian';
const SPICY = 'User loves spicy food';

const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
});
const step = (text) => console.log(`- ${text}`);

try {
    const page = await browser.newPage({viewport: {width: 1440, height: 900}});
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
        // A refused request (the 401 before the key is typed in) is logged by Chromium itself; that is expected.
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
            pageErrors.push(message.text());
        }
    });

    const landing = await page.goto(`${base}/`);
    assert.equal(new URL(page.url()).pathname, '/console/', '/ redirects to the console');
    assert.equal(landing.status(), 200, 'the console is served without credentials');
    step('/ redirects to /console/, served without credentials');

    await page.fill('#user', user);
    await page.dispatchEvent('#user', 'change');
    if (apiKey) {
        await page.locator('#status.error').filter({hasText: '401'}).waitFor();
        step('without a key the API answers 401, and the console says so');
        await page.selectOption('#scheme', 'api-key');
        await page.fill('#secret', apiKey);
        await page.dispatchEvent('#secret', 'change');
    }

    await turn('s1', 'I am vegetarian.');
    await turn('s2', 'I love spicy food.');
    step('two facts told in sessions s1 and s2');

    // Extraction runs in the background; the console looks again after a turn, and on Search.
    const list = page.locator('#memory-list');
    for (const deadline = Date.now() + 30_000; ;) {
        const texts = await list.locator('.memory .text').allTextContents();
        if (texts.includes(VEGETARIAN) && texts.includes(SPICY)) {
            break;
        }
        assert.ok(Date.now() < deadline, `both facts remembered within 30 s; the list shows ${JSON.stringify(texts)}`);
        await page.waitForTimeout(500);
        await page.click('#search button[type=submit]');
    }
    assert.deepEqual(await list.locator(`.memory[data-kind="preference"] .kind`).allTextContents(),
        ['preference', 'preference'], 'each memory shows its kind');
    step('both facts extracted and listed with their kind');

    await page.click('#new-session');
    const session = await page.inputValue('#session');
    await page.evaluate(() => {
        // Every length the reply's text passes through while it streams.
        window.replyLengths = [];
        new MutationObserver(() => {
            const reply = document.querySelector('#transcript .turn.assistant:last-child .text');
            if (reply) window.replyLengths.push(reply.textContent.length);
        }).observe(document.querySelector('#transcript'), {subtree: true, childList: true, characterData: true});
    });
    const reply = await turn(session, 'Suggest a dinner for me.');
    const tokens = Number(await reply.getAttribute('data-tokens'));
    const lengths = [...new Set(await page.evaluate(() => window.replyLengths))];
    assert.ok(tokens > 5, `the reply arrived as many token events, not one (${tokens})`);
    assert.ok(lengths.length > 5, `the reply grew on the page token by token (lengths ${lengths})`);
    const replyText = await reply.locator('.text').textContent();
    assert.match(replyText, /You said: "Suggest a dinner for me\."/);
    assert.ok(replyText.includes(VEGETARIAN) && replyText.includes(SPICY), 'the model was given both facts');
    const recalled = await page.locator('#recalled .memory .text').allTextContents();
    assert.deepEqual([...recalled].sort(), [SPICY, VEGETARIAN].sort(), 'both facts shown as recalled for the turn');
    step(`new session ${session}: ${tokens} token events, the reply grew through ${lengths.length} lengths, `
        + `${recalled.length} memories recalled beside it`);

    await page.locator('#working .history li').nth(1).waitFor();
    assert.match(await page.textContent('#ttl'), /expires in \d+:\d\d/);
    assert.equal(await page.locator('#working .history li').count(), 2, 'working memory holds the exchange');
    step('working memory shows the exchange and its TTL');

    const spicy = list.locator('.memory', {hasText: SPICY});
    const spicyId = await spicy.getAttribute('data-id');
    await spicy.getByRole('button', {name: 'Edit'}).click();
    const editor = list.locator(`form.editing[data-id="${spicyId}"]`);
    await editor.locator('input[name=text]').fill('User loves very spicy food');
    await editor.locator('input[name=kind]').fill('fact');
    await editor.getByRole('button', {name: 'Save'}).click();
    const edited = list.locator(`.memory[data-id="${spicyId}"]`);
    await edited.filter({hasText: 'User loves very spicy food'}).waitFor();
    assert.equal(await edited.locator('.kind').textContent(), 'fact');
    assert.equal((await api(`memories/${spicyId}`)).text, 'User loves very spicy food', 'the edit is stored');
    step('a memory edited: new text and kind, stored');

    await page.fill('#query', 'vegetarian spicy');
    await page.click('#search button[type=submit]');
    await list.locator('.memory .score').nth(1).waitFor();
    const scores = (await list.locator('.memory .score').allTextContents()).map((s) => Number(s.replace('score ', '')));
    assert.ok(scores.length === 2 && scores.every((s) => s > 0), `both ranked with a score (${scores})`);
    step(`a search ranks both with a score (${scores.join(', ')})`);

    await page.screenshot({path: screenshot, fullPage: true});
    step(`screenshot: ${screenshot}`);

    const vegetarian = list.locator('.memory', {hasText: VEGETARIAN});
    const vegetarianId = await vegetarian.getAttribute('data-id');
    await vegetarian.getByRole('button', {name: 'Forget'}).click();
    await vegetarian.getByRole('button', {name: 'Really forget?'}).click();
    await list.locator(`.memory[data-id="${vegetarianId}"]`).waitFor({state: 'detached'});
    assert.deepEqual(await list.locator('.memory .text').allTextContents(), ['User loves very spicy food']);
    const left = (await api('memories')).memories.map((m) => m.id);
    assert.deepEqual(left, [spicyId], 'the forgotten memory is gone from the service too');
    step('a memory forgotten: gone from the list and from the service');

    assert.deepEqual(pageErrors, [], 'no script errors on the page');
    await api('', 'DELETE');

    /** Sends a message in the session through the page and waits for the streamed reply to be done. */
    async function turn(sessionId, message) {
        await page.fill('#session', sessionId);
        await page.dispatchEvent('#session', 'change');
        await page.locator('#chat-session').filter({hasText: `${user} / ${sessionId}`}).waitFor();
        const replies = page.locator('#transcript .turn.assistant');
        const n = await replies.count();
        await page.fill('#message', message);
        await page.click('#send');
        await page.waitForFunction(
            (n) => document.querySelectorAll('#transcript .turn.assistant')[n]?.dataset.state, n);
        const reply = replies.nth(n);
        assert.equal(await reply.getAttribute('data-state'), 'done', `the turn "${message}" completed`);
        return reply;
    }
} finally {
    await browser.close();
}

/** The service's API as the test sees it, outside the page. */
async function api(path, method = 'GET') {
    const headers = apiKey ? {'X-API-Key': apiKey} : {};
    const response = await fetch(`${base}/v1/users/${user}${path ? `/${path}` : ''}`, {method, headers});
    assert.ok(response.ok, `${method} ${path}: ${response.status}`);
    return response.status === 204 ? null : response.json();
}
console.log('console test passed');
