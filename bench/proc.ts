/** Process figures from /proc (Linux): CPU time, the process tree, resident memory. */
import fs from 'node:fs';

interface ProcessStat {
  pid: number;
  parent: number;
  /** The command name (`comm`). */
  command: string;
  /** User + system CPU time in ms (clock ticks of 10 ms). */
  cpuMs: number;
}

/** One /proc/<pid>/stat line; the command may hold spaces and parentheses, so fields count from the last ')'. */
function parseStat(pid: number, text: string): ProcessStat {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    parent: Number(fields[1]),
    command: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')),
    cpuMs: (Number(fields[11]) + Number(fields[12])) * 10,
  };
}

/** Every process readable now (those that end while being read are left out). */
function processTable(): ProcessStat[] {
  const table: ProcessStat[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      table.push(parseStat(Number(entry), fs.readFileSync(`/proc/${entry}/stat`, 'utf8')));
    } catch {}
  }
  return table;
}

/** User + system CPU of a process, in ms. */
export function processCpuMs(pid: number): number {
  return parseStat(pid, fs.readFileSync(`/proc/${pid}/stat`, 'utf8')).cpuMs;
}

/** CPU of a process and all its descendants, in ms (processes that ended meanwhile are not counted). */
export function processTreeCpuMs(root: number): number {
  const table = processTable();
  const children = new Map<number, ProcessStat[]>();
  for (const stat of table) children.set(stat.parent, [...(children.get(stat.parent) ?? []), stat]);
  let total = 0;
  const pending = table.filter((stat) => stat.pid === root);
  while (pending.length > 0) {
    const stat = pending.pop() as ProcessStat;
    total += stat.cpuMs;
    pending.push(...(children.get(stat.pid) ?? []));
  }
  return total;
}

/** The first child of `parent` whose command name is `name`. */
export function childNamed(parent: number, name: string): number {
  const found = processTable().find((stat) => stat.parent === parent && stat.command === name);
  if (!found) throw new Error(`no ${name} process under ${parent}`);
  return found.pid;
}

/** Resident memory of a process, in bytes. */
export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}
