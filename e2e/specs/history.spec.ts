/**
 * Version history in the browser: a contributor writes and leaves; meanwhile a lead
 * rewrites part of it and writes in another section, and a chair in a third; the
 * contributor comes back and "Changes since my last visit" shows exactly their
 * colleagues' changes — inserted and deleted, with names, in each person's colour — and
 * not their own. Naming a version adds it to the list; only the chair may restore.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { colorForUser } from '@jane/shared';
import { expect, openDocument, paragraphUnderSection, saveStatus, test, typeInto } from '../fixtures';
import { CHAIR, CONTRIBUTOR, LEAD } from '../people';

const screenshots = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

const SCOPE = 'Scope and objectives';
const WHO = 'Who may apply';
const HOW = 'How to apply';

const historyPanel = (page: Page): Locator => page.locator('#side-panel-history');

/** `#rrggbb` as the browser computes it: `rgb(r, g, b)`. */
function rgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

async function userId(page: Page): Promise<string> {
  const response = await page.request.get('/api/auth/me');
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { user: { id: string } }).user.id;
}

test('a member sees what colleagues changed since the last visit, by whom in their colours, and names a version', async ({ createDocument, openAs }) => {
  const doc = await createDocument({ title: 'Call for expressions of interest — history' });
  // A tall window: the screenshot shows the changes and the versions together.
  const member = await openAs(CONTRIBUTOR, { viewport: { width: 1366, height: 1300 } });
  const lead = await openAs(LEAD);
  const chair = await openAs(CHAIR);
  const leadId = await userId(lead);
  const chairId = await userId(chair);

  // The member writes, then leaves the document: the visit is recorded when the live connection closes.
  await openDocument(member, doc);
  await typeInto(member, paragraphUnderSection(member, SCOPE), 'The network covers rare adult cancers.');
  await expect(saveStatus(member)).toHaveText(/^All changes saved$/);
  await member.goto('/');
  await expect(member.getByRole('heading', { name: 'My workspaces' })).toBeVisible();
  await expect
    .poll(async () => ((await (await member.request.get(`/api/documents/${doc.id}/changes?from=last-visit`)).json()) as { from: { kind: string } }).from.kind)
    .toBe('last-visit');

  // Meanwhile the lead rewrites the member's last word and writes in another section; the chair in a third.
  await openDocument(lead, doc);
  await paragraphUnderSection(lead, SCOPE).click();
  await lead.keyboard.press('End');
  for (let i = 0; i < 'cancers.'.length; i++) await lead.keyboard.press('Backspace');
  await lead.keyboard.type('tumours and their follow-up.', { delay: 15 });
  await typeInto(lead, paragraphUnderSection(lead, WHO), 'Designated centres in every Member State.');
  await expect(saveStatus(lead)).toHaveText(/^All changes saved$/);
  await openDocument(chair, doc);
  await typeInto(chair, paragraphUnderSection(chair, HOW), 'Send the form to the coordination team.');
  await expect(saveStatus(chair)).toHaveText(/^All changes saved$/);

  // The member comes back and asks what changed.
  await openDocument(member, doc);
  await member.getByRole('tab', { name: 'History' }).click();
  const history = historyPanel(member);
  await expect(history).toBeVisible();
  await history.getByRole('button', { name: 'Changes since my last visit' }).click();
  const changes = history.getByTestId('changes');
  await expect(changes.getByRole('heading', { name: 'Changes since your last visit' })).toBeVisible();
  const sections = changes.getByTestId('changed-section');
  await expect(sections).toHaveCount(3);

  // Scope: the lead's deletion of the member's word and the insertion, with the member's own text unmarked.
  const scope = sections.filter({ hasText: SCOPE });
  await expect(scope.getByTestId('section-summary')).toContainText('+4 / −1 words');
  await expect(scope.getByTestId('section-summary')).toContainText(`— ${LEAD.name} (SE)`);
  const deleted = scope.locator('del');
  await expect(deleted).toHaveCount(1);
  await expect(deleted).toContainText('cancers.');
  await expect(deleted).toHaveAttribute('title', `Deleted by ${LEAD.name} (Sweden)`);
  await expect(scope.locator('ins')).toContainText('tumours and their follow-up.');
  await expect(scope).toContainText('The network covers rare adult');
  await expect(scope.locator('ins, del').filter({ hasText: 'The network covers' })).toHaveCount(0);

  // Who may apply: the lead's text, marked inserted, named, in the lead's colour (as the caret and avatar).
  const who = sections.filter({ hasText: WHO });
  await expect(who.getByTestId('section-summary')).toContainText('+6 / −0 words');
  await expect(who.getByTestId('section-summary')).toContainText(`— ${LEAD.name} (SE)`);
  const inserted = who.locator('ins');
  await expect(inserted).toHaveCount(1);
  await expect(inserted).toContainText('Designated centres in every Member State.');
  await expect(inserted).toHaveAttribute('title', `Inserted by ${LEAD.name} (Sweden)`);
  await expect(inserted).toHaveAttribute('data-user-id', leadId);
  await expect(inserted).toHaveCSS('color', rgb(colorForUser(leadId)));
  await expect(inserted.locator('.change__who')).toHaveText(LEAD.name);
  await expect(inserted.locator('.change__who')).toHaveCSS('background-color', rgb(colorForUser(leadId)));
  await expect(inserted.locator('.visually-hidden').first()).toHaveText(`Inserted by ${LEAD.name} (Sweden):`);

  // How to apply: the chair's, in the chair's colour; both people in the legend.
  const how = sections.filter({ hasText: HOW });
  await expect(how.locator('ins')).toHaveCSS('color', rgb(colorForUser(chairId)));
  await expect(how.getByTestId('section-summary')).toContainText(`${CHAIR.name} (IT)`);
  await expect(changes.getByTestId('changes-legend')).toContainText(`${LEAD.name} (SE)`);
  await expect(changes.getByTestId('changes-legend')).toContainText(`${CHAIR.name} (IT)`);

  // Next / previous change move focus from change to change.
  await changes.getByRole('button', { name: 'Next change' }).click();
  await expect(deleted).toBeFocused();
  await changes.getByRole('button', { name: 'Next change' }).click();
  await expect(scope.locator('ins')).toBeFocused();
  await changes.getByRole('button', { name: 'Previous change' }).click();
  await expect(deleted).toBeFocused();
  await expect(changes.getByRole('status').filter({ hasText: 'Change 1 of 4' })).toBeVisible();

  // Naming a version adds it to the list, newest first; a contributor may not restore.
  await history.getByRole('button', { name: 'Name this version' }).click();
  await history.getByLabel('Name', { exact: true }).fill('Sent to the ERN board');
  await history.getByLabel('Note (optional)').fill('Draft for the board meeting in March.');
  await history.getByRole('button', { name: 'Save version' }).click();
  const versions = history.getByTestId('version');
  await expect(versions.first()).toContainText('Sent to the ERN board');
  await expect(versions.first()).toContainText('Draft for the board meeting in March.');
  await expect(versions.first()).toContainText(`by ${CONTRIBUTOR.name}`);
  await expect(history.getByRole('button', { name: /^Restore/ })).toHaveCount(0);

  await member.locator('#document-side').evaluate((side) => side.scrollTo(0, 0));
  await member.screenshot({ path: path.join(screenshots, 'history.png') });

  // Compared with now, the version just named has nothing new.
  await versions.first().getByRole('button', { name: 'Compare “Sent to the ERN board” with now' }).click();
  await expect(changes.getByRole('heading', { name: 'Changes from “Sent to the ERN board” to now' })).toBeVisible();
  await expect(changes.getByTestId('changes-empty')).toHaveText('No changes between these versions.');

  // The chair may restore, after confirming.
  await chair.getByRole('tab', { name: 'History' }).click();
  const chairHistory = historyPanel(chair);
  await expect(chairHistory.getByTestId('version').first()).toContainText('Sent to the ERN board');
  await chairHistory.getByRole('button', { name: 'Restore “Sent to the ERN board”' }).click();
  const dialog = chair.getByRole('dialog', { name: 'Restore a version' });
  await expect(dialog).toContainText('Restore “Sent to the ERN board”? Everyone’s current text is replaced by this version’s; nothing of the history is lost.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
});
