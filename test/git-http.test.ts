/**
 * The reference web client's own requests, byte for byte as `gitApiHttp.ts` sends them (query
 * `directory`, JSON bodies on POST/PUT/DELETE, no body where it sends none), reach the right
 * command through the generic HTTP binding.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGitRepos, pinnedGitEnv, type GitRepos } from './support/git-repos.js';
import { makeTempDir } from './support/fixtures.js';
import { startWeb, type RunningTransport } from './support/transports.js';

let base: string;
let repos: GitRepos;
let web: RunningTransport;

beforeAll(async () => {
  base = makeTempDir('chamber-git-http-');
  const home = path.join(base, 'home');
  repos = buildGitRepos(path.join(base, 'git'), home);
  web = await startWeb({
    homeDir: home,
    dataDir: path.join(base, 'data'),
    cwd: base,
    git: { env: pinnedGitEnv(home) },
  });
});
afterAll(async () => {
  await web.close();
  fs.rmSync(base, { recursive: true, force: true });
});

async function request(method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${web.baseUrl}${url}`, {
    method,
    ...(body !== undefined && { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json() };
}
const dir = (directory: string) => `directory=${encodeURIComponent(directory)}`;

describe('git over HTTP, as the reference client calls it', () => {
  it('GET /api/git/diff reads path, staged=true and context from the query', async () => {
    const { status, json } = await request('GET', `/api/git/diff?${dir(repos.main)}&path=b.txt&staged=true&context=0`);
    expect(status).toBe(200);
    expect((json as { diff: string }).diff).toContain('@@ -3,0 +4 @@');
    const unstaged = await request('GET', `/api/git/diff?${dir(repos.main)}&path=b.txt&staged=yes`);
    expect(unstaged.json).toEqual({ diff: '' }); // only the exact text "true" means staged
  });

  it('GET /api/git/log falls back to 50 for a non-numeric maxCount', async () => {
    const { json } = await request('GET', `/api/git/log?${dir(repos.main)}&maxCount=lots`);
    expect((json as { total: number }).total).toBe(2);
  });

  it('DELETE /api/git/branches takes its arguments from a JSON body', async () => {
    expect(await request('DELETE', `/api/git/branches?${dir(repos.main)}`, { branch: 'topic', force: false })).toEqual({
      status: 200,
      json: { success: true },
    });
  });

  it('POST /api/git/ignore-openchamber needs no body', async () => {
    const response = await fetch(`${web.baseUrl}/api/git/ignore-openchamber?${dir(repos.main)}`, { method: 'POST' });
    expect([response.status, await response.json()]).toEqual([200, { success: true }]);
    expect(fs.readFileSync(path.join(repos.main, '.git/info/exclude'), 'utf8')).toMatch(/\/\.openchamber\/\n$/);
  });

  it('identities: POST the profile as the body, PUT and DELETE by :id', async () => {
    const profile = { id: 'profile-1', userName: 'U', userEmail: 'u@example.com' };
    expect((await request('POST', '/api/git/identities', profile)).status).toBe(200);
    expect(await request('PUT', '/api/git/identities/profile-1', { color: 'string' })).toMatchObject({
      status: 200,
      json: { id: 'profile-1', color: 'string' },
    });
    const deleted = await fetch(`${web.baseUrl}/api/git/identities/profile-1`, { method: 'DELETE' });
    expect([deleted.status, await deleted.json()]).toEqual([200, { success: true }]);
  });

  it('a POST without the body the handler needs is the endpoint’s own 400, not a TypeError 500', async () => {
    const response = await fetch(`${web.baseUrl}/api/git/commit?${dir(repos.main)}`, { method: 'POST' });
    expect([response.status, await response.json()]).toEqual([400, { error: 'message is required' }]);
  });

  it('GET /api/git/check with an empty directory is 400', async () => {
    expect(await request('GET', '/api/git/check?directory=')).toEqual({
      status: 400,
      json: { error: 'directory parameter is required' },
    });
  });
});
