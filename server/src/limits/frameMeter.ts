/**
 * A synchronous token bucket for what a connection sends, judged in order as it arrives
 * and at once — before any asynchronous work, so that a burst already buffered in the
 * socket is refused frame by frame for almost nothing: awareness frames on `/collab`
 * (frames and bytes) and socket.io events (points). `frames` and `bytes` refill
 * continuously up to their burst. A real caret moves a few times a second with states
 * of a few hundred bytes; a client that spends beyond the burst is flooding.
 */
export interface FrameBudget {
  framesPerSecond: number;
  frameBurst: number;
  bytesPerSecond: number;
  byteBurst: number;
}

/**
 * Awareness a connection's caret may send. Over the frame rate (a fast typist moves the
 * caret with every key), frames are not refused but held: only the latest waits and is
 * relayed when the budget allows. Over the byte rate — states far larger than a caret —
 * the client is flooding.
 */
export const AWARENESS_BUDGET: FrameBudget = {
  framesPerSecond: 20,
  frameBurst: 60,
  bytesPerSecond: 32 * 1024,
  byteBurst: 96 * 1024,
};

/** Frames per second beyond which even held-back awareness is a flood (parsing has a cost). */
export const AWARENESS_FLOOD_BUDGET: FrameBudget = {
  framesPerSecond: 300,
  frameBurst: 600,
  bytesPerSecond: Number.POSITIVE_INFINITY,
  byteBurst: Number.POSITIVE_INFINITY,
};

/** socket.io events per connection, in points (see SOCKET_EVENT_COSTS); bytes are not metered. */
export const SOCKET_EVENT_BUDGET: FrameBudget = {
  framesPerSecond: 20,
  frameBurst: 40,
  bytesPerSecond: Number.POSITIVE_INFINITY,
  byteBurst: Number.POSITIVE_INFINITY,
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

  /** Milliseconds until one more frame would be allowed (0: now). */
  msUntilNextFrame(): number {
    const missing = 1 - this.frames - ((this.now() - this.last) / 1000) * this.budget.framesPerSecond;
    return missing <= 0 ? 0 : Math.ceil((missing / this.budget.framesPerSecond) * 1000);
  }

  /** Whether `size` more bytes fit now (without spending anything). */
  hasBytes(size: number): boolean {
    const elapsed = (this.now() - this.last) / 1000;
    return Math.min(this.budget.byteBurst, this.bytes + elapsed * this.budget.bytesPerSecond) >= size;
  }

  /** Spends `frames` (points) and `size` bytes; false when the budget is overdrawn. */
  spend(size: number, frames = 1): boolean {
    const now = this.now();
    const elapsed = (now - this.last) / 1000;
    this.last = now;
    this.frames = Math.min(this.budget.frameBurst, this.frames + elapsed * this.budget.framesPerSecond);
    this.bytes = Math.min(this.budget.byteBurst, this.bytes + elapsed * this.budget.bytesPerSecond);
    if (this.frames < frames || this.bytes < size) {
      // Overdrawn: the refused frame costs its sender (a flood never refills), not the bucket below zero.
      this.frames = Math.max(this.frames - frames, -this.budget.frameBurst);
      this.bytes = Math.max(this.bytes - size, -this.budget.byteBurst);
      return false;
    }
    this.frames -= frames;
    this.bytes -= size;
    return true;
  }
}
