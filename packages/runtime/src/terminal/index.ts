export {
  TerminalManager,
  DEFAULT_TERMINAL_LIMITS,
  type TerminalLimits,
  type TerminalManagerOptions,
} from './manager.js';
export { TerminalSession, DEFAULT_FLOW_LIMITS, type FlowLimits } from './session.js';
export { OutputLog } from './output-log.js';
export { resolveShell, terminalEnvironment } from './shell.js';
