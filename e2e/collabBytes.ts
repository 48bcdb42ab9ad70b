import type { Page } from '@playwright/test';

/** Counts the bytes a page receives on the document's live connection (/collab), from now on. */
export async function countCollabBytes(page: Page): Promise<() => number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const sockets = new Set<string>();
  let bytes = 0;
  cdp.on('Network.webSocketCreated', ({ requestId, url }) => {
    if (new URL(url).pathname.startsWith('/collab')) sockets.add(requestId);
  });
  cdp.on('Network.webSocketFrameReceived', ({ requestId, response }) => {
    if (sockets.has(requestId)) bytes += response.opcode === 2 ? Buffer.from(response.payloadData, 'base64').length : Buffer.byteLength(response.payloadData);
  });
  return () => bytes;
}
