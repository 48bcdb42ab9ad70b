/**
 * Nothing typed offline is lost: edits made while the collaboration connection is
 * blocked are kept on the device (even across a reload) and merge when it comes back.
 */
import type { WebSocketRoute } from '@playwright/test';
import { expect, expectWritten, openDocument, paragraphUnderSection, saveStatus, test, typeInto } from '../fixtures';
import { CHAIR, CONTRIBUTOR } from '../people';

test('edits made offline survive a reload and reach the others when the connection returns', async ({ createDocument, openAs }) => {
  const doc = await createDocument();
  const chair = await openAs(CHAIR);
  const contributor = await openAs(CONTRIBUTOR);

  // The contributor's collaboration socket goes through a switch we control.
  let blocked = false;
  const open: WebSocketRoute[] = [];
  await contributor.routeWebSocket(/\/collab\//, (ws) => {
    if (blocked) {
      void ws.close();
      return;
    }
    ws.connectToServer();
    open.push(ws);
  });

  await openDocument(chair, doc);
  await openDocument(contributor, doc);

  // The network drops.
  blocked = true;
  await Promise.all(open.splice(0).map((ws) => ws.close()));
  await expect(saveStatus(contributor)).toHaveText(/^Offline — changes kept on this device$/);

  const offlineText = 'Drafted on the train without a connection.';
  await typeInto(contributor, paragraphUnderSection(contributor, 'How to apply'), offlineText);
  await expect(saveStatus(contributor)).toHaveText(/^Offline — changes kept on this device$/);
  await expectWritten(paragraphUnderSection(chair, 'How to apply'), '');

  // A reload while still offline keeps what was typed.
  await contributor.reload();
  await expectWritten(paragraphUnderSection(contributor, 'How to apply'), offlineText);
  await expect(saveStatus(contributor)).toHaveText(/^Offline — changes kept on this device$/);

  // The connection comes back: the edit is saved on the server and reaches the chair.
  blocked = false;
  await expect(saveStatus(contributor)).toHaveText(/^All changes saved$/);
  await expectWritten(paragraphUnderSection(chair, 'How to apply'), offlineText);
  await expect(saveStatus(chair)).toHaveText(/^All changes saved$/);
});
