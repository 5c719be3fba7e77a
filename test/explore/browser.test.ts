// End to end in a real browser: the bundled Chromium (chromium.ts) driven by playwright-core against the real
// `synod explore` command. Click through a Raft election, go back, branch, check a bug variant,
// open a saved counterexample, load liveness lassos. Screenshots go to test/artifacts/ (not committed).
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { ARTIFACTS, cell, checkVariant, close, current, open as openIn, serve, shoot, stop, take, type Served } from './browser-kit.js';

let browser: Browser;
let raft: Served;
let saved: Served;
let paxos: Served;
let twoPhase: Served;
let lossy: Served;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [browser, raft, saved, paxos, twoPhase, lossy] = await Promise.all([
    launchChromium(),
    serve('specs/raft-election.ts'),
    serve('--trace', 'results/paxos.acceptLowerBallot.itf.json'),
    serve('specs/paxos.ts'),
    serve('specs/two-phase-commit.ts', '--variant', 'coordinatorCrash'),
    serve('test/fixtures/lossy-channel.ts', '--param', 'fairness=weak'),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([stop(raft), stop(saved), stop(paxos), stop(twoPhase), stop(lossy)]);
});

const open = (url: string): Promise<Page> => openIn(browser, url);

describe('synod explore in chromium', () => {
  it('clicks through a Raft election to a leader, goes back, and branches', async () => {
    const page = await open(raft.url);
    await current(page, 'Initial predicate');
    await take(page, 'Timeout(n1)');
    await current(page, 'Timeout(n1)');
    await take(page, 'ReceiveRequestVote(RequestVote(term: 1, from: n1, to: n2))');
    await current(page, 'ReceiveRequestVote');
    await take(page, 'BecomeLeader(n1)');
    await current(page, 'BecomeLeader(n1)');
    expect(await cell(page, 'n1', 'role').textContent()).toBe('leader');
    expect(await cell(page, 'n1', 'role').getAttribute('class')).toBe('changed');
    expect(await cell(page, 'n2', 'role').getAttribute('class')).toBeNull();
    expect(await page.locator('#properties tr[data-property="leaderElected"]').getAttribute('data-status')).toBe('reached');
    expect(new URL(page.url()).searchParams.get('path')).toBe('0/0/3/3');
    await page.locator('#sequence svg line.arrow').first().waitFor();
    await shoot(page, 'explore-raft-leader');

    // Back to the candidate: the later steps stay on show, greyed.
    await page.locator('#trace li[data-path="0/0"]').click();
    await current(page, 'Timeout(n1)');
    expect(await cell(page, 'n1', 'role').textContent()).toBe('candidate');
    expect(await page.locator('#trace li.future').allTextContents()).toEqual(['ReceiveRequestVote(RequestVote(term: 1, from: n1, to: n2))', 'BecomeLeader(n1)']);

    // Branch: n2 times out too, and the old future is gone.
    await take(page, 'Timeout(n2)');
    await current(page, 'Timeout(n2)');
    expect(await page.locator('#trace li').allTextContents()).toEqual(['Initial predicate', 'Timeout(n1)', 'Timeout(n2)']);
    expect(await cell(page, 'n2', 'role').textContent()).toBe('candidate');
    expect(new URL(page.url()).searchParams.get('path')).toBe('0/0/1');

    // The browser's back button returns to the previous scenario; a reload shows the same one.
    await page.goBack();
    await page.locator('#trace li.future').first().waitFor();
    await current(page, 'Timeout(n1)');
    await page.reload();
    await current(page, 'Timeout(n1)');
    expect(await page.locator('#trace li').count()).toBe(2);
    await close(page);
  });

  it('checks a bug variant and loads the shortest trace to the violated property', async () => {
    const page = await open(raft.url);
    await current(page, 'Initial predicate');
    await checkVariant(page, 'votesTwice');
    await page.locator('#properties tr[data-property="singleLeaderPerTerm"][data-status="violated"]').waitFor();
    expect(await page.locator('#trace li').count()).toBe(7);
    expect(await page.locator('#check-result li[data-violation="singleLeaderPerTerm"]').textContent()).toContain('violated');
    await shoot(page, 'explore-raft-votesTwice');
    await page.locator('#sequence-panel').screenshot({ path: `${ARTIFACTS}/explore-raft-votesTwice-sequence.png` });
    await close(page);
  });

  it('opens a saved counterexample from --trace, with its message sequence', async () => {
    const page = await open(saved.url);
    await page.locator('#properties tr[data-property="chosenUnique"][data-status="violated"]').waitFor();
    expect(new URL(page.url()).searchParams.get('variant')).toBe('acceptLowerBallot');
    expect(await page.locator('#trace li').count()).toBe(17);
    expect(await page.locator('#sequence-panel').isVisible()).toBe(true);
    expect(await page.locator('#sequence svg line.arrow').count()).toBeGreaterThan(10);
    await shoot(page, 'explore-paxos-acceptLowerBallot');
    await page.locator('#sequence-panel').screenshot({ path: `${ARTIFACTS}/explore-paxos-acceptLowerBallot-sequence.png` });
    await close(page);
  });

  it('clicks through Paxos until a value is chosen and learned, loads the dueling witness, and shares the link', async () => {
    const page = await open(paxos.url);
    await current(page, 'Initial predicate');
    const steps = [
      'Prepare(p1)',
      'ReceivePrepare(Prepare(bal: 1, acc: a1))',
      'ReceivePrepare(Prepare(bal: 1, acc: a2))',
      'ReceivePromise(Promise(acc: a1, bal: 1, last: none))',
      'ReceivePromise(Promise(acc: a2, bal: 1, last: none))',
      'Accept(p1)',
      'ReceiveAccept(Accept(bal: 1, val: v1, acc: a1))',
      'ReceiveAccept(Accept(bal: 1, val: v1, acc: a2))',
      'Learn(l1, v1)',
    ];
    for (const step of steps) {
      await take(page, step);
      await current(page, step);
    }
    expect(await page.locator('#properties tr[data-property="someChosen"]').getAttribute('data-status')).toBe('reached');
    expect(await cell(page, 'l1', 'learned').textContent()).toBe('v1');
    await shoot(page, 'explore-paxos-chosen');

    // The link reproduces the scenario in a fresh page.
    const link = page.url();
    const shared = await open(link);
    await current(shared, 'Learn(l1, v1)');
    expect(await shared.locator('#trace li').allTextContents()).toEqual(['Initial predicate', ...steps]);
    await close(shared);

    // Check, then load the shortest run where a proposer in phase 2 has been preempted.
    await page.locator('#check').click();
    // The check takes a few seconds of CPU; on a loaded machine the server answers slowly meanwhile.
    await page.locator('#check-result li[data-witness="dueling"] button').click({ timeout: 60_000 });
    await page.locator('#properties tr[data-property="dueling"][data-status="reached"]').waitFor();
    expect(await page.locator('#verdict').textContent()).toContain('every property holds');
    await shoot(page, 'explore-paxos-dueling');
    await close(page);
  });

  it('checks two-phase commit with a crashing coordinator and loads the lasso: stuttering marked, allDecide violated', async () => {
    const page = await open(twoPhase.url);
    await current(page, 'Initial predicate');
    expect(await page.locator('#properties tr[data-property="allDecide"]').getAttribute('data-status')).toBe('checked by Check');
    await page.locator('#check').click();
    await page.locator('#verdict.verdict-violation').waitFor();
    await page.locator('#properties tr[data-property="allDecide"][data-status="violated"]').waitFor();
    expect(await page.locator('#trace li').allTextContents()).toEqual(['Initial predicate', 'RMPrepare(r1)', 'RMPrepare(r2)', 'RMPrepare(r3)', 'TMCrash↻ stutters for ever here']);
    expect(await page.locator('#trace li.current [data-loop="stutter"]').count()).toBe(1);
    expect(await page.locator('#lasso-text').textContent()).toContain('stays in state 5 for ever');
    expect(new URL(page.url()).searchParams.get('loop')).toBe('4');
    expect(await page.locator('#check-result li[data-violation="allDecide"]').textContent()).toContain('(liveness) violated');
    await shoot(page, 'explore-2pc-coordinatorCrash');

    // Back one step: the lasso stays on show with its mark; the property is about the whole behaviour.
    await page.locator('#trace li[data-path="0/1/2/3"]').click();
    await current(page, 'RMPrepare(r3)');
    expect(await page.locator('#trace li.future [data-loop="stutter"]').count()).toBe(1);
    expect(await page.locator('#properties tr[data-property="allDecide"]').getAttribute('data-status')).toBe('violated');
    expect(new URL(page.url()).searchParams.has('loop')).toBe(false);
    await page.locator('#trace li[data-path="0/1/2/3/4"]').click();
    await page.waitForURL(/loop=4/);
    await close(page);
  });

  it('marks where a lasso\'s cycle starts and where it goes back (lossy channel, weak fairness)', async () => {
    const page = await open(lossy.url);
    await page.locator('#check').click();
    await page.locator('#verdict.verdict-violation').waitFor();
    await page.locator('#check-result li[data-violation="sentLeadsToDelivered"] button').click();
    await page.waitForURL(/loop=1/);
    await page.locator('#properties tr[data-property="sentLeadsToDelivered"][data-status="violated"]').waitFor();
    expect(await page.locator('#trace li').nth(1).locator('[data-loop="start"]').count()).toBe(1);
    expect(await page.locator('#trace li').nth(3).locator('[data-loop="back"]').textContent()).toBe('↺ back to state 2');
    expect(await page.locator('#lasso-text').textContent()).toBe('A lasso: state 4 is state 2 again, so the cycle from state 2 to state 4 repeats for ever.');
    await close(page);
  });
});
