/**
 * A synchronous token bucket for frames that must be judged in order as they arrive
 * (awareness on `/collab`): `frames` and `bytes` refill continuously up to their burst.
 * A real caret moves a few times a second with states of a few hundred bytes; a client
 * that spends beyond the burst is flooding.
 */
export interface FrameBudget {
  framesPerSecond: number;
  frameBurst: number;
  bytesPerSecond: number;
  byteBurst: number;
}

export const AWARENESS_BUDGET: FrameBudget = {
  framesPerSecond: 20,
  frameBurst: 60,
  bytesPerSecond: 32 * 1024,
  byteBurst: 96 * 1024,
};

export class FrameMeter {
  private frames: number;
  private bytes: number;
  private last: number;

  constructor(
    private readonly budget: FrameBudget,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.frames = budget.frameBurst;
    this.bytes = budget.byteBurst;
    this.last = now();
  }

  /** Spends one frame of `size` bytes; false when the budget is overdrawn. */
  spend(size: number): boolean {
    const now = this.now();
    const elapsed = (now - this.last) / 1000;
    this.last = now;
    this.frames = Math.min(this.budget.frameBurst, this.frames + elapsed * this.budget.framesPerSecond);
    this.bytes = Math.min(this.budget.byteBurst, this.bytes + elapsed * this.budget.bytesPerSecond);
    this.frames -= 1;
    this.bytes -= size;
    return this.frames >= 0 && this.bytes >= 0;
  }
}
