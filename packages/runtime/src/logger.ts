/**
 * Structured logging: one JSON object per line. Services take a `Logger` so tests can capture
 * lines and the server/desktop host can decide where they go.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

export function createJsonLogger(
  write: (line: string) => void = (line) => process.stderr.write(line),
  clock: () => Date = () => new Date(),
): Logger {
  return {
    log(level, message, fields) {
      write(`${JSON.stringify({ time: clock().toISOString(), level, message, ...fields })}\n`);
    },
  };
}

export const silentLogger: Logger = { log() {} };

/** Collects lines in memory (tests). */
export function createMemoryLogger(): Logger & { lines: { level: LogLevel; message: string; fields?: LogFields }[] } {
  const lines: { level: LogLevel; message: string; fields?: LogFields }[] = [];
  return {
    lines,
    log(level, message, fields) {
      lines.push(fields ? { level, message, fields } : { level, message });
    },
  };
}

/** One logger writing to several (the desktop host: its log file and stderr). */
export function combineLoggers(...loggers: Logger[]): Logger {
  return {
    log(level, message, fields) {
      for (const logger of loggers) logger.log(level, message, fields);
    },
  };
}
