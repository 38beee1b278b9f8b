/**
 * Scenario 1: hostile paths and bodies (attacks.ts) on every route of the command table, in open
 * mode and under `--root`.
 *
 * Invariants: no 5xx without an explanation (OpenCode off, an upstream that cannot be reached),
 * no request without an answer within the deadline, the server never dies, and, confined, no
 * "escape": no answer holds a planted secret or the canary's name, no terminal starts outside the
 * root, nothing outside the root is created, changed or removed, and nothing anywhere is made by
 * an option smuggled into git (`--output=…`, `--upload-pack=…`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PWNED, attacksFor, hostileValues, liveSession, plausibleArguments, type Attack } from './attacks.js';
import {
  RequestTimeout,
  SoakServer,
  buildLayout,
  childrenOf,
  cwdOf,
  newResult,
  pool,
  request,
  snapshot,
  snapshotChanges,
  type Log,
  type ScenarioResult,
  type SoakLayout,
  type SoakResponse,
} from './harness.js';
import { KNOWN_DEFECTS } from './known-defects.js';
import { isStateChanging, soakRoutes, type SoakRoute } from './routes.js';

export interface HostileOptions {
  /** Leave out the attacks that trigger a known defect (the test subset; the soak runs them). */
  avoidKnownDefects?: boolean;
  /** Hostile values tried per argument (all when undefined). */
  valuesPerArg?: number;
  /** Requests in flight at once. */
  concurrency: number;
  timeoutMs: number;
  source?: boolean;
  /** Run the server with this OpenCode (see ServerOptions.opencode) instead of `--no-opencode`. */
  opencode?: string;
  /** Only the agent's routes (its config, reload, directory) and the pass-through to it. */
  agentRoutesOnly?: boolean;
}

/** The command routes that drive the agent: its agents and commands, the reload, its directory. */
const AGENT_ROUTE = /^\/api\/(config\/(agents|commands)\/|config\/reload$|opencode\/)/;

/**
 * The pass-through (every `/api` path the command table does not answer goes to OpenCode), as
 * routes the attacks can fill: a path parameter, a query and a whole body reach the agent as sent.
 */
const PASS_THROUGH_ROUTES: SoakRoute[] = [
  {
    name: 'pass-through:get',
    binding: { method: 'GET', path: '/api/session/:id', args: { id: { from: 'param', name: 'id' } } },
  },
  {
    name: 'pass-through:query',
    binding: { method: 'GET', path: '/api/file', args: { path: { from: 'query', names: ['path'] } } },
  },
  {
    name: 'pass-through:post',
    binding: {
      method: 'POST',
      path: '/api/session/:id/message',
      args: { id: { from: 'param', name: 'id' }, body: { from: 'body-whole' } },
    },
  },
  { name: 'pass-through:echo', binding: { method: 'PUT', path: '/api/echo', args: { body: { from: 'body-whole' } } } },
];

/** The routes a hostile run attacks: all of the table, or the agent's and the pass-through. */
function hostileRoutes(options: HostileOptions): SoakRoute[] {
  if (!options.agentRoutesOnly) return soakRoutes();
  return [...soakRoutes().filter((route) => AGENT_ROUTE.test(route.binding.path)), ...PASS_THROUGH_ROUTES];
}

/** The git commands: their routes live under /api/git and /api/chamber/git. */
const gitCommandNames = new Set(
  soakRoutes()
    .filter((route) => /^\/api\/(chamber\/)?git\//.test(route.binding.path))
    .map((route) => route.name),
);

/** A 500 that is a crash in our code (a JS exception or a raw Node error), whatever the route. */
const CRASH_SIGNATURE =
  /TypeError|ReferenceError|RangeError|SyntaxError|Cannot read propert|is not a function|is not iterable|\bundefined\b|\bE[A-Z]{3,}\b:/;

/**
 * 5xx answers the contract documents, which are not defects: the agent is off (503), an upstream
 * cannot be reached (502/504, and the AI features' 500 "could not reach …", docs/compatibility.md),
 * git's own failure text (git.md §1: every git failure is a 500 carrying git's output, and a
 * missing directory is 500 `Cannot use simple-git …`), and the config routes' pinned 500s
 * (settings-config-prompts.md: `Agent <name> already exists as .md file`, `Command "<name>" not
 * found`).
 */
function documented5xx(route: string, response: SoakResponse): boolean {
  let message: string;
  try {
    message = String((JSON.parse(response.text) as { error?: unknown }).error ?? '');
  } catch {
    return false; // not even JSON
  }
  if (response.status === 503 && /OpenCode/i.test(message)) return true;
  if (response.status === 502 || response.status === 504) return true;
  if (response.status !== 500 || CRASH_SIGNATURE.test(message)) return false;
  if (/could not reach|did not answer within/.test(message)) return true;
  if (gitCommandNames.has(route)) return true;
  // …and, agent on: an agent the restarted OpenCode does not list (the fake lists only `build`).
  return /already exists (as \.md file|in opencode\.json)|^(Agent|Command) "[^"]*" not found$|^Agent "[^"]*" not available after OpenCode restart$/.test(
    message,
  );
}

interface HostileTally {
  requests: number;
  unexplained5xx: string[];
  hangs: string[];
  wedged: string[];
  resets: string[];
  escapes: string[];
  crashes: string[];
  statuses: Map<number, number>;
  documented5xx: number;
  /** 503 "OpenCode …" while the agent runs (it restarts after every config change). */
  agent503: number;
  agentNotReady: number;
  openSecretReads: number;
  nonJsonErrors: number;
}

async function runMode(mode: 'open' | 'root', options: HostileOptions, log: Log, tally: HostileTally): Promise<void> {
  const layout = buildLayout(`chamber-soak-hostile-${mode}-`);
  const roots = mode === 'root' ? [layout.root] : [];
  const start = async (): Promise<SoakServer> => {
    const started = await SoakServer.start({
      home: layout.home,
      data: layout.data,
      roots,
      cwd: layout.root,
      source: options.source,
      opencode: options.opencode,
    });
    if (options.opencode && !(await started.waitForAgent())) tally.agentNotReady++;
    return started;
  };
  let server = await start();
  const before = snapshot(layout.base);
  const tmpBefore = new Set(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('chamber-soak-escape-')));
  try {
    const values = hostileValues(layout).slice(0, options.valuesPerArg);
    // A live session, so input and resize reach a real PTY (its input never holds a line end:
    // nothing typed runs).
    const sessionId = await liveSession(server.port, layout.root);
    const defaults: Record<string, unknown> = { id: 'soak', body: {}, ...plausibleArguments(layout, sessionId) };
    const attacks = hostileRoutes(options)
      .flatMap((route) => attacksFor(defaults, route, values))
      .filter((attack) => !(attack.route === 'send_terminal_input' && /[\r\n]/.test(String(attack.body))))
      .filter((attack) => !options.avoidKnownDefects || !KNOWN_DEFECTS.some((defect) => defect.matches(attack)));
    // A server that died, or stopped answering even /health (wedged), is counted once and
    // replaced; requests in flight meanwhile fail and are not counted again.
    let recovering: Promise<void> | null = null;
    const recover = (where: string): Promise<void> => {
      recovering ??= (async () => {
        const answers = await request(server.port, 'GET', '/health', { timeoutMs: 5_000 }).then(
          (response) => response.status === 200,
          () => false,
        );
        if (answers && !server.exited) return;
        if (server.crashed) {
          tally.crashes.push(
            `${where}: exit ${server.exited?.code ?? server.exited?.signal}\n${server.tail.slice(-10).join('\n')}`,
          );
        } else {
          tally.wedged.push(`${where}: /health unanswered 5 s after a request hung`);
          server.child.kill('SIGKILL');
        }
        await server.stop();
        server = await start();
        defaults.sessionId = await liveSession(server.port, layout.root);
      })().finally(() => (recovering = null));
      return recovering;
    };
    const started = performance.now();
    const inFlight = new Set<Attack>();
    const progress = process.env.SOAK_DEBUG
      ? setInterval(
          () =>
            console.log(`PROGRESS ${tally.requests} ${[...inFlight].map((a) => `${a.route}:${a.label}`).join(' | ')}`),
          5_000,
        )
      : undefined;
    await pool(attacks, options.concurrency, async (attack) => {
      inFlight.add(attack);
      try {
        await attackOnce(attack);
      } finally {
        inFlight.delete(attack);
      }
    });
    clearInterval(progress);
    async function attackOnce(attack: Attack): Promise<void> {
      const where = `${mode} ${attack.method} ${attack.target.slice(0, 120)} [${attack.route}: ${attack.label}]`;
      tally.requests++;
      let response: SoakResponse;
      try {
        response = await request(server.port, attack.method, attack.target, {
          headers: attack.headers,
          body: attack.body,
          timeoutMs: options.timeoutMs,
        });
      } catch (error) {
        if (recovering) return;
        if (error instanceof RequestTimeout) tally.hangs.push(where);
        else if (!server.exited) tally.resets.push(`${where}: ${(error as Error).message}`);
        await recover(where);
        return;
      }
      tally.statuses.set(response.status, (tally.statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500 && documented5xx(attack.route, response)) {
        tally.documented5xx++;
        if (options.opencode && response.status === 503) tally.agent503++;
      } else if (response.status >= 500) {
        tally.unexplained5xx.push(`${where} → ${response.status} ${response.text.slice(0, 200)}`);
        if (process.env.SOAK_DEBUG)
          console.log(`5XX ${attack.route} ${response.status} ${response.text.slice(0, 100)}`);
      }
      const isJson = String(response.headers['content-type']).startsWith('application/json');
      if (response.status >= 400 && !isJson) tally.nonJsonErrors++;
      // Unconfined, the same values must reach the secret: proof that the escape check can see.
      if (mode === 'open' && response.text.includes(layout.secret)) tally.openSecretReads++;
      if (mode === 'root') {
        if (response.text.includes(layout.secret)) tally.escapes.push(`${where}: answer holds the secret`);
        if (response.text.includes(layout.canary)) tally.escapes.push(`${where}: answer lists the outside directory`);
      }
      if (attack.route === 'create_terminal_session' && response.status < 300) {
        const id = (JSON.parse(response.text) as { sessionId?: string }).sessionId;
        // Where its shell really runs: the server's children's working directories.
        const outside = childrenOf(server.pid)
          .map(cwdOf)
          .filter((cwd): cwd is string => cwd !== null && !isInside(cwd, layout.root));
        if (mode === 'root' && outside.length) tally.escapes.push(`${where}: a shell runs in ${outside.join(', ')}`);
        if (id)
          await request(server.port, 'DELETE', `/api/terminal/${encodeURIComponent(id)}`, { timeoutMs: 5_000 }).catch(
            () => undefined,
          );
      }
    }
    const seconds = (performance.now() - started) / 1000;
    log(`  ${mode}: ${attacks.length} requests in ${seconds.toFixed(1)} s`);
    if (server.crashed) tally.crashes.push(`${mode}: died after the last request`);
    // Only where the smuggled option points: a file or directory so named inside the root is
    // what a request legitimately asked to create (`mkdir --output=…` is a valid name).
    const pwned = fs.readdirSync(layout.outside).filter((name) => name.startsWith(PWNED));
    for (const name of pwned)
      tally.escapes.push(`${mode}: git option injection created ${path.join(layout.outside, name)}`);
    if (mode === 'root') {
      const changes = snapshotChanges(before, snapshot(layout.base)).filter(
        (change) => !isAllowedWrite(change, layout),
      );
      for (const change of changes) tally.escapes.push(`root: outside the root: ${change}`);
      const madeInTmp = fs
        .readdirSync(os.tmpdir())
        .filter((name) => name.startsWith('chamber-soak-escape-') && !tmpBefore.has(name));
      for (const name of madeInTmp) tally.escapes.push(`root: created ${path.join(os.tmpdir(), name)}`);
    }
    for (const name of fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('chamber-soak-escape-'))) {
      if (!tmpBefore.has(name)) fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
  } finally {
    await server.stop();
    layout.cleanup();
  }
}

function isInside(file: string, dir: string): boolean {
  return file === dir || file.startsWith(`${dir}/`);
}

/** Writes Chamber legitimately makes outside the root: its data directory, the agent's config in HOME. */
function isAllowedWrite(change: string, layout: SoakLayout): boolean {
  const file = change.slice(change.indexOf(' ') + 1);
  const allowed = [
    layout.root,
    layout.data,
    path.join(layout.home, '.config'),
    path.join(layout.home, '.cache'),
    path.join(layout.home, '.local'),
  ];
  return allowed.some((dir) => file === dir || file.startsWith(`${dir}/`));
}

/**
 * An agent create or update waits for the restarted OpenCode to list the agent, 15 s at most
 * (settings-config-prompts.md), before its documented 500: the deadline must outlast that wait.
 */
const AGENT_CHECK_MS = 15_000;

export async function soakHostile(options: HostileOptions, log: Log): Promise<ScenarioResult> {
  if (options.opencode) options = { ...options, timeoutMs: Math.max(options.timeoutMs, AGENT_CHECK_MS + 15_000) };
  const result = newResult(options.opencode ? 'hostile paths and bodies, agent on' : 'hostile paths and bodies');
  const tally: HostileTally = {
    requests: 0,
    unexplained5xx: [],
    hangs: [],
    wedged: [],
    resets: [],
    escapes: [],
    crashes: [],
    statuses: new Map(),
    documented5xx: 0,
    agent503: 0,
    agentNotReady: 0,
    openSecretReads: 0,
    nonJsonErrors: 0,
  };
  const routes = hostileRoutes(options);
  log(
    `  ${routes.length} routes from the contract (${routes.filter((r) => isStateChanging(r.binding)).length} state-changing)`,
  );
  for (const mode of ['open', 'root'] as const) await runMode(mode, options, log, tally);
  result.figures = {
    routes: routes.length,
    requests: tally.requests,
    'unexplained 5xx': tally.unexplained5xx.length,
    'documented 5xx (git output, agent off, upstream unreachable)': tally.documented5xx,
    ...(options.opencode ? { 'of which 503 from the agent (restarting after a config change)': tally.agent503 } : {}),
    hangs: tally.hangs.length,
    'server wedged': tally.wedged.length,
    crashes: tally.crashes.length,
    escapes: tally.escapes.length,
    'secret read in open mode (the escape check sees)': tally.openSecretReads,
    'connection resets': tally.resets.length,
    'error answers not JSON': tally.nonJsonErrors,
    statuses: [...tally.statuses]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status}×${n}`)
      .join(' '),
  };
  const cap = (list: string[], what: string) => {
    for (const item of list.slice(0, 15)) result.violations.push(`${what}: ${item}`);
    if (list.length > 15) result.violations.push(`${what}: … and ${list.length - 15} more`);
  };
  cap(tally.unexplained5xx, 'unexplained 5xx');
  cap(tally.hangs, 'hang');
  cap(tally.wedged, 'server wedged');
  cap(tally.crashes, 'crash');
  cap(tally.escapes, 'escape');
  if (tally.agentNotReady) result.violations.push(`the agent did not become ready (${tally.agentNotReady} start(s))`);
  // Only the full table holds routes that read files; the agent's routes alone never show the secret.
  if (tally.openSecretReads === 0 && !options.agentRoutesOnly) {
    result.violations.push('blind escape check: no answer held the secret even in open mode');
  }
  for (const reset of tally.resets.slice(0, 5)) result.notes.push(`connection reset: ${reset}`);
  return result;
}
