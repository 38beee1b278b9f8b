/**
 * The `chamber` command: flag parsing, refusals (exit 2), start-up in-process with captured
 * output, and the compiled binary when a build exists.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { CliUsageError, main, parseCliArgs, resolveUiPassword, type CliResult } from '../src/index.js';
import { withoutUiPassword } from '../src/cli.js';
import { isAlive, processTree } from '../../../test/support/sockets.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const temps: string[] = [];
const running: CliResult[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-cli-'));
  temps.push(dir);
  return dir;
}

async function run(argv: string[], env: NodeJS.ProcessEnv = {}, cwd?: string) {
  const out: string[] = [];
  const err: string[] = [];
  // The agent has tests of its own (test/agent); here it would only slow every start down.
  const result = await main([...argv, '--no-opencode'], env, {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    cwd,
  });
  if (result.exitCode === null) running.push(result);
  return { result, stdout: () => out.join(''), stderr: () => err.join('') };
}

afterEach(async () => {
  for (const result of running.splice(0)) await result.close?.();
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the UI password and the runtime’s children', () => {
  it('is kept out of the environment shells and OpenCode inherit', () => {
    const env = { PATH: '/bin', OPENCHAMBER_UI_PASSWORD: 'a', OPENCODE_UI_PASSWORD: 'b', HOME: '/h' };
    expect(withoutUiPassword(env)).toEqual({ PATH: '/bin', HOME: '/h' });
    expect(env.OPENCHAMBER_UI_PASSWORD).toBe('a');
  });

  it('reaches no shell started by the server', async () => {
    const home = tempDir();
    // The binary runs with process.env: put the password there, as a user's shell would.
    process.env.OPENCHAMBER_UI_PASSWORD = 'secret-pw';
    try {
      const { result } = await run(['--port', '0'], process.env);
      const runtime = result.runtime!;
      const { sessionId } = await runtime.call('create_terminal_session', { payload: { cwd: home } });
      let output = '';
      const subscription = runtime.subscribe(
        `terminal://${sessionId}`,
        {},
        {
          send: (payload) => {
            const event = payload as { type: string; data?: string };
            if (event.type === 'data') output += event.data;
          },
          end: () => undefined,
        },
      );
      // `$((40+2))` is only expanded by the shell, so `Z-42` marks the command's own output.
      await runtime.call('send_terminal_input', { sessionId, data: 'echo "A${OPENCHAMBER_UI_PASSWORD}Z-$((40+2))"\r' });
      for (let i = 0; i < 400 && !output.includes('Z-42'); i++) await new Promise((r) => setTimeout(r, 25));
      subscription.close();
      expect(output).toContain('AZ-42');
      expect(output).not.toContain('secret-pw');
    } finally {
      delete process.env.OPENCHAMBER_UI_PASSWORD;
    }
  });
});

describe('parseCliArgs', () => {
  it('defaults to 127.0.0.1:3000, open sandbox', () => {
    expect(parseCliArgs([])).toEqual({ kind: 'run', options: { port: 3000, host: '127.0.0.1', roots: [] } });
  });

  it('accepts --flag value, --flag=value and short forms', () => {
    expect(
      parseCliArgs(['--port', '4100', '--host=localhost', '--data-dir', '/d', '--root', '/a', '--root=/b']),
    ).toEqual({
      kind: 'run',
      options: { port: 4100, host: 'localhost', dataDir: '/d', roots: ['/a', '/b'] },
    });
    expect(parseCliArgs(['-p', '0', '--host', '[::1]'])).toEqual({
      kind: 'run',
      options: { port: 0, host: '::1', roots: [] },
    });
    expect(parseCliArgs(['--port=8080'])).toMatchObject({ options: { port: 8080 } });
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['-h'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['--version'])).toEqual({ kind: 'version' });
  });

  it('rejects a bad port instead of falling back to 3000', () => {
    for (const port of ['abc', '-1', '65536', '3.5', '']) {
      expect(() => parseCliArgs([`--port=${port}`]), port).toThrow(CliUsageError);
    }
    expect(() => parseCliArgs(['--port', 'abc'])).toThrow('Invalid port: abc (expected an integer from 0 to 65535)');
    expect(() => parseCliArgs(['--port'])).toThrow('Option --port requires a value');
  });

  it('parses any host (main refuses a non-loopback one without a password)', () => {
    expect(parseCliArgs(['--host', '0.0.0.0'])).toMatchObject({ options: { host: '0.0.0.0' } });
    expect(parseCliArgs(['--host=[::]'])).toMatchObject({ options: { host: '::' } });
  });

  it('takes --ui-password; without a value it is a usage error, not "no password"', () => {
    expect(parseCliArgs(['--ui-password', 's3cret'])).toMatchObject({ options: { uiPassword: 's3cret' } });
    expect(parseCliArgs(['--ui-password=with space'])).toMatchObject({ options: { uiPassword: 'with space' } });
    expect(parseCliArgs(['--ui-password=-dash'])).toMatchObject({ options: { uiPassword: '-dash' } });
    for (const argv of [
      ['--ui-password'],
      ['--ui-password='],
      ['--ui-password', '  '],
      ['--ui-password', '--port', '1'],
    ])
      expect(() => parseCliArgs(argv), argv.join(' ')).toThrow('Option --ui-password requires a value');
    expect(() => parseCliArgs(['--desktop', '--ui-password', 'x'])).toThrow(
      'Option --ui-password cannot be used with --desktop (the desktop opens no port)',
    );
  });

  it('resolves the password: flag, then OPENCHAMBER_UI_PASSWORD, then OPENCODE_UI_PASSWORD (§11), NFC and trimmed', () => {
    const env = { OPENCHAMBER_UI_PASSWORD: 'chamber', OPENCODE_UI_PASSWORD: 'opencode' };
    expect(resolveUiPassword({ uiPassword: ' flag ' }, env)).toBe('flag');
    expect(resolveUiPassword({}, env)).toBe('chamber');
    expect(resolveUiPassword({}, { OPENCODE_UI_PASSWORD: 'opencode' })).toBe('opencode');
    expect(resolveUiPassword({}, { OPENCHAMBER_UI_PASSWORD: '   ', OPENCODE_UI_PASSWORD: 'opencode' })).toBe(
      'opencode',
    );
    expect(resolveUiPassword({}, { OPENCHAMBER_UI_PASSWORD: 'se\u0301cret' })).toBe('s\u00e9cret');
    expect(resolveUiPassword({}, {})).toBeUndefined();
  });

  it('rejects unknown options and stray arguments', () => {
    expect(() => parseCliArgs(['--nope'])).toThrow('Unknown option: --nope');
    expect(() => parseCliArgs(['--nope=1'])).toThrow('Unknown option: --nope');
    expect(() => parseCliArgs(['serve'])).toThrow('Unexpected argument: serve');
  });
});

describe('parseCliArgs --desktop', () => {
  it('takes --desktop with --data-dir and --ui-dir', () => {
    expect(parseCliArgs(['--desktop', '--data-dir', '/d', '--ui-dir=/u'])).toEqual({
      kind: 'run',
      options: { port: 3000, host: '127.0.0.1', roots: [], desktop: true, dataDir: '/d', uiDir: '/u' },
    });
  });

  it('refuses the server-only flags with --desktop, and --ui-dir without it', () => {
    expect(() => parseCliArgs(['--desktop', '--port', '4000'])).toThrow(
      'Option --port cannot be used with --desktop (the desktop opens no port)',
    );
    expect(() => parseCliArgs(['--root', '/r', '--desktop'])).toThrow('Option --root cannot be used with --desktop');
    expect(() => parseCliArgs(['--ui-dir', '/u'])).toThrow('Option --ui-dir needs --desktop');
    expect(() => parseCliArgs(['--desktop=yes'])).toThrow('Option --desktop takes no value');
  });
});

describe('main', () => {
  it('exits 2 with a message and a usage hint for usage mistakes', async () => {
    const unknown = await run(['--nope']);
    expect(unknown.result.exitCode).toBe(2);
    expect(unknown.stderr()).toBe("Unknown option: --nope\nRun 'chamber --help' for usage.\n");
    const refused = await run(['--host', '0.0.0.0']);
    expect(refused.result.exitCode).toBe(2);
    expect(refused.stderr()).toBe(
      'Refusing to listen on 0.0.0.0 without a UI password: set --ui-password or OPENCHAMBER_UI_PASSWORD, or use a loopback address.\n' +
        "Run 'chamber --help' for usage.\n",
    );
    for (const host of ['::', '192.168.1.10', 'example.com']) {
      const other = await run(['--host', host, '--port', '0']);
      expect(other.result.exitCode, host).toBe(2);
      expect(other.stderr()).toContain(`Refusing to listen on ${host} without a UI password`);
    }
    const missingRoot = await run(['--root', path.join(tempDir(), 'absent')]);
    expect(missingRoot.result.exitCode).toBe(2);
    expect(missingRoot.stderr()).toMatch(/--root .*absent is not an existing directory/);
  });

  it('serves a non-loopback host only with a password, from the flag or the environment', async () => {
    const home = tempDir();
    const withFlag = await run(['--host', '0.0.0.0', '--port', '0', '--ui-password', 'pw1'], { HOME: home });
    expect(withFlag.result.exitCode).toBeNull();
    const port = withFlag.result.address?.port;
    expect(withFlag.stdout()).toBe(`Chamber listening on http://0.0.0.0:${port}\n`);
    const local = `http://127.0.0.1:${port}`;
    expect((await fetch(`${local}/api/fs/home`)).status).toBe(401);
    const login = await fetch(`${local}/auth/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ password: 'pw1' }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(await (await fetch(`${local}/api/fs/home`, { headers: { Cookie: cookie } })).json()).toEqual({ home });

    // The flag wins over the environment; the environment alone is enough for a non-loopback host.
    const flagWins = await run(['--port', '0', '--ui-password', 'flag'], {
      HOME: home,
      OPENCHAMBER_UI_PASSWORD: 'env',
    });
    const flagUrl = flagWins.result.address?.url ?? '';
    const wrong = await fetch(`${flagUrl}/auth/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ password: 'env' }),
    });
    expect(wrong.status).toBe(401);
    const fromEnv = await run(['--host', '0.0.0.0', '--port', '0'], { HOME: home, OPENCODE_UI_PASSWORD: 'env2' });
    expect(fromEnv.result.exitCode).toBeNull();
    const envUrl = `http://127.0.0.1:${fromEnv.result.address?.port}`;
    const right = await fetch(`${envUrl}/auth/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'password=env2',
    });
    expect(right.status).toBe(200);

    // Without any password a loopback server stays open, as before.
    const open = await run(['--port', '0'], { HOME: home });
    expect(await (await fetch(`${open.result.address?.url}/auth/session`)).json()).toEqual({
      authenticated: true,
      disabled: true,
    });
  });

  it('prints the usage and the root package version', async () => {
    const help = await run(['--help']);
    expect(help.result.exitCode).toBe(0);
    expect(help.stdout()).toContain('Usage: chamber');
    const version = await run(['--version']);
    const expected = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string })
      .version;
    expect(version.stdout()).toBe(`${expected}\n`);
  });

  it('starts, prints exactly one line, keeps data under HOME and logs JSON to stderr', async () => {
    const home = tempDir();
    const started = await run(['--port', '0'], { HOME: home });
    const address = started.result.address;
    expect(started.result.exitCode).toBeNull();
    expect(started.stdout()).toBe(`Chamber listening on http://127.0.0.1:${address?.port}\n`);
    const base = `http://127.0.0.1:${address?.port}`;
    expect(await (await fetch(`${base}/api/fs/home`)).json()).toEqual({ home });
    const put = await fetch(`${base}/api/config/settings`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: '{"themeId":"cli"}',
    });
    expect(put.status).toBe(200);
    expect(fs.existsSync(path.join(home, '.config', 'openchamber', 'settings.json'))).toBe(true);
    const lines = started
      .stderr()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { message: string });
    expect(lines.map((line) => line.message)).toContain('listening');
  });

  it('honours OPENCHAMBER_DATA_DIR, and --data-dir over it', async () => {
    const home = tempDir();
    const fromEnv = await run(['--port', '0'], { HOME: home, OPENCHAMBER_DATA_DIR: path.join(home, 'env-data') });
    expect(fromEnv.result.runtime?.dataDir).toBe(path.join(home, 'env-data'));
    const fromFlag = await run(
      ['--port', '0', '--data-dir', 'flag-data'],
      { HOME: home, OPENCHAMBER_DATA_DIR: 'x' },
      home,
    );
    expect(fromFlag.result.runtime?.dataDir).toBe(path.join(home, 'flag-data'));
  });

  it('--root confines file access to the given directories', async () => {
    const home = tempDir();
    fs.mkdirSync(path.join(home, 'work'));
    const started = await run(['--port', '0', '--root', 'work'], { HOME: home }, home);
    const base = started.result.address?.url ?? '';
    expect((await fetch(`${base}/api/fs/list?path=${encodeURIComponent(path.join(home, 'work'))}`)).status).toBe(200);
    const outside = await fetch(`${base}/api/fs/list?path=${encodeURIComponent(os.tmpdir())}`);
    expect(outside.status).toBe(403);
  });

  it('--desktop hands over to the desktop package, which reports a missing browser and exits 1', async () => {
    const home = tempDir();
    const ui = tempDir();
    fs.writeFileSync(path.join(ui, 'index.html'), '<!doctype html>');
    const { result, stderr } = await run(['--desktop', '--ui-dir', ui], {
      HOME: home,
      CHAMBER_BROWSER: '/nonexistent/browser',
    });
    expect(result.exitCode).toBe(1);
    expect(stderr()).toContain('CHAMBER_BROWSER=/nonexistent/browser is not an executable file');
    // The failure is in the desktop log too, and the single-instance lock was released.
    const dataDir = path.join(home, '.config', 'openchamber');
    expect(fs.readFileSync(path.join(dataDir, 'logs', 'desktop.log'), 'utf8')).toContain('could not start');
    expect(fs.existsSync(path.join(dataDir, 'desktop.lock'))).toBe(false);
  });

  it('reports a port in use and exits 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const attempt = await run(['--port', String(port)], { HOME: tempDir() });
      expect(attempt.result.exitCode).toBe(1);
      expect(attempt.stderr()).toContain(`Port ${port} is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

const built =
  fs.existsSync(path.join(repoRoot, 'packages/server/dist/index.js')) &&
  fs.existsSync(path.join(repoRoot, 'packages/runtime/dist/index.js'));

describe.skipIf(!built)('bin/chamber.js (after npm run build)', () => {
  // What `npm start` runs, with no OPENCODE_BINARY and no opencode on PATH but the one this project
  // installs: the agent must come up by itself, and a signal must take it down with the server.
  // The real OpenCode also exits by itself when its parent dies; the stand-in binary does not, so
  // the second case proves the server itself ends what it started.
  const cases = [
    { signal: 'SIGTERM', binary: '', name: 'the bundled OpenCode' },
    {
      signal: 'SIGINT',
      binary: path.join(repoRoot, 'test/support/fake-opencode.mjs'),
      name: 'a binary that outlives its parent',
    },
  ] as const;
  for (const { signal, binary, name } of cases) {
    it(`prints the URL, serves, starts ${name}, and on ${signal} exits 0 leaving no process behind`, async () => {
      const home = tempDir();
      const child = spawn(process.execPath, [path.join(repoRoot, 'bin/chamber.js'), '--port', '0'], {
        env: {
          ...process.env,
          HOME: home,
          OPENCHAMBER_DATA_DIR: '',
          XDG_CONFIG_HOME: '',
          XDG_DATA_HOME: '',
          XDG_CACHE_HOME: '',
          XDG_STATE_HOME: '',
          OPENCODE_BINARY: binary,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const lines: string[] = [];
      const waiting = new Map<RegExp, (line: string) => void>();
      readline.createInterface({ input: child.stdout }).on('line', (line) => {
        lines.push(line);
        for (const [pattern, resolve] of waiting) if (pattern.test(line)) resolve(line);
      });
      const nextLine = (pattern: RegExp, ms: number) =>
        new Promise<string>((resolve, reject) => {
          const seen = lines.find((line) => pattern.test(line));
          if (seen) return resolve(seen);
          const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${ms} ms: ${lines.join(' | ')}`)), ms);
          waiting.set(pattern, (line) => (clearTimeout(timer), resolve(line)));
          child.once('exit', () => reject(new Error(`chamber exited: ${lines.join(' | ')}`)));
        });
      try {
        const line = await nextLine(/^Chamber listening on /, 20_000);
        const match = /^Chamber listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
        expect(match).not.toBeNull();
        const url = match![1]!;
        expect(await (await fetch(`${url}/api/fs/home`)).json()).toEqual({ home });
        await nextLine(/^OpenCode ready \(/, 60_000);
        expect(await (await fetch(`${url}/health`)).json()).toMatchObject({ isOpenCodeReady: true });
        expect((await fetch(`${url}/api/agent`)).status).toBe(200);
        const descendants = processTree(child.pid!).filter((pid) => pid !== child.pid);
        expect(descendants.length).toBeGreaterThan(0);
        child.kill(signal);
        expect(await exited).toBe(0);
        for (const pid of descendants) expect(isAlive(pid), `process ${pid} outlived the server`).toBe(false);
      } finally {
        child.kill('SIGKILL');
      }
    }, 90_000);
  }
});

describe('bin/chamber.js before a build', () => {
  it('says to run npm run build first (exit 1), not a module-not-found stack', () => {
    // A copy of the script beside a repository layout without compiled packages.
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'bin'));
    fs.mkdirSync(path.join(root, 'packages', 'server'), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, 'bin/chamber.js'), path.join(root, 'bin/chamber.js'));
    const result = spawnSync(process.execPath, [path.join(root, 'bin/chamber.js'), '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'chamber: the compiled server is missing (packages/server/dist/index.js).\n' +
        `Run \`npm run build\` first (in ${root}), or \`npm start\`, which builds and starts it.\n`,
    );
    expect(result.stdout).toBe('');
  });
});
