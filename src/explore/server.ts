// The explorer's web server: node:http on 127.0.0.1 only, the page's files from the package,
// and a small JSON API over an Explorer. A bad request (a malformed replay path, a step that
// does not exist, an unknown variant) is a 400 with a message; the server stays up.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { codes, SpecError } from '../spec/errors.js';
import type { Explorer, Scope } from './session.js';

export interface ServerOptions {
  port?: number;
  /** Where `/` leads when the URL names no scenario (e.g. a saved counterexample; loop: a lasso's). */
  start?: { variant: string | null; path: string; loop?: number | null } | null;
}

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const ASSETS: Record<string, string> = {
  '/': 'index.html',
  '/app.js': 'app.js',
  '/views.js': 'views.js',
  '/diagrams.js': 'diagrams.js',
  '/tour.js': 'tour.js',
  '/style.css': 'style.css',
};
const TYPES: Record<string, string> = { html: 'text/html', js: 'text/javascript', css: 'text/css' };

/**
 * The page's files. They sit in src/explore/page/ and are read at run time: from the sources
 * (tests) that is ./page/ beside this module; from the bundle in dist/ it is ../src/explore/page/.
 */
export function pageDir(): string {
  for (const rel of ['./page/', '../src/explore/page/']) {
    const dir = new URL(rel, import.meta.url);
    if (existsSync(new URL('index.html', dir))) return fileURLToPath(dir);
  }
  throw new Error('the explorer page (src/explore/page/) is missing from this installation');
}

export function startServer(explorer: Explorer, options: ServerOptions = {}): Promise<RunningServer> {
  const dir = pageDir();
  const server = createServer((req, res) => {
    handle(explorer, dir, options, req, res).catch((e: unknown) => reply(res, 500, { error: `internal error: ${(e as Error)?.message ?? String(e)}` }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        server,
        close: () => {
          explorer.close();
          server.closeAllConnections();
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function handle(explorer: Explorer, dir: string, options: ServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Only pages served from this machine's own name may call it (no DNS rebinding by a web page).
  if (!/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(req.headers.host ?? '')) {
    return reply(res, 403, { error: `the explorer answers requests for 127.0.0.1 or localhost only, not '${req.headers.host ?? ''}'` });
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const route = url.pathname;
  const path = url.searchParams.get('path');
  if (req.method === 'GET' && route === '/' && !url.search && options.start) {
    const { variant: v, path: p, loop } = options.start;
    const q = new URLSearchParams({ ...(v ? { variant: v } : {}), path: p, ...(loop != null ? { loop: String(loop) } : {}) });
    res.writeHead(302, { location: `/?${q}` });
    res.end();
    return;
  }
  if (route === '/favicon.ico') {
    res.writeHead(204);
    res.end();
    return;
  }
  if (req.method === 'GET' && Object.hasOwn(ASSETS, route)) {
    const file = ASSETS[route]!;
    res.writeHead(200, { 'content-type': `${TYPES[file.split('.').pop()!]}; charset=utf-8`, 'cache-control': 'no-cache' });
    res.end(readFileSync(`${dir}/${file}`));
    return;
  }
  try {
    const scope = scopeOf(url.searchParams);
    if (req.method === 'GET' && route === '/api/view') return reply(res, 200, explorer.view(scope, path, url.searchParams.get('loop')));
    if (req.method === 'GET' && route === '/api/neighbours') return reply(res, 200, explorer.neighbours(scope, path));
    if (route === '/api/check' && req.method === 'POST') return reply(res, 202, explorer.startCheck(scope));
    if (route === '/api/check/stop' && req.method === 'POST') return reply(res, 200, explorer.stopCheck(scope) ?? { status: 'none' });
    if (route === '/api/check' && req.method === 'GET') return reply(res, 200, explorer.checkStatus(scope) ?? { status: 'none' });
  } catch (e) {
    if (e instanceof SpecError) {
      // SYN1xx: the request named something that does not exist; others: the spec's own code failed.
      return reply(res, e.code.startsWith('SYN1') ? 400 : 500, { error: e.message, code: e.code, hint: e.hint ?? null });
    }
    throw e;
  }
  reply(res, 404, { error: `no such page: ${req.method} ${route}` });
}

/** The scope a request names: ?variant=v and one &param=name=value per param (as --param takes them). */
function scopeOf(q: URLSearchParams): Scope {
  const variant = q.get('variant') || null;
  const given = q.getAll('param');
  if (given.length === 0) return variant;
  const params: Record<string, string> = {};
  for (const text of given) {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new SpecError(codes.badOption, `bad param '${text}' in the address`, 'write each as param=name=value, e.g. param=nodes=3');
    params[text.slice(0, eq)] = text.slice(eq + 1);
  }
  return { variant, params };
}
