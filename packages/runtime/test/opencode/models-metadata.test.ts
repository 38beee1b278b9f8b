import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import {
  MODELS_METADATA_DEFAULT_URL,
  ModelsMetadata,
  modelsMetadataCacheFile,
  modelsMetadataUrl,
  type ModelsMetadataOptions,
} from '../../src/opencode/models-metadata.js';

const CATALOGUE = { anthropic: { id: 'anthropic', models: { 'claude-x': { id: 'claude-x', tool_call: true } } } };

/** What the loopback upstream does with the next requests. */
type Behaviour = 'ok' | 'error' | 'invalid' | 'array' | 'hang' | 'slow-body';

let server: http.Server;
let url: string;
let behaviour: Behaviour;
let requests: { accept: string | undefined }[];
let dataDir: string;
const hanging = new Set<http.ServerResponse>();

beforeEach(async () => {
  behaviour = 'ok';
  requests = [];
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'chamber-models-'));
  server = http.createServer((req, res) => {
    requests.push({ accept: req.headers.accept });
    switch (behaviour) {
      case 'ok':
        // A little later, so concurrent callers really overlap.
        setTimeout(() => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(CATALOGUE)), 20);
        return;
      case 'error':
        res.writeHead(503).end('down');
        return;
      case 'invalid':
        res.writeHead(200).end('{ not json');
        return;
      case 'array':
        res.writeHead(200).end('[1, 2]');
        return;
      case 'hang':
        hanging.add(res);
        return;
      case 'slow-body':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"a":');
        hanging.add(res);
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api.json`;
});

afterEach(async () => {
  for (const res of hanging) res.destroy();
  hanging.clear();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await fs.rm(dataDir, { recursive: true, force: true });
});

function source(options: Partial<ModelsMetadataOptions> = {}): ModelsMetadata {
  return new ModelsMetadata({ url, cacheFile: modelsMetadataCacheFile(dataDir), logger: silentLogger, ...options });
}

async function failureOf(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const { status, message } = error as { status: number; message: string };
    return { status, message };
  }
  throw new Error('expected a failure');
}

describe('ModelsMetadata', () => {
  it('fetches with Accept: application/json and answers upstream JSON', async () => {
    expect(await source().get()).toEqual(CATALOGUE);
    expect(requests).toEqual([{ accept: 'application/json' }]);
  });

  it('serves a fresh copy from memory for 5 minutes, then fetches again', async () => {
    let now = 1_000_000;
    const metadata = source({ now: () => now });
    await metadata.get();
    now += 5 * 60_000 - 1;
    await metadata.get();
    expect(requests).toHaveLength(1);
    now += 1;
    await metadata.get();
    expect(requests).toHaveLength(2);
  });

  it('coalesces concurrent misses into one fetch', async () => {
    const metadata = source();
    const answers = await Promise.all(Array.from({ length: 10 }, () => metadata.get()));
    expect(requests).toHaveLength(1);
    for (const answer of answers) expect(answer).toEqual(CATALOGUE);
  });

  it('serves the stale copy when a refresh fails', async () => {
    let now = 0;
    const metadata = source({ now: () => now });
    await metadata.get();
    behaviour = 'error';
    now += 10 * 60_000;
    expect(await metadata.get()).toEqual(CATALOGUE);
    expect(requests).toHaveLength(2);
  });

  it('keeps the last good answer on disk and serves it when offline with nothing in memory', async () => {
    await source().get();
    expect(JSON.parse(await fs.readFile(modelsMetadataCacheFile(dataDir), 'utf8'))).toEqual(CATALOGUE);
    const offline = source({ url: 'http://127.0.0.1:9/api.json' });
    expect(await offline.get()).toEqual(CATALOGUE);
  });

  it('tries the network again on the next call after serving the disk copy', async () => {
    await fs.writeFile(modelsMetadataCacheFile(dataDir), JSON.stringify({ old: { models: {} } }));
    behaviour = 'error';
    const metadata = source();
    expect(await metadata.get()).toEqual({ old: { models: {} } });
    behaviour = 'ok';
    expect(await metadata.get()).toEqual(CATALOGUE);
    expect(requests).toHaveLength(2);
  });

  it.each<[Behaviour]>([['error'], ['invalid'], ['array']])(
    'answers 502 when upstream fails (%s) and no copy exists',
    async (failing) => {
      behaviour = failing;
      expect(await failureOf(source().get())).toEqual({ status: 502, message: 'Failed to retrieve model metadata' });
      await expect(fs.stat(modelsMetadataCacheFile(dataDir))).rejects.toThrow();
    },
  );

  it('answers 502 for an unreachable source', async () => {
    const metadata = source({ url: 'http://127.0.0.1:9/api.json' });
    expect(await failureOf(metadata.get())).toEqual({ status: 502, message: 'Failed to retrieve model metadata' });
  });

  it.each<[Behaviour]>([['hang'], ['slow-body']])(
    'answers 504 when the request or the body outlasts the timeout (%s)',
    async (slow) => {
      behaviour = slow;
      const started = Date.now();
      expect(await failureOf(source({ timeoutMs: 200 }).get())).toEqual({
        status: 504,
        message: 'Failed to retrieve model metadata',
      });
      expect(Date.now() - started).toBeLessThan(5_000);
    },
  );

  it('ignores a corrupt disk copy', async () => {
    await fs.writeFile(modelsMetadataCacheFile(dataDir), '{ torn');
    behaviour = 'error';
    expect(await failureOf(source().get())).toEqual({ status: 502, message: 'Failed to retrieve model metadata' });
  });
});

describe('modelsMetadataUrl', () => {
  it('is models.dev unless CHAMBER_MODELS_METADATA_URL is set and not blank', () => {
    expect(modelsMetadataUrl({})).toBe(MODELS_METADATA_DEFAULT_URL);
    expect(MODELS_METADATA_DEFAULT_URL).toBe('https://models.dev/api.json');
    expect(modelsMetadataUrl({ CHAMBER_MODELS_METADATA_URL: '  ' })).toBe(MODELS_METADATA_DEFAULT_URL);
    expect(modelsMetadataUrl({ CHAMBER_MODELS_METADATA_URL: ' http://mirror/api.json ' })).toBe(
      'http://mirror/api.json',
    );
  });
});
