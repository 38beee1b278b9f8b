/**
 * A private D-Bus session bus with a small notification server on it (the freedesktop
 * `org.freedesktop.Notifications` interface, in Python with dbus-python), and `dbus-monitor`
 * watching the bus: what a desktop session provides, so `notify-send` runs for real.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

export interface ReceivedNotification {
  app: string;
  replaces: number;
  summary: string;
  body: string;
  hints: Record<string, string>;
  id: number;
}

export interface TestSessionBus {
  address: string;
  /** What the notification server received, oldest first. */
  received(): ReceivedNotification[];
  /** Everything dbus-monitor printed about the notification interface so far. */
  monitorLog(): string;
  stop(): Promise<void>;
}

const SERVER = `
import sys, json, dbus, dbus.service, dbus.mainloop.glib
from gi.repository import GLib
dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
log = open(sys.argv[1], 'a', buffering=1)
class Server(dbus.service.Object):
    last_id = 0
    @dbus.service.method('org.freedesktop.Notifications', in_signature='susssasa{sv}i', out_signature='u')
    def Notify(self, app, replaces, icon, summary, body, actions, hints, timeout):
        if replaces:
            nid = int(replaces)
        else:
            Server.last_id += 1
            nid = Server.last_id
        log.write(json.dumps({'app': str(app), 'replaces': int(replaces), 'summary': str(summary),
            'body': str(body), 'hints': {str(k): str(v) for k, v in hints.items()}, 'id': nid}) + '\\n')
        return nid
    @dbus.service.method('org.freedesktop.Notifications', in_signature='', out_signature='as')
    def GetCapabilities(self):
        return ['body']
    @dbus.service.method('org.freedesktop.Notifications', in_signature='', out_signature='ssss')
    def GetServerInformation(self):
        return ('chamber-test-notifications', 'chamber', '1.0', '1.2')
    @dbus.service.method('org.freedesktop.Notifications', in_signature='u', out_signature='')
    def CloseNotification(self, nid):
        pass
bus = dbus.SessionBus()
name = dbus.service.BusName('org.freedesktop.Notifications', bus)
Server(bus, '/org/freedesktop/Notifications')
print('ready', flush=True)
GLib.MainLoop().run()
`;

function firstLine(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 10 s`)), 10_000);
    readline.createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code})`)));
  });
}

export async function startTestSessionBus(dir: string): Promise<TestSessionBus> {
  fs.mkdirSync(dir, { recursive: true });
  const children: ChildProcess[] = [];
  const daemon = spawn(
    'dbus-daemon',
    ['--session', '--nofork', '--print-address=1', `--address=unix:path=${path.join(dir, 'bus')}`],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  children.push(daemon);
  const stop = async () => {
    for (const child of children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    }
  };
  try {
    const address = await firstLine(daemon, 'dbus-daemon');
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: address };
    const serverFile = path.join(dir, 'notifications-server.py');
    const receivedFile = path.join(dir, 'received.jsonl');
    fs.writeFileSync(serverFile, SERVER);
    // Debian's python3-dbus and python3-gi live in the system interpreter.
    const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    const server = spawn(python, [serverFile, receivedFile], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(server);
    await firstLine(server, 'the test notification server');
    let monitored = '';
    const monitor = spawn('dbus-monitor', ["interface='org.freedesktop.Notifications'"], {
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(monitor);
    monitor.stdout.setEncoding('utf8').on('data', (text: string) => (monitored += text));
    // dbus-monitor prints its own NameAcquired signal once it is watching.
    for (let i = 0; i < 200 && !monitored.includes('NameAcquired'); i++) await new Promise((r) => setTimeout(r, 25));
    return {
      address,
      received: () =>
        fs.existsSync(receivedFile)
          ? fs
              .readFileSync(receivedFile, 'utf8')
              .split('\n')
              .filter(Boolean)
              .map((line) => JSON.parse(line) as ReceivedNotification)
          : [],
      monitorLog: () => monitored,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
