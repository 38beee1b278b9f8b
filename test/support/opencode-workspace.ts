/**
 * A throw-away HOME and workspace for running the real OpenCode binary against the fake model
 * (fake-model.ts), plus the environment to spawn it with. Nothing touches the real home: HOME and
 * every XDG directory point inside the temp root, and OPENCODE_* variables from the developer's
 * shell (a custom config, a server password) are dropped.
 *
 * Start-up facts (opencode 1.18.33, measured on a loaded 2-CPU box, so timings are noisy):
 * - Spawn to the "listening" line takes ~1.1-4.5 s (usually ~1.5-3 s) with or without the flags
 *   below; `--pure`/OPENCODE_PURE and OPENCODE_DISABLE_MODELS_FETCH change it less than the noise.
 *   The first request naming the directory then loads the instance (~0.1-0.5 s).
 * - On that first instance load OpenCode runs its embedded npm (arborist) in the background to
 *   install `@opencode-ai/plugin` into every config directory (~/.config/opencode, and any
 *   `.opencode/` in the project): package.json, package-lock.json and ~64 MB of node_modules from
 *   registry.npmjs.org, for 5-12 s. `--pure` does not stop it. Worse, while it runs SIGTERM does not
 *   end OpenCode (it waits for the install; seen alive minutes later), so a test's teardown needs
 *   SIGKILL. The install is skipped when the directory already has `node_modules/` and both
 *   package.json and package-lock.json list the package (names are compared, not versions), so we
 *   pre-seed those: no network, no CPU taken from the tests, and SIGTERM exits in ~50 ms.
 * - Without network OpenCode logs "Failed to fetch models.dev" (GET models.opencode.ai/api.json)
 *   and retries; OPENCODE_DISABLE_MODELS_FETCH=1 stops that. The custom provider does not need it.
 *   OPENCODE_DISABLE_LSP_DOWNLOAD / OPENCODE_DISABLE_AUTOUPDATE are set for the same reason (no
 *   downloads), with `lsp: false` and `formatter: false` below.
 * - The config keys used (`provider`, `model`, `small_model`, `enabled_providers`, `share`,
 *   `autoupdate`, `lsp`, `formatter`, `permission`) are in the 1.18 schema (GET /doc → Config).
 *   `"permission": {"edit": "ask"}` makes the write/edit tools raise `permission.asked`
 *   (permission "edit"); the default for edit is allow.
 * - A workspace that is not a git repository is project "global" with worktree "/", so permission
 *   `patterns` are the absolute path without its leading slash ("tmp/…/workspace/hello.txt"). In
 *   a git repository (checked: `git init` + one commit before starting OpenCode) they are
 *   repo-relative ("hello.txt").
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export type PermissionAction = 'allow' | 'ask' | 'deny';
/** OpenCode's `permission` config: one action for all, or per permission (optionally per pattern). */
export type PermissionConfig = PermissionAction | Record<string, PermissionAction | Record<string, PermissionAction>>;

export interface OpenCodeWorkspaceOptions {
  /** The fake model's `baseURL` (http://127.0.0.1:<port>/v1). */
  baseURL: string;
  /** Default `{ edit: 'ask' }`: file writes wait for a permission reply. Use 'allow' to skip asking. */
  permission?: PermissionConfig;
  /** Extra top-level config keys, merged over the defaults. */
  config?: Record<string, unknown>;
  /** Where opencode.json goes: the workspace (project config, default) or ~/.config/opencode. */
  configIn?: 'workspace' | 'global';
  /** Files to create in the workspace, by relative path. */
  files?: Record<string, string>;
  /** Sets OPENCODE_SERVER_PASSWORD in `env` (requests then need Basic auth, user `opencode`). */
  password?: string;
}

export interface OpenCodeWorkspace {
  /** The temp root holding both directories below. */
  root: string;
  /** HOME for OpenCode (its config, data, cache and state all live under it). */
  home: string;
  /** The project directory: spawn OpenCode here and pass it as `?directory=`. */
  directory: string;
  /** The opencode.json written. */
  configPath: string;
  /** The environment to spawn OpenCode with (process.env minus OPENCODE_*, plus the isolation). */
  env: NodeJS.ProcessEnv;
  /** OpenCode's own log files, concatenated: worth printing when a test fails. */
  readLogs(): Promise<string>;
  /** Removes everything; call after the OpenCode process is gone. */
  cleanup(): Promise<void>;
}

export const FAKE_PROVIDER_ID = 'fake';
export const FAKE_MODEL_ID = 'm1';

export async function createOpenCodeWorkspace(options: OpenCodeWorkspaceOptions): Promise<OpenCodeWorkspace> {
  // realpath: OpenCode reports canonical paths (macOS /var → /private/var), tests compare against them.
  const root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'chamber-oc-fake-')));
  const home = path.join(root, 'home');
  const directory = path.join(root, 'workspace');
  const xdg = {
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
  };
  const globalConfigDir = path.join(xdg.XDG_CONFIG_HOME, 'opencode');
  await fs.mkdir(directory, { recursive: true });
  for (const dir of Object.values(xdg)) await fs.mkdir(dir, { recursive: true });
  await seedPluginDependency(globalConfigDir);

  const config = {
    $schema: 'https://opencode.ai/config.json',
    provider: {
      [FAKE_PROVIDER_ID]: {
        npm: '@ai-sdk/openai-compatible',
        name: 'Fake model',
        options: { baseURL: options.baseURL, apiKey: 'fake-key' },
        models: { [FAKE_MODEL_ID]: { name: 'Fake model 1' } },
      },
    },
    model: `${FAKE_PROVIDER_ID}/${FAKE_MODEL_ID}`,
    // Title generation goes to the same fake (it answers those with a fixed title).
    small_model: `${FAKE_PROVIDER_ID}/${FAKE_MODEL_ID}`,
    // Only the fake: an API key in the developer's environment must not add providers to lists.
    enabled_providers: [FAKE_PROVIDER_ID],
    share: 'disabled',
    autoupdate: false,
    // No language servers or formatters: they would be looked up/downloaded when a tool writes a file.
    lsp: false,
    formatter: false,
    permission: options.permission ?? { edit: 'ask' },
    ...options.config,
  };
  const configPath = path.join(options.configIn === 'global' ? globalConfigDir : directory, 'opencode.json');
  await fs.writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  for (const [relative, content] of Object.entries(options.files ?? {})) {
    const file = path.join(directory, relative);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
  }

  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OPENCODE_')));
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    HOME: home,
    USERPROFILE: home,
    ...xdg,
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    ...(options.password === undefined ? {} : { OPENCODE_SERVER_PASSWORD: options.password }),
  };

  return {
    root,
    home,
    directory,
    configPath,
    env,
    async readLogs() {
      const logDir = path.join(xdg.XDG_DATA_HOME, 'opencode', 'log');
      const names = await fs.readdir(logDir).catch(() => []);
      const texts = await Promise.all(names.map((name) => fs.readFile(path.join(logDir, name), 'utf8')));
      return texts.join('\n');
    },
    async cleanup() {
      // Retries: a just-killed OpenCode may still be flushing its database files.
      await fs.rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}

/** Makes OpenCode's background `npm install @opencode-ai/plugin` into `dir` a no-op (see header). */
async function seedPluginDependency(dir: string): Promise<void> {
  const dependencies = { '@opencode-ai/plugin': '*' };
  await fs.mkdir(path.join(dir, 'node_modules'), { recursive: true });
  await fs.writeFile(path.join(dir, 'package.json'), `${JSON.stringify({ dependencies }, null, 2)}\n`);
  await fs.writeFile(
    path.join(dir, 'package-lock.json'),
    `${JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies } } }, null, 2)}\n`,
  );
}
