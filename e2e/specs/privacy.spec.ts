/** Signing out removes the copies of drafts kept in this browser, unless they hold unsaved changes. */
import type { WebSocketRoute } from '@playwright/test';
import { expect, expectWritten, openDocument, paragraphUnderSection, saveStatus, signInThroughUi, test, typeInto } from '../fixtures';
import { CHAIR } from '../people';

async function localCopies(page: import('@playwright/test').Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('jane-doc-')));
}

test('signing out removes saved drafts from the browser', async ({ createDocument, openAs }) => {
  const doc = await createDocument();
  const page = await openAs(CHAIR);
  await openDocument(page, doc);
  await typeInto(page, paragraphUnderSection(page, 'Scope and objectives'), 'Saved before signing out.');
  await expect(saveStatus(page)).toHaveText(/^All changes saved$/);
  expect(await localCopies(page)).toContain(`jane-doc-${doc.id}`);

  await page.getByRole('button', { name: new RegExp(CHAIR.name) }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect.poll(() => localCopies(page)).not.toContain(`jane-doc-${doc.id}`);
});

test('signing out keeps a draft whose offline changes have not reached the server, and they are saved later', async ({ createDocument, openAs }) => {
  const doc = await createDocument();
  const page = await openAs(CHAIR);
  // The collaboration socket goes through a switch we control.
  let blocked = false;
  const open: WebSocketRoute[] = [];
  await page.routeWebSocket(/\/collab\//, (ws) => {
    if (blocked) {
      void ws.close();
      return;
    }
    ws.connectToServer();
    open.push(ws);
  });
  await openDocument(page, doc);
  blocked = true;
  await Promise.all(open.splice(0).map((ws) => ws.close()));
  await typeInto(page, paragraphUnderSection(page, 'Scope and objectives'), 'Typed on the train.');
  await expect(saveStatus(page)).toHaveText(/^Offline — changes kept on this device$/);

  await page.getByRole('button', { name: new RegExp(CHAIR.name) }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  expect(await localCopies(page)).toContain(`jane-doc-${doc.id}`);

  // Back online and signed in again: the kept changes reach the server.
  blocked = false;
  await signInThroughUi(page, CHAIR);
  await openDocument(page, doc);
  await expectWritten(paragraphUnderSection(page, 'Scope and objectives'), 'Typed on the train.');
  await expect(saveStatus(page)).toHaveText(/^All changes saved$/);
});
