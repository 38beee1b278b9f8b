/**
 * What refine and preview read from the workspace (settings-config-prompts.md §4.2, §4.3):
 * `AGENTS.md` and `README.md` of the directory itself, and, on request, the diff of every changed
 * file. The directory has already passed the sandbox; nothing here looks above it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { GitService } from '../git/service.js';
import { getDiff } from '../git/diff.js';
import { GitRepo } from '../git/repo.js';
import { getStatus } from '../git/status.js';
import type { Logger } from '../logger.js';
import { LIMITS } from './assemble.js';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** `### <name>\n\n<content trimmed>`, or '' when the file is missing, empty or unreadable. */
async function contextBlock(directory: string, name: string, logger: Logger): Promise<string> {
  let content: string;
  try {
    content = (await fs.readFile(path.join(directory, name), 'utf8')).trim();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      logger.log('warn', 'Could not read project context', { file: name, directory, error: message(error) });
    }
    return '';
  }
  return content ? `### ${name}\n\n${content}` : '';
}

export async function loadProjectContext(
  directory: string,
  logger: Logger,
): Promise<{ agentsContext: string; readmeContext: string }> {
  const [agentsContext, readmeContext] = await Promise.all([
    contextBlock(directory, 'AGENTS.md', logger),
    contextBlock(directory, 'README.md', logger),
  ]);
  return { agentsContext, readmeContext };
}

/**
 * Staged and working diff of each changed file, `### <path> (staged|working)` sections joined by
 * a blank line; '' when `<directory>/.git` does not exist or anything fails.
 *
 * Same text as the reference's, with one bound it lacked: files stop being read once the text is
 * past the 20 000 characters that will be kept (the reference ran two git processes for every
 * changed file, however many, and then kept the same first 20 000 characters).
 */
export async function loadRepositoryDiff(directory: string, git: GitService, logger: Logger): Promise<string> {
  try {
    await fs.stat(path.join(directory, '.git'));
  } catch {
    return '';
  }
  try {
    const repo = await GitRepo.open(directory, git.runner, git.locks);
    const status = await getStatus(repo);
    const paths = [...new Set(status.files.map((file) => file.path))];
    const sections: string[] = [];
    let length = 0;
    for (const filePath of paths) {
      if (length > LIMITS.repositoryDiff) break;
      const diffOf = async (staged: boolean) => {
        try {
          const file = await repo.resolveFile(filePath);
          return (await getDiff(repo, file, { staged, contextLines: 3 })).trim();
        } catch (error) {
          logger.log('warn', 'Could not read a diff for refinement', { file: filePath, staged, error: message(error) });
          return '';
        }
      };
      const staged = await diffOf(true);
      const working = await diffOf(false);
      const added: string[] = [];
      if (staged) added.push(`### ${filePath} (staged)\n${staged}`);
      if (working && working !== staged) added.push(`### ${filePath} (working)\n${working}`);
      for (const section of added) {
        length += (sections.length > 0 ? 2 : 0) + section.length;
        sections.push(section);
      }
    }
    return sections.join('\n\n');
  } catch (error) {
    logger.log('warn', 'Could not read the repository diff for refinement', { directory, error: message(error) });
    return '';
  }
}
