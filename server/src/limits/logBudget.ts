/**
 * Log lines caused by clients are budgeted: a flood of bad frames from many connections
 * must cost a bounded number of lines, not half a kilobyte each. Up to `lines` lines per
 * `windowMs` for each kind of event; the first line after a quiet spell says how many
 * were left out. Lines carry the error's message, not its stack (`error()` keeps the
 * stack: it is for server faults, which a client may still trigger repeatedly).
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

  /**
   * Spends one line of `kind`: null when the budget is spent (the line is counted as left
   * out), else how many lines were left out before this one.
   */
  admit(kind: string): { suppressedBefore: number } | null {
    const now = Date.now();
    let window = this.windows.get(kind);
    let suppressedBefore = 0;
    if (!window || now - window.startedAt >= this.windowMs) {
      suppressedBefore = window?.suppressed ?? 0;
      window = { startedAt: now, written: 0, suppressed: 0 };
      this.windows.set(kind, window);
    }
    if (window.written >= this.lines) {
      window.suppressed++;
      return null;
    }
    window.written++;
    return { suppressedBefore };
  }

  warn(kind: string, fields: Record<string, unknown>, message: string, logger: Logger = this.logger): void {
    const admitted = this.admit(kind);
    if (!admitted) return;
    if (admitted.suppressedBefore > 0) fields = { ...fields, suppressedBefore: admitted.suppressedBefore };
    const { err, ...rest } = fields;
    logger.warn(err instanceof Error ? { ...rest, error: err.message } : fields, message);
  }

  /** An error line with its stack, within the same kind of budget. */
  error(kind: string, fields: Record<string, unknown>, message: string, logger: Logger = this.logger): void {
    const admitted = this.admit(kind);
    if (!admitted) return;
    logger.error(admitted.suppressedBefore > 0 ? { ...fields, suppressedBefore: admitted.suppressedBefore } : fields, message);
  }
}
