import type { Config } from './config.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Log = (level: LogLevel, message: string, details?: Record<string, unknown>) => void;

/** JSON lines on stdout (errors and warnings on stderr), from `level` up. */
export function createLog(level: Config['logLevel']): Log {
  const order = ['debug', 'info', 'warn', 'error', 'silent'];
  const threshold = order.indexOf(level);
  return (messageLevel, message, details) => {
    if (order.indexOf(messageLevel) < threshold) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level: messageLevel, message, ...details });
    (messageLevel === 'error' || messageLevel === 'warn' ? process.stderr : process.stdout).write(`${line}\n`);
  };
}
