// Threads started before the spec is known: a search takes the waiting ones, and ones never
// taken do not keep the process alive.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { prestartThreads, takeThread } from '../../src/check/warm-threads.js';

const dir = mkdtempSync(join(tmpdir(), 'synod-warm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A thread that answers its first message with its thread id, as an expander answers 'start'.
const script = pathToFileURL(join(dir, 'echo.mjs'));
writeFileSync(script, "import { parentPort, threadId } from 'node:worker_threads';\nparentPort.once('message', () => parentPort.postMessage(threadId));\n");

describe('warm threads', () => {
  it('a search takes the threads started ahead, then starts new ones', async () => {
    prestartThreads(script, 2);
    const taken = [takeThread(script), takeThread(script), takeThread(script)];
    const ids = await Promise.all(taken.map((w) => new Promise<number>((resolve) => {
      w.once('message', resolve);
      w.postMessage('start');
    })));
    expect(new Set(ids).size).toBe(3);
    // The two warm ones were started first, so they have the lower thread ids.
    expect(ids[2]).toBeGreaterThan(Math.max(ids[0]!, ids[1]!));
    await Promise.all(taken.map((w) => w.terminate()));
  });

  it('threads never taken do not keep the process alive', () => {
    const prog = `import { prestartThreads } from ${JSON.stringify(pathToFileURL(join(process.cwd(), 'dist/warm-threads.js')).href)};
prestartThreads(new URL(${JSON.stringify(script.href)}), 2);`;
    const started = Date.now();
    execFileSync(process.execPath, ['--input-type=module', '-e', prog], { timeout: 20_000 });
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
