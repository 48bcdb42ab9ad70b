/**
 * "All changes saved" is only shown once the server has confirmed that what was typed is
 * durable — not when it was merely sent, nor when others can already see it.
 */
import type { WebSocketRoute } from '@playwright/test';
import { MESSAGE_SAVED } from '@jane/shared';
import { expect, expectWritten, openDocument, paragraphUnderSection, saveStatus, test, typeInto } from '../fixtures';
import { CHAIR, CONTRIBUTOR } from '../people';

test('the saved state waits for the server to confirm the change is stored', async ({ createDocument, openAs }) => {
  const doc = await createDocument();
  const chair = await openAs(CHAIR);
  const contributor = await openAs(CONTRIBUTOR);

  // Hold back the server's "saved" confirmations to the contributor while we look.
  let holding = false;
  const held: { to: WebSocketRoute; frame: Buffer }[] = [];
  await contributor.routeWebSocket(/\/collab\//, (page) => {
    const server = page.connectToServer();
    server.onMessage((frame) => {
      const bytes = typeof frame === 'string' ? Buffer.from(frame) : frame;
      if (holding && bytes[0] === MESSAGE_SAVED) held.push({ to: page, frame: bytes });
      else page.send(frame);
    });
  });

  await openDocument(chair, doc);
  await openDocument(contributor, doc);

  holding = true;
  await typeInto(contributor, paragraphUnderSection(contributor, 'Eligibility and selection criteria'), 'At least 50 new cases a year.');
  // The server has the text (the chair sees it) but has not confirmed it to this browser yet.
  await expectWritten(paragraphUnderSection(chair, 'Eligibility and selection criteria'), 'At least 50 new cases a year.');
  await expect.poll(() => held.length).toBeGreaterThan(0);
  await expect(saveStatus(contributor)).toHaveText(/^Saving…$/);

  holding = false;
  for (const { to, frame } of held.splice(0)) to.send(frame);
  await expect(saveStatus(contributor)).toHaveText(/^All changes saved$/);
});
