// Drives the patrol plan workflow in headless Chromium (playwright-core and
// the system's chromium): a planner signs in, drafts a plan from the
// ranking and proposes it; the chair signs in and agrees it; the planner
// uploads a patrol log; the coverage report shows a missed area, and so
// does the map page (coverage outlines of the agreed areas). Run by the
// Go test internal/server TestPlansBrowser:
//
//   node e2e/plans.mjs --url http://127.0.0.1:PORT/ --chromium /usr/bin/chromium --out DIR \
//     --unit BE --planner planner --chair chair --password PW
//
// Prints one JSON line of figures; exits non-zero on the first failed check.
import { chromium } from 'playwright-core';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    url: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    out: { type: 'string', default: tmpdir() },
    timeout: { type: 'string', default: '60000' },
    unit: { type: 'string', default: 'BE' },
    planner: { type: 'string', default: 'planner' },
    chair: { type: 'string', default: 'chair' },
    password: { type: 'string' },
    from: { type: 'string', default: '2017-06-01' },
    to: { type: 'string', default: '2017-07-01' },
    patrol: { type: 'string', default: '2017-06-02 21:00' },
    window: { type: 'string', default: '2017-06-02,2017-06-04' },
  },
});
const timeout = Number(opt.timeout);
const base = new URL(opt.url);
const figures = {};
function check(ok, msg) { if (!ok) throw new Error('check failed: ' + msg); }

const profile = await mkdtemp(join(tmpdir(), 'hotgrid-plans-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: opt.chromium, headless: true, viewport: { width: 1280, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
try {
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.setDefaultTimeout(timeout);

  async function signIn(name) {
    await page.goto(new URL('/plans?unit=' + opt.unit, base).href);
    check(new URL(page.url()).pathname === '/login', 'anonymous visit not sent to the login page: ' + page.url());
    await page.fill('#name', name);
    await page.fill('#password', opt.password);
    await Promise.all([page.waitForURL((u) => u.pathname === '/plans'), page.click('button[type=submit]')]);
    await page.waitForFunction(() => document.body.dataset.ready === '1');
    check((await page.textContent('[data-testid=who]')).startsWith(name), 'not signed in as ' + name);
  }
  async function signOut() {
    await page.goto(new URL('/logout', base).href);
    await Promise.all([page.waitForURL((u) => u.pathname === '/login'), page.click('button[type=submit]')]);
  }
  const state = () => page.textContent('[data-testid=plan-state]');
  async function act(name, want) {
    await page.click(`[data-action=${name}]`);
    await page.waitForFunction((w) => document.querySelector('[data-testid=plan-state]')?.textContent === w, want);
  }

  // 1. the planner drafts a plan from the ranking and proposes it
  await signIn(opt.planner);
  await page.fill('#new-plan input[name=from]', opt.from);
  await page.fill('#new-plan input[name=to]', opt.to);
  await page.fill('#new-plan input[name=top]', '5');
  await page.click('#new-plan button[type=submit]');
  await page.waitForFunction(() => document.querySelector('[data-testid=plan-state]')?.textContent === 'draft');
  const title = await page.textContent('[data-testid=plan-title]');
  const planId = Number(/Plan (\d+)/.exec(title)[1]);
  figures.plan = planId;
  figures.areas = await page.locator('#areas tbody tr').count();
  check(figures.areas > 0, 'draft plan has no areas');
  await act('propose', 'proposed');
  check((await page.locator('[data-action=agree]').count()) === 0, 'planner is offered agree');
  await page.screenshot({ path: join(opt.out, 'plans-proposed.png') });
  await signOut();

  // 2. the chair agrees it
  await signIn(opt.chair);
  await page.click(`#plans tr[data-plan="${planId}"]`);
  await page.waitForFunction(() => document.querySelector('[data-testid=plan-state]')?.textContent === 'proposed');
  await act('agree', 'agreed');
  check((await page.textContent('#state-line')).includes('agreed by ' + opt.chair), 'agreement not attributed');
  await signOut();

  // 3. the planner uploads a patrol log for the first area
  await signIn(opt.planner);
  await page.click(`#plans tr[data-plan="${planId}"]`);
  await page.waitForFunction(() => document.querySelector('[data-testid=plan-state]')?.textContent === 'agreed');
  const area = await page.textContent('#areas tbody tr td:nth-child(2)');
  await page.fill('[data-testid=csv]', `area,start,minutes,ref\n${area},${opt.patrol},20,PC 1\n`);
  await page.click('[data-testid=upload]');
  await page.waitForFunction(() => /patrols stored/.test(document.querySelector('[data-testid=msg]').textContent));
  figures.upload = await page.textContent('[data-testid=msg]');

  // 4. the coverage report shows a missed area
  const [from, to] = opt.window.split(',');
  await page.fill('#cov-form input[name=from]', from);
  await page.fill('#cov-form input[name=to]', to);
  await page.click('[data-testid=coverage-btn]');
  await page.waitForFunction(() => document.querySelectorAll('#coverage tbody tr').length > 0);
  const statuses = await page.$$eval('#coverage tbody tr', (rs) => rs.map((r) => r.dataset.status));
  figures.coverage = statuses;
  figures.totals = await page.textContent('[data-testid=coverage-totals]');
  check(statuses.includes('missed'), 'coverage shows no missed area: ' + statuses);
  check(statuses.some((s) => s === 'covered' || s === 'short'), 'the uploaded patrol does not show: ' + statuses);
  await page.screenshot({ path: join(opt.out, 'plans-coverage.png'), fullPage: true });

  // 5. the printable briefing
  const brief = await context.newPage();
  await brief.goto(new URL(`/plans/${planId}/briefing`, base).href);
  figures.briefing_polygons = await brief.locator('svg polygon').count();
  check(figures.briefing_polygons > 0, 'briefing has no map');
  await brief.close();
  // 6. the map page shows the coverage: the agreed plan's areas outlined as covered, short or missed,
  //    on the day of the patrol and on the next day (nothing logged: missed)
  const plusDay = (d) => new Date(Date.parse(d + 'T00:00:00Z') + 86400000).toISOString().slice(0, 10);
  const patrolDay = opt.patrol.slice(0, 10);
  await page.goto(new URL(`/#unit=${opt.unit}&cov=1&day=${patrolDay}`, base).href);
  await page.waitForFunction(() => window.__hotgridReady === true && document.querySelector('#coverage')?.dataset.loaded === 'true');
  check((await page.getAttribute('#coverage', 'data-plan')) === String(planId), 'map coverage is not of plan ' + planId);
  async function mapCoverage(day) {
    check((await page.inputValue('#cov-day')) === day, 'coverage day not ' + day);
    const listed = await page.$$eval('#coverage-list li', (ls) => ls.map((l) => [l.dataset.area, l.dataset.status]));
    const cov = await page.evaluate(async (u) => (await fetch(u)).json(), `/api/v1/plans/${planId}/coverage?from=${day}&to=${plusDay(day)}`);
    const worst = (area) => ['missed', 'short', 'covered'].find((s) => cov.rows.some((r) => r.area === area && r.status === s)) || 'none';
    check(listed.length === figures.areas, `map lists ${listed.length} areas on ${day}, the plan has ${figures.areas}`);
    for (const [area, status] of listed) check(status === worst(area), `map shows ${area} ${status} on ${day}, the coverage report ${worst(area)}`);
    const drawn = await page.evaluate(() => window.__hotgrid.map.queryRenderedFeatures({ layers: ['coverage-line'] })
      .map((f) => [f.properties.patrol_area, f.properties.status, String(f.layer.paint['line-color'])]));
    check(drawn.length > 0, 'no coverage outlines drawn on ' + day);
    for (const [area, status] of listed) {
      check(drawn.some(([a, s]) => a === area && s === status), `${area} (${status}) not outlined on ${day}: ${JSON.stringify(drawn)}`);
    }
    return { listed, colours: Object.fromEntries(drawn.map(([, s, c]) => [s, c])) };
  }
  const first = await mapCoverage(patrolDay);
  check(first.listed.some(([, s]) => s === 'covered' || s === 'short'), 'map does not show the patrolled area: ' + JSON.stringify(first.listed));
  await page.screenshot({ path: join(opt.out, 'map-coverage.png') });
  const after = plusDay(patrolDay);
  await page.fill('#cov-day', after);
  await page.waitForFunction((d) => document.querySelector('#coverage')?.dataset.loaded === 'true' && document.querySelector('#coverage').dataset.day === d, after);
  const second = await mapCoverage(after);
  check(second.listed.some(([, s]) => s === 'missed'), 'map shows no missed area the day after: ' + JSON.stringify(second.listed));
  const patrolled = first.colours.covered || first.colours.short;
  check(second.colours.missed && patrolled && second.colours.missed !== patrolled, `missed and patrolled areas share a colour: ${JSON.stringify([first.colours, second.colours])}`);
  check((await page.evaluate(() => location.hash)).includes('day=' + after), 'URL hash lacks the coverage day');
  figures.map_coverage = { [patrolDay]: first.listed, [after]: second.listed };
  await page.screenshot({ path: join(opt.out, 'map-coverage-missed.png') });

  check(problems.length === 0, 'page errors: ' + problems.join('; '));
  console.log(JSON.stringify(figures));
} finally {
  await context.close();
}
