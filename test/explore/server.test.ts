// src/explore/server.ts over HTTP: the page's files, the JSON API, and bad requests answered
// with a 400 and a message while the server stays up.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import raft from '../../specs/raft-election.js';
import { Explorer } from '../../src/explore/session.js';
import { startServer, type RunningServer } from '../../src/explore/server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer(new Explorer(raft), { port: 0 });
});
afterAll(() => server.close());

const get = async (route: string, init?: RequestInit) => {
  const res = await fetch(new URL(route, server.url), init);
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, body: type.startsWith('application/json') ? await res.json() : await res.text() };
};

describe('explore server', () => {
  it('listens on 127.0.0.1 and serves the page and its modules', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    expect(page.body).toContain('<script type="module" src="/app.js">');
    for (const asset of ['/app.js', '/views.js', '/diagrams.js', '/style.css']) expect((await get(asset)).status).toBe(200);
    expect((await get('/../package.json')).status).toBe(404);
  });

  it('answers a view for a replay path', async () => {
    const r = await get('/api/view?path=0/0');
    expect(r.status).toBe(200);
    expect(r.body.path).toBe('0/0');
    expect(r.body.trace.map((s: any) => s.label)).toEqual(['Initial predicate', 'Timeout(n1)']);
  });

  it.each([
    ['a malformed replay path', '/api/view?path=0/x', 'SYN104', "bad replay path '0/x'"],
    ['a path that is not numbers', '/api/view?path=../../etc', 'SYN104', 'bad replay path'],
    ['an unknown action index', '/api/view?path=0/0/42', 'SYN104', 'the path asks for successor 42'],
    ['an unknown initial state', '/api/view?path=3', 'SYN104', 'there are 1'],
    ['an unknown variant', '/api/view?variant=nope&path=0', 'SYN103', "no variant 'nope'"],
    ['an unknown action index for the neighbours', '/api/neighbours?path=0/9', 'SYN104', 'successor 9'],
  ])('rejects %s with 400 and a message, and stays up', async (_what, route, code, message) => {
    const r = await get(route);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(code);
    expect(r.body.error).toContain(message);
    expect((await get('/api/view?path=0')).status).toBe(200);
  });

  it('refuses requests for another host name (a web page rebinding its DNS to 127.0.0.1)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(new URL('/api/view?path=0', server.url), { headers: { host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    expect((await get('/api/view?path=0')).status).toBe(200);
  });

  it('answers 404 for an unknown route', async () => {
    const r = await get('/api/nothing');
    expect(r.status).toBe(404);
    expect(r.body.error).toContain('/api/nothing');
  });

  it('runs the exhaustive check in the background and reports its counts and witness paths', async () => {
    expect((await get('/api/check')).body).toEqual({ status: 'none' });
    const started = await get('/api/check', { method: 'POST' });
    expect(started.status).toBe(202);
    // The server answers views while the check runs.
    expect((await get('/api/view?path=0/1')).status).toBe(200);
    let job: any;
    do job = (await get('/api/check')).body; while (job.status === 'running');
    expect(job.status).toBe('done');
    expect(job.result).toMatchObject({ verdict: 'ok', distinctStates: 1214, totalStates: 4442, stateDepth: 13 });
    const witness = job.result.witnesses.find((w: any) => w.property === 'leaderElected');
    const view = await get(`/api/view?path=${witness.path}`);
    expect(view.body.properties.find((p: any) => p.name === 'leaderElected').status).toBe('reached');
  });
});
