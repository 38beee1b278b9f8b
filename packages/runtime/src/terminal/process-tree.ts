/**
 * Signalling every process of a terminal's session. A shell started on a PTY leads its own
 * session; its jobs run in process groups of their own, so signalling the shell's group misses a
 * foreground `sleep` or a background job. On Linux the session's members are read from /proc
 * (field 6 of `/proc/<pid>/stat`); elsewhere the shell's process group is the best we can do.
 */
import fs from 'node:fs';

export function sessionMembers(sessionId: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // `pid (comm) state ppid pgrp session …`; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[3]) === sessionId) members.push(Number(entry));
  }
  return members;
}

/** Send `signal` to the session led by `leader`: its process group and every member found. */
export function signalSession(leader: number, signal: NodeJS.Signals): void {
  const targets = new Set([leader, ...sessionMembers(leader)]);
  try {
    process.kill(-leader, signal);
  } catch {}
  for (const pid of targets) {
    try {
      process.kill(pid, signal);
    } catch {}
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
