/**
 * Log lines caused by clients are budgeted: a flood of bad frames from many connections
 * must cost a bounded number of lines, not half a kilobyte each. Up to `lines` lines per
 * `windowMs` for each kind of event; the first line after a quiet spell says how many
 * were left out. Lines carry the error's message, not its stack.
 */
import type { Logger } from 'pino';

interface Window {
  startedAt: number;
  written: number;
  suppressed: number;
}

export class LogBudget {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly logger: Logger,
    private readonly lines = 10,
    private readonly windowMs = 10_000,
  ) {}

  warn(kind: string, fields: Record<string, unknown>, message: string): void {
    const now = Date.now();
    let window = this.windows.get(kind);
    if (!window || now - window.startedAt >= this.windowMs) {
      const suppressed = window?.suppressed ?? 0;
      window = { startedAt: now, written: 0, suppressed: 0 };
      this.windows.set(kind, window);
      if (suppressed > 0) fields = { ...fields, suppressedBefore: suppressed };
    }
    if (window.written >= this.lines) {
      window.suppressed++;
      return;
    }
    window.written++;
    const { err, ...rest } = fields;
    this.logger.warn(err instanceof Error ? { ...rest, error: err.message } : fields, message);
  }
}
