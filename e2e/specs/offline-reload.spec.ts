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

  // What arrives is written to this device's copy within a second, and at once when the
  // page is left (the reload below comes sooner than that second).
  const chairText = 'Eligibility checked by the national mirror groups.';
  await typeInto(chair, paragraphUnderSection(chair, 'Who may apply'), chairText);
  await expectWritten(paragraphUnderSection(contributor, 'Who may apply'), chairText);
  await contributor.context().setOffline(true);
  await contributor.reload();
  await expect(saveStatus(contributor)).toHaveText(/^Offline — changes kept on this device$/);
  await expectWritten(paragraphUnderSection(contributor, 'Who may apply'), chairText);
});

test("what was typed here right after a colleague's sentence arrived reopens offline with it, even after the tab crashed", async ({ createDocument, openAs }) => {
  const doc = await createDocument({ title: 'Survivorship call — crashed tab' });
  const chair = await openAs(CHAIR);
  const contributor = await openAs(CONTRIBUTOR);
  await openDocument(chair, doc);
  await openDocument(contributor, doc);
  await expect.poll(() => contributor.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  const chairText = 'Selection by an independent panel';
  await typeInto(chair, paragraphUnderSection(chair, 'Assessment procedure'), chairText);
  await expectWritten(paragraphUnderSection(contributor, 'Assessment procedure'), chairText);
  await contributor.waitForTimeout(1500); // all of it is on this device by now
  // The colleague's next keystroke is held to be written with the ones after it; typed
  // at once after it, building on it, ours must not reach this device's copy without it.
  const paragraphHere = await paragraphUnderSection(contributor, 'Assessment procedure').elementHandle();
  await typeInto(chair, paragraphUnderSection(chair, 'Assessment procedure'), '.');
  await contributor.waitForFunction(([element, text]) => element?.textContent === text, [paragraphHere, `${chairText}.`] as const, { polling: 'raf' });
  await typeInto(contributor, paragraphUnderSection(contributor, 'Assessment procedure'), '!');
  await contributor.waitForTimeout(150); // IndexedDB commits the keystroke's write
  // A crash leaves no page-hide event: nothing more is written.
  const cdp = await contributor.context().newCDPSession(contributor);
  const crashed = contributor.waitForEvent('crash');
  void cdp.send('Page.crash').catch(() => undefined);
  await crashed;
  const context = contributor.context();
  await contributor.close();

  await context.setOffline(true);
  const reopened = await context.newPage();
  await reopened.goto(doc.path);
  await expect(saveStatus(reopened)).toHaveText(/^Offline — changes kept on this device$/);
  await expectWritten(paragraphUnderSection(reopened, 'Assessment procedure'), `${chairText}.!`);
});
