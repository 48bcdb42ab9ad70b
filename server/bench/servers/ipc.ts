/** Request/response over the IPC channel between the bench parent and a server child. */

export interface ChildRequest {
  id: number;
  type: string;
  [key: string]: unknown;
}

/** `process.memoryUsage()` after two full garbage collections (children run with --expose-gc). */
export function memorySnapshot(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return { ...process.memoryUsage(), gcAvailable: Boolean(gc), ...extra };
}

export function handleRequests(handler: (request: ChildRequest) => Promise<unknown>): void {
  process.on('message', (message: ChildRequest) => {
    if (!message || typeof message.id !== 'number') return;
    handler(message).then(
      (result) => process.send?.({ id: message.id, ok: true, result }),
      (error: unknown) => process.send?.({ id: message.id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
    );
  });
}
