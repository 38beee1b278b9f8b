/**
 * Scenario 3: concurrent saves and commits.
 *
 * Settings: N saves at once, each choosing its own `lastDirectory` (which the merge also appends
 * to `approvedDirectories`, so every save must survive in that one list), plus one save per
 * distinct whitelisted key and typography size, all in flight together. Lost updates = values
 * missing afterwards. No `settings.json.lock` or temp file may stay.
 *
 * Commits: N commits at once on a real repository, each of its own new file. Each must be
 * present with exactly its file, or be cleanly refused (a JSON 4xx/5xx); `git fsck` must pass and
 * no `index.lock` may stay.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SoakServer, buildLayout, git, newResult, request, write, type Log, type ScenarioResult } from './harness.js';

const JSON_HEADERS = { 'Content-Type': 'application/json' };

const STRING_KEYS = ['themeId', 'lightThemeId', 'darkThemeId', 'uiFont', 'monoFont', 'markdownDisplayMode'];
const TYPOGRAPHY_KEYS = ['markdown', 'code', 'uiHeader', 'uiLabel', 'meta', 'micro'];

export async function soakConcurrency(
  options: { settingsSaves: number; commits: number; source?: boolean },
  log: Log,
): Promise<ScenarioResult> {
  const result = newResult('concurrent saves and commits');
  const layout = buildLayout('chamber-soak-concurrency-');
  const server = await SoakServer.start({
    home: layout.home,
    data: layout.data,
    cwd: layout.root,
    source: options.source,
  });
  try {
    // Settings.
    const directories = Array.from({ length: options.settingsSaves }, (_, i) => path.join(layout.root, `dir-${i}`));
    const saves: Record<string, unknown>[] = [
      ...directories.map((dir) => ({ lastDirectory: dir })),
      ...STRING_KEYS.map((key) => ({ [key]: `soak-${key}` })),
      ...TYPOGRAPHY_KEYS.map((key) => ({ typographySizes: { [key]: `${10 + key.length}px` } })),
    ];
    const started = performance.now();
    const answers = await Promise.all(
      saves.map((changes) =>
        request(server.port, 'PUT', '/api/config/settings', {
          headers: JSON_HEADERS,
          body: JSON.stringify(changes),
          timeoutMs: 30_000,
        })
          .then((response) => response.status)
          .catch((error: Error) => error.message),
      ),
    );
    const settingsMs = performance.now() - started;
    const failed = answers.filter((status) => status !== 200);
    const settings = JSON.parse((await request(server.port, 'GET', '/api/config/settings')).text) as Record<
      string,
      unknown
    >;
    const approved = new Set(settings.approvedDirectories as string[]);
    let lost = directories.filter((dir) => !approved.has(dir)).length;
    lost += STRING_KEYS.filter((key) => settings[key] !== `soak-${key}`).length;
    const typography = (settings.typographySizes ?? {}) as Record<string, string>;
    lost += TYPOGRAPHY_KEYS.filter((key) => typography[key] !== `${10 + key.length}px`).length;
    const leftovers = fs.readdirSync(layout.data).filter((name) => name !== 'settings.json' && /settings/.test(name));
    log(`  ${saves.length} concurrent settings saves in ${settingsMs.toFixed(0)} ms`);
    result.figures['settings saves'] = saves.length;
    result.figures['settings saves refused'] = failed.length;
    result.figures['lost updates'] = lost;
    if (failed.length) result.violations.push(`settings saves refused: ${[...new Set(failed)].join(', ')}`);
    if (lost) result.violations.push(`lost updates: ${lost} of ${saves.length} saved values missing`);
    if (leftovers.length) result.violations.push(`settings lock/temp files left: ${leftovers.join(', ')}`);

    // Commits.
    const files = Array.from({ length: options.commits }, (_, i) => `concurrent-${i}.txt`);
    for (const file of files) write(path.join(layout.root, file), `${file}\n`);
    const directory = encodeURIComponent(layout.root);
    const commitStarted = performance.now();
    const commits = await Promise.all(
      files.map((file) =>
        request(server.port, 'POST', `/api/git/commit?directory=${directory}`, {
          headers: JSON_HEADERS,
          body: JSON.stringify({ message: `soak: add ${file}`, files: [file] }),
          timeoutMs: 60_000,
        }).catch((error: Error) => ({ status: 0, text: error.message, headers: {}, ms: 0 })),
      ),
    );
    const commitMs = performance.now() - commitStarted;
    let committed = 0;
    let refused = 0;
    let unclean = 0;
    let wrong = 0;
    const refusals = new Set<string>();
    for (const [i, response] of commits.entries()) {
      const file = files[i] as string;
      if (response.status === 200) {
        committed++;
        const hash = git(layout.root, 'log', '--format=%H', '--fixed-strings', `--grep=soak: add ${file}`).trim();
        const changed = hash ? git(layout.root, 'show', '--name-only', '--format=', hash).trim() : '';
        if (changed !== file) {
          wrong++;
          result.violations.push(
            `commit of ${file}: ${hash ? `holds [${changed.replace(/\n/g, ', ')}]` : 'missing from the log'}`,
          );
        }
      } else {
        refused++;
        refusals.add(`${response.status} ${response.text.slice(0, 160)}`);
        let json = false;
        try {
          json = typeof (JSON.parse(response.text) as { error?: unknown }).error === 'string';
        } catch {
          // not JSON
        }
        if (!json || response.status < 400) {
          unclean++;
          result.violations.push(
            `commit of ${file} refused uncleanly: ${response.status} ${response.text.slice(0, 160)}`,
          );
        }
      }
    }
    let fsck = 'ok';
    try {
      git(layout.root, 'fsck', '--full', '--strict');
    } catch (error) {
      fsck = (error as { stderr?: string }).stderr?.slice(0, 300) ?? 'failed';
      result.violations.push(`git fsck: ${fsck}`);
    }
    for (const refusal of refusals) result.notes.push(`commit refused: ${refusal}`);
    const lock = fs.existsSync(path.join(layout.root, '.git/index.lock'));
    if (lock) result.violations.push('index.lock left behind');
    log(`  ${files.length} concurrent commits in ${commitMs.toFixed(0)} ms`);
    Object.assign(result.figures, {
      commits: files.length,
      'commits made': committed,
      'commits refused (clean)': refused - unclean,
      'commits wrong or missing': wrong,
      fsck,
      'index.lock left': lock ? 1 : 0,
    });
    result.figures['lost updates'] = (result.figures['lost updates'] as number) + wrong;
    if (server.crashed) result.violations.push('crash: the server died');
    result.figures.crashes = server.crashed ? 1 : 0;
  } finally {
    await server.stop();
    layout.cleanup();
  }
  return result;
}
