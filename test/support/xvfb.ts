/** A private X display for tests that need a real window: Xvfb picks a free display number itself. */
import { spawn } from 'node:child_process';

export interface VirtualDisplay {
  display: string;
  stop(): Promise<void>;
}

export async function startXvfb(screen = '1600x1000x24'): Promise<VirtualDisplay> {
  // -displayfd: Xvfb writes the display number it chose to fd 3 once it accepts clients.
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', screen, '-nolisten', 'tcp', '-noreset'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const number = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('Xvfb did not start within 10 s')), 10_000);
    child.once('error', (error) => (clearTimeout(timer), reject(error)));
    child.stdio[3]!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(text.trim());
      }
    });
    void exited.then(() => reject(new Error('Xvfb exited before it was ready')));
  });
  return {
    display: `:${number}`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
