/** A private X display for tests that need a real window: Xvfb picks a free display number itself. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface VirtualDisplay {
  display: string;
  /**
   * What the screen shows now, browser chrome and all (infobars included, which a page screenshot
   * never shows), as a PNG; `region` crops it (e.g. to a window's bounds).
   */
  screenshot(region?: Region): Buffer;
  /** The colour of one pixel of the screen now, as `[r, g, b]`. */
  pixel(x: number, y: number): [number, number, number];
  stop(): Promise<void>;
}

export async function startXvfb(screen = '1600x1000x24'): Promise<VirtualDisplay> {
  // -fbdir: Xvfb keeps its screen in a file (XWD format), read for screenshots of real windows.
  const fbdir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-xvfb-'));
  // -displayfd: Xvfb writes the display number it chose to fd 3 once it accepts clients.
  const child = spawn(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', screen, '-nolisten', 'tcp', '-noreset', '-fbdir', fbdir],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] },
  );
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
  const frame = () => readXwd(fs.readFileSync(path.join(fbdir, 'Xvfb_screen0')));
  return {
    display: `:${number}`,
    screenshot: (region) => encodePng(frame(), region),
    pixel: (x, y) => frame().rgb(x, y),
    async stop() {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(fbdir, { recursive: true, force: true });
    },
  };
}

interface Frame {
  width: number;
  height: number;
  rgb(x: number, y: number): [number, number, number];
}

/** An XWD dump in ZPixmap format at 24/32 bits per pixel (what Xvfb's -fbdir writes). */
function readXwd(xwd: Buffer): Frame {
  const headerSize = xwd.readUInt32BE(0);
  const width = xwd.readUInt32BE(16);
  const height = xwd.readUInt32BE(20);
  const lsbFirst = xwd.readUInt32BE(28) === 0;
  const bytesPerPixel = xwd.readUInt32BE(44) / 8;
  const bytesPerLine = xwd.readUInt32BE(48);
  const pixels = headerSize + xwd.readUInt32BE(76) * 12; // after the colour map
  return {
    width,
    height,
    rgb(x, y) {
      const at = pixels + y * bytesPerLine + x * bytesPerPixel;
      const value = lsbFirst ? xwd.readUInt32LE(at) : xwd.readUInt32BE(at);
      return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
    },
  };
}

/** A minimal RGB PNG encoder (no dependency): unfiltered rows, one deflated IDAT. */
function encodePng(frame: Frame, region: Region = { x: 0, y: 0, width: frame.width, height: frame.height }): Buffer {
  const x0 = Math.max(0, Math.round(region.x));
  const y0 = Math.max(0, Math.round(region.y));
  const width = Math.min(frame.width - x0, Math.round(region.width));
  const height = Math.min(frame.height - y0, Math.round(region.height));
  const stride = width * 3 + 1;
  const rows = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = frame.rgb(x0 + x, y0 + y);
      const at = y * stride + 1 + x * 3;
      rows[at] = r;
      rows[at + 1] = g;
      rows[at + 2] = b;
    }
  }
  const chunk = (type: string, body: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
