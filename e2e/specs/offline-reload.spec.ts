/**
 * Offline for real (the browser has no network, not just a blocked socket): a draft
 * opened before reopens from a reload — the app shell comes from the service worker, the
 * text from this device — takes edits, and they reach the others once the network is
 * back. The server's data is never answered from a cache.
 */
import { editor, expect, expectWritten, openDocument, paragraphUnderSection, saveStatus, test, typeInto } from '../fixtures';
import { CHAIR, CONTRIBUTOR } from '../people';

test('a draft opened before reloads while offline, can be edited, and the edits merge when the network is back', async ({ createDocument, openAs }) => {
  const doc = await createDocument({ title: 'Survivorship call — offline draft' });
  const chair = await openAs(CHAIR);
  const contributor = await openAs(CONTRIBUTOR);
  await openDocument(chair, doc);
  await openDocument(contributor, doc);
  // The app is kept on this device once its service worker controls the page.
  await expect.poll(() => contributor.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await contributor.context().setOffline(true);
  await contributor.reload();
  await expect(editor(contributor)).toContainText(doc.title);
  await expect(saveStatus(contributor)).toHaveText(/^Offline — changes kept on this device$/);
  // Nothing the server says is served from a cache.
  expect(await contributor.evaluate(() => fetch('/api/auth/me').then(() => 'answered', () => 'failed'))).toBe('failed');

  const offlineText = 'Drafted on a night train with no signal at all.';
  await typeInto(contributor, paragraphUnderSection(contributor, 'How to apply'), offlineText);
  await expectWritten(paragraphUnderSection(contributor, 'How to apply'), offlineText);
  await expect(saveStatus(contributor)).toHaveText(/^Offline — changes kept on this device$/);
  await expectWritten(paragraphUnderSection(chair, 'How to apply'), '');

  await contributor.context().setOffline(false);
  await expect(saveStatus(contributor)).toHaveText(/^All changes saved$/);
  await expectWritten(paragraphUnderSection(chair, 'How to apply'), offlineText);
});

test('after signing out, the app does not open offline as that person', async ({ createDocument, openAs }) => {
  const doc = await createDocument({ title: 'Survivorship call — shared computer' });
  const contributor = await openAs(CONTRIBUTOR);
  await openDocument(contributor, doc);
  await expect.poll(() => contributor.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await contributor.getByRole('button', { name: new RegExp(CONTRIBUTOR.name) }).click();
  await contributor.getByRole('button', { name: 'Sign out' }).click();
  await expect(contributor).toHaveURL(/\/login/);

  await contributor.context().setOffline(true);
  await contributor.goto(doc.path);
  await expect(contributor.getByRole('alert')).toContainText('JANE Workspace cannot reach its server.');
  await expect(editor(contributor)).toHaveCount(0);
  await expect(contributor.getByRole('button', { name: new RegExp(CONTRIBUTOR.name) })).toHaveCount(0);
});

test("a colleague's sentence that has just arrived is on this device too: an offline reload right after shows it", async ({ createDocument, openAs }) => {
  const doc = await createDocument({ title: 'Survivorship call — just arrived' });
  const chair = await openAs(CHAIR);
  const contributor = await openAs(CONTRIBUTOR);
  await openDocument(chair, doc);
  await openDocument(contributor, doc);
  await expect.poll(() => contributor.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  // Every change that arrives is written to this device's copy as it arrives.
  const chairText = 'Eligibility checked by the national mirror groups.';
  await typeInto(chair, paragraphUnderSection(chair, 'Who may apply'), chairText);
  await expectWritten(paragraphUnderSection(contributor, 'Who may apply'), chairText);
  await contributor.context().setOffline(true);
  await contributor.reload();
  await expect(saveStatus(contributor)).toHaveText(/^Offline — changes kept on this device$/);
  await expectWritten(paragraphUnderSection(contributor, 'Who may apply'), chairText);
});
