/**
 * `git push --porcelain --verbose`: stdout holds `To <url>`, one `<flag>\t<from>:<to>\t<summary>`
 * line per ref and `Done`; stderr holds `Pushing to <url>` and `updating local tracking ref '<ref>'`.
 * Unlike the reference (simple-git), ordinary fast-forwards (flag ' ') and forced updates ('+')
 * are listed too, so a successful everyday push no longer answers `pushed: []` (git.md §5.2).
 */
import type { GitPushedRef, GitPushResult } from '@chamber/contract';

const REF_LINE = /^([ +\-*=])\t([^\t]*):([^\t]*)\t(.*)$/;

export function parsePushOutput(stdout: string, stderr: string): GitPushResult {
  const pushed: GitPushedRef[] = [];
  for (const line of stdout.split('\n')) {
    const match = REF_LINE.exec(line);
    if (!match) continue;
    const [, flag = ' ', local = '', remote = ''] = match;
    const tag = remote.startsWith('refs/tags/') || local.startsWith('refs/tags/');
    pushed.push({
      deleted: flag === '-',
      tag,
      branch: !tag && (remote.startsWith('refs/heads/') || local.startsWith('refs/heads/')),
      new: flag === '*',
      alreadyUpdated: flag === '=',
      local,
      remote,
    });
  }
  const result: GitPushResult = { success: true, pushed };
  const repo = /^Pushing to (.+)$/m.exec(stderr)?.[1];
  if (repo !== undefined) result.repo = repo;
  // The last tracking ref git reports, as simple-git kept it.
  const tracking = [...stderr.matchAll(/updating local tracking ref '([^']+)'/g)].pop()?.[1];
  if (tracking !== undefined) result.ref = { local: tracking };
  return result;
}
