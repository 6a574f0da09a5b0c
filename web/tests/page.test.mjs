// Browser tests of the page: Playwright drives Debian's Chromium against an nhigraph server that
// PlaywrightPageTest (src/test/java/dev/nhigraph/web) starts on 127.0.0.1 with the bundled sample loaded.
// The server's address and read token come from the environment; screenshots go to NHIGRAPH_SCREENSHOTS.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const base = new URL(process.env.NHIGRAPH_URL ?? '');
const token = process.env.NHIGRAPH_TOKEN ?? '';
const screenshots = process.env.NHIGRAPH_SCREENSHOTS ?? 'target/playwright-screenshots';
const chromiumPath = process.env.NHIGRAPH_CHROMIUM ?? '/usr/bin/chromium';

const STARTING_ROLE = 'arn:aws:iam::200611803367:role/privesc-AssumeRole-starting-role';
const ENDING_ROLE = 'arn:aws:iam::200611803367:role/privesc-AssumeRole-ending-role';
const HIGH_PRIV_POLICY = 'privesc-AssumeRole-high-priv-policy';
const TIMEOUT = 30_000;

let browser;
let page;

before(async () => {
  // The tests talk to the server on this machine only.
  assert.equal(base.hostname, '127.0.0.1', `NHIGRAPH_URL must be a server on 127.0.0.1, not ${base}`);
  assert.ok(token, 'NHIGRAPH_TOKEN is empty');
  mkdirSync(screenshots, { recursive: true });

  // Background networking stays off, because Chromium's calls to its own services fail on a closed network.
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(TIMEOUT);

  // The page keeps the token from the fragment in the tab's sessionStorage for every later address.
  await page.goto(new URL(`/#token=${token}`, base).href);
  await waitUntilReady();
});

after(async () => {
  await browser?.close();
});

test('search a principal and draw its blast radius', async () => {
  await open('/');

  await page.fill('#search', 'AssumeRole-starting');
  await page.click(`#results button[data-id="${STARTING_ROLE}"]`);
  await waitUntilDrawn(STARTING_ROLE);

  const status = page.locator('#status');
  assert.equal(await page.evaluate(() => window.nhigraph.lastError), null);
  assert.ok(Number(await status.getAttribute('data-nodes')) > 1, 'the graph has more than the principal');
  assert.ok(Number(await status.getAttribute('data-edges')) >= 2, 'the graph has its steps');
  const drawn = await page.evaluate(() => window.nhigraph.cy.nodes(':visible').map((node) => node.id()));
  assert.ok(drawn.includes(ENDING_ROLE), `drawn nodes: ${drawn}`);
  await page.screenshot({ path: join(screenshots, 'blast-radius.png') });
});

test('open the paths to an administrator with each step\'s evidence', async () => {
  await open(`/?id=${encodeURIComponent(STARTING_ROLE)}`);
  await waitUntilDrawn(STARTING_ROLE);

  await page.click('#paths-to-admin');
  await page.waitForFunction(() => window.nhigraph.ready === true
    && ((window.nhigraph.paths && window.nhigraph.paths.mode === 'to-admin') || window.nhigraph.lastError !== null));

  assert.equal(await page.evaluate(() => window.nhigraph.lastError), null);
  const count = await page.evaluate(() => window.nhigraph.paths.count);
  assert.ok(count >= 1, `paths found: ${count}`);
  const details = await page.locator('#details').innerText();
  assert.ok(details.includes(`Path 1 of ${count}`), `side panel: ${details}`);
  assert.ok(details.includes(`${ENDING_ROLE}#trust`), `the trust statement of the last step: ${details}`);
  assert.ok(details.includes(HIGH_PRIV_POLICY), `why the end is an administrator: ${details}`);
  await page.screenshot({ path: join(screenshots, 'paths-to-admin.png') });
});

test('run a saved query and draw its paths', async () => {
  await open('/');

  await page.click('#queries-toggle');
  await page.waitForSelector('#saved-query option[value="admin-reachable-from-outside"]', { state: 'attached' });
  await page.selectOption('#saved-query', 'admin-reachable-from-outside');
  await page.click('#saved-query-run');
  await page.waitForFunction(() => window.nhigraph.ready === true
    && ((window.nhigraph.query && window.nhigraph.query.name === 'admin-reachable-from-outside')
      || window.nhigraph.lastError !== null));

  assert.equal(await page.evaluate(() => window.nhigraph.lastError), null);
  assert.equal(await page.evaluate(() => window.nhigraph.query.drawn), true);
  assert.ok(await page.locator('#query-result table[data-query="admin-reachable-from-outside"]').isVisible());
  const labels = await page.evaluate(() => window.nhigraph.cy.nodes().map((node) => node.data('label')));
  assert.ok(labels.includes('privesc-high-priv-service-role'), `drawn nodes: ${labels}`);
  await page.screenshot({ path: join(screenshots, 'saved-query.png') });
});

test('top bar fits 1280 px and wraps at 800 px', async () => {
  await open('/');

  const wide = await topBarLayout();
  assert.equal(wide.rows, 1, `rows of the top bar at 1280 px: ${JSON.stringify(wide)}`);
  assert.ok(wide.height <= wide.oneRowHeight, `top bar height at 1280 px: ${wide.height}, one row: ${wide.oneRowHeight}`);
  assert.deepEqual(wide.wrappedTexts, [], 'control texts that wrap onto a second line at 1280 px');
  assert.equal(wide.overflow, 0, 'pixels of the top bar that overflow at 1280 px');
  await page.screenshot({ path: join(screenshots, 'top-bar-1280.png'), clip: { x: 0, y: 0, width: 1280, height: 120 } });

  await page.setViewportSize({ width: 800, height: 800 });
  try {
    const narrow = await topBarLayout();
    assert.deepEqual(narrow.wrappedTexts, [], 'control texts that wrap onto a second line at 800 px');
    assert.equal(narrow.overflow, 0, 'pixels of the top bar that overflow at 800 px');
    assert.ok(narrow.searchWidth >= 400, `search box width at 800 px: ${narrow.searchWidth}`);
    await page.screenshot({ path: join(screenshots, 'top-bar-800.png'), clip: { x: 0, y: 0, width: 800, height: 160 } });
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
});

/**
 * Measures the top bar. Controls whose vertical centres lie within 8 px share a row. One row is as high as the
 * search box, the tallest control, plus the bar's padding and 2 px to spare. wrappedTexts lists the label and
 * button texts that take more than one line, and overflow is the number of pixels the bar overflows by.
 */
async function topBarLayout() {
  return page.evaluate(() => {
    const bar = document.querySelector('.topbar');
    const controls = [...bar.querySelectorAll('.brand, .search, label, button')]
      .filter((element) => element.getClientRects().length > 0 && !element.classList.contains('visually-hidden'));
    const centres = controls.map((element) => {
      const box = element.getBoundingClientRect();
      return box.top + box.height / 2;
    }).sort((a, b) => a - b);
    let rows = 0;
    let rowCentre = -Infinity;
    for (const centre of centres) {
      if (centre - rowCentre > 8) {
        rows += 1;
        rowCentre = centre;
      }
    }

    const wrappedTexts = [];
    for (const element of controls) {
      for (const node of element.childNodes) {
        if (node.nodeType !== Node.TEXT_NODE || node.textContent.trim() === '') {
          continue;
        }
        const range = document.createRange();
        range.selectNodeContents(node);
        const lineTops = new Set([...range.getClientRects()].map((line) => Math.round(line.top)));
        if (lineTops.size > 1) {
          wrappedTexts.push(node.textContent.trim());
        }
      }
    }

    const style = getComputedStyle(bar);
    const search = document.getElementById('search-box').getBoundingClientRect();
    return {
      rows,
      height: bar.getBoundingClientRect().height,
      oneRowHeight: search.height + parseFloat(style.paddingTop) + parseFloat(style.paddingBottom) + 2,
      wrappedTexts,
      overflow: bar.scrollWidth - bar.clientWidth,
      searchWidth: Math.round(search.width),
    };
  });
}

async function open(pathAndQuery) {
  await page.goto(new URL(pathAndQuery, base).href);
  await waitUntilReady();
}

async function waitUntilReady() {
  await page.waitForFunction(() => window.nhigraph !== undefined && window.nhigraph.ready === true);
}

async function waitUntilDrawn(root) {
  await page.waitForFunction((id) => window.nhigraph.ready === true
    && document.getElementById('status').dataset.root === id
    && document.getElementById('status').dataset.state !== 'loading', root);
}
