// Same IPC contract as ipc.ts, for the plain-JavaScript children (the anchors run without tsx).
export function memorySnapshot(extra = {}) {
  const gc = globalThis.gc;
  gc?.();
  gc?.();
  return { ...process.memoryUsage(), gcAvailable: Boolean(gc), ...extra };
}

export function handleRequests(handler) {
  process.on('message', (message) => {
    if (!message || typeof message.id !== 'number') return;
    handler(message).then(
      (result) => process.send?.({ id: message.id, ok: true, result }),
      (error) => process.send?.({ id: message.id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
    );
  });
}
