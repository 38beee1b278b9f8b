/** Which processes listen on what: `ss` for sockets, /proc for a process and its descendants (Linux). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export interface ListeningSocket {
  /** tcp, udp, u_str, u_seq, ... */
  netid: string;
  local: string;
  pids: number[];
  line: string;
}

/** Every listening TCP, UDP and Unix socket of this network namespace, with the owning pids. */
export function listeningSockets(): ListeningSocket[] {
  const output = execFileSync('ss', ['-H', '-l', '-n', '-p', '-t', '-u', '-x'], { encoding: 'utf8' });
  return output
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      const fields = line.trim().split(/\s+/);
      return {
        netid: fields[0] ?? '',
        local: fields[4] ?? '',
        pids: [...line.matchAll(/pid=(\d+)/g)].map((match) => Number(match[1])),
        line,
      };
    });
}

/** `root` and every process below it. */
export function processTree(root: number): number[] {
  const found = [root];
  for (let i = 0; i < found.length; i++) {
    const pid = found[i] as number;
    let tasks: string[];
    try {
      tasks = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // gone already
    }
    for (const task of tasks) {
      try {
        const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
        if (children) found.push(...children.split(/\s+/).map(Number));
      } catch {}
    }
  }
  return [...new Set(found)];
}

/**
 * Whether a process still runs. A zombie does not: it has exited, and only waits for a parent to
 * reap it (in a container whose PID 1 reaps nothing, an orphan's zombie stays forever).
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}
