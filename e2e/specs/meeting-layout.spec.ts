/**
 * The in-meeting view on the screens people actually have: a 1366×768 laptop with the
 * meeting panel open still leaves a real editor (the comments panel becomes a drawer),
 * the toolbar stays on one line and the title stays readable; the panel has a larger-text
 * projector view; a 1920×1080 screen shows everything side by side. The admin's People
 * table fits a laptop too. Screenshots for the README go to docs/.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { editor, expect, openDocument, paragraphUnderSection, test, typeInto, type OpenDocument } from '../fixtures';
import { endRunningMeetings, meetingBanner, startMeeting } from '../meetings';
import { ADMIN, CHAIR, CONTRIBUTOR } from '../people';

const docs = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');
const LAPTOP = { width: 1366, height: 768 };
const FULL_HD = { width: 1920, height: 1080 };
const LONG_TITLE = 'Call for expressions of interest — OMICS Network of Excellence for Cancer, second draft for the Member States';

test.beforeEach(async ({ adminApi, cast }) => {
  await endRunningMeetings(adminApi, cast.workspaceId);
});
test.afterEach(async ({ adminApi, cast }) => {
  await endRunningMeetings(adminApi, cast.workspaceId);
});

const meetingPanel = (page: Page): Locator => page.getByTestId('meeting-panel');
const projectorToggle = (page: Page): Locator => meetingPanel(page).getByRole('button', { name: 'Larger text' });
const sideToggle = (page: Page): Locator => page.getByRole('button', { name: /^Comments and people/ });

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** The chair runs a meeting and has its panel open on the document; a member from Germany writes in it. */
async function meetingOnDocument(chair: Page, member: Page, workspaceId: string, doc: OpenDocument): Promise<void> {
  await startMeeting(chair, workspaceId, 'OMICS monthly call');
  await openDocument(member, doc);
  await meetingBanner(member).getByRole('button', { name: 'Join the meeting “OMICS monthly call”' }).click();
  await typeInto(member, paragraphUnderSection(member, 'Scope and objectives'), 'Networks cover adult and paediatric cancers.');

  await openDocument(chair, doc);
  await meetingBanner(chair).getByRole('button', { name: 'Open meeting panel' }).click();
  await expect(meetingPanel(chair).getByRole('heading', { name: 'Here now (2)' })).toBeVisible();
  await expect(paragraphUnderSection(chair, 'Scope and objectives')).toContainText('Networks cover adult and paediatric cancers.');
}

test('on a 1366×768 laptop with the meeting panel open the editor keeps at least 640 px, one toolbar line and a readable title', async ({
  cast,
  createDocument,
  openAs,
}) => {
  const doc = await createDocument({ title: LONG_TITLE });
  const chair = await openAs(CHAIR, { viewport: LAPTOP, timezoneId: 'Europe/Rome' });
  const member = await openAs(CONTRIBUTOR, { timezoneId: 'Europe/Berlin' });
  await meetingOnDocument(chair, member, cast.workspaceId, doc);

  const editorBox = (await editor(chair).boundingBox())!;
  const panelBox = (await meetingPanel(chair).boundingBox())!;
  expect(editorBox.width).toBeGreaterThanOrEqual(640);
  // Side by side: the meeting panel covers no text.
  expect(editorBox.x + editorBox.width).toBeLessThanOrEqual(panelBox.x + 1);
  expect(await horizontalOverflow(chair)).toBeLessThanOrEqual(0);

  // The toolbar is one line of buttons.
  const toolbarRows = await chair.getByRole('toolbar', { name: 'Formatting' }).evaluate((toolbar) => {
    const tops = [...toolbar.querySelectorAll('button')].map((button) => Math.round(button.getBoundingClientRect().top));
    return new Set(tops).size;
  });
  expect(toolbarRows).toBe(1);

  // The title is cut with an ellipsis, and the whole of it is still there to read.
  const title = chair.getByLabel('Document title');
  await expect(title).toHaveValue(LONG_TITLE);
  await expect(title).toHaveAttribute('title', LONG_TITLE);
  await expect(title).toHaveCSS('text-overflow', 'ellipsis');
  await expect(title).toBeInViewport({ ratio: 1 });

  // Comments and people wait in a drawer, opened and closed from the keyboard.
  await expect(chair.getByRole('tab', { name: 'Comments' })).toBeHidden();
  await expect(sideToggle(chair)).toHaveAttribute('aria-expanded', 'false');
  await sideToggle(chair).focus();
  await chair.keyboard.press('Enter');
  await expect(chair.getByRole('tab', { name: 'Comments' })).toBeFocused();
  await expect(sideToggle(chair)).toHaveAttribute('aria-expanded', 'true');
  await chair.keyboard.press('ArrowRight');
  await expect(chair.getByRole('tab', { name: /^People/ })).toBeFocused();
  await expect(chair.locator('#side-panel-people')).toContainText(CONTRIBUTOR.name);
  await chair.keyboard.press('Escape');
  await expect(chair.getByRole('tab', { name: /^People/ })).toBeHidden();
  await expect(sideToggle(chair)).toBeFocused();

  // Commenting on a section opens the drawer with the new comment.
  await chair.getByRole('button', { name: 'Comment on the section “Who may apply”' }).click();
  await expect(chair.getByTestId('new-thread').getByRole('textbox', { name: 'Your comment' })).toBeVisible();
  await chair.getByTestId('new-thread').getByRole('button', { name: 'Cancel' }).click();
  await chair.getByRole('button', { name: 'Close comments and people' }).click();
  await expect(chair.getByRole('tab', { name: 'Comments' })).toBeHidden();

  await meetingPanel(chair).getByRole('heading', { level: 2 }).focus();
  await chair.screenshot({ path: path.join(docs, 'meeting-1366.png') });
});

test('the meeting panel has a projector view with larger text, remembered on this device', async ({ cast, createDocument, openAs }) => {
  const doc = await createDocument({ title: 'OMICS call — projector check' });
  const chair = await openAs(CHAIR, { viewport: LAPTOP });
  const member = await openAs(CONTRIBUTOR);
  await meetingOnDocument(chair, member, cast.workspaceId, doc);

  const name = meetingPanel(chair).getByTestId('meeting-attendees').getByText(CONTRIBUTOR.name);
  const fontSize = async (): Promise<number> => parseFloat(await name.evaluate((element) => getComputedStyle(element).fontSize));
  const before = await fontSize();
  await expect(projectorToggle(chair)).toHaveAttribute('aria-pressed', 'false');

  await projectorToggle(chair).focus();
  await chair.keyboard.press('Space');
  await expect(projectorToggle(chair)).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(fontSize).toBeGreaterThanOrEqual(before * 1.3);
  // The editor keeps its room.
  expect((await editor(chair).boundingBox())!.width).toBeGreaterThanOrEqual(640);
  expect(await horizontalOverflow(chair)).toBeLessThanOrEqual(0);

  // Still on after a reload.
  await chair.reload();
  await meetingBanner(chair).getByRole('button', { name: 'Open meeting panel' }).click();
  await expect(projectorToggle(chair)).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(fontSize).toBeGreaterThanOrEqual(before * 1.3);

  await projectorToggle(chair).click();
  await expect(projectorToggle(chair)).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(fontSize).toBe(before);
});

test('on a 1920×1080 screen the outline, editor, comments and meeting panel sit side by side', async ({ cast, createDocument, openAs }) => {
  const doc = await createDocument({ title: LONG_TITLE });
  const chair = await openAs(CHAIR, { viewport: FULL_HD, timezoneId: 'Europe/Rome' });
  const member = await openAs(CONTRIBUTOR, { timezoneId: 'Europe/Berlin' });
  await meetingOnDocument(chair, member, cast.workspaceId, doc);

  await expect(chair.getByRole('navigation', { name: 'Outline' })).toBeVisible();
  await expect(chair.getByRole('tab', { name: 'Comments' })).toBeVisible();
  await expect(sideToggle(chair)).toHaveCount(0);
  expect((await editor(chair).boundingBox())!.width).toBeGreaterThanOrEqual(640);
  expect(await horizontalOverflow(chair)).toBeLessThanOrEqual(0);

  await meetingPanel(chair).getByRole('heading', { level: 2 }).focus();
  await chair.screenshot({ path: path.join(docs, 'meeting-1920.png') });
  await projectorToggle(chair).click();
  await expect(projectorToggle(chair)).toHaveAttribute('aria-pressed', 'true');
  expect((await editor(chair).boundingBox())!.width).toBeGreaterThanOrEqual(640);
  await chair.screenshot({ path: path.join(docs, 'meeting-1920-projector.png') });
});

test('the outline folds to a rail to give the editor more room, and stays folded after a reload', async ({ createDocument, openAs }) => {
  const doc = await createDocument({ title: 'Network plan — folded outline' });
  const page = await openAs(CONTRIBUTOR, { viewport: LAPTOP });
  await openDocument(page, doc);
  const toggle = page.getByRole('button', { name: 'Outline', exact: true });
  const outline = page.getByRole('navigation', { name: 'Outline' });
  // The editor's column (the text itself stops growing at a readable line length).
  const column = page.getByRole('region', { name: 'Editor' });
  const before = (await column.boundingBox())!.width;

  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(outline).toBeHidden();
  await expect.poll(async () => (await column.boundingBox())!.width).toBeGreaterThan(before + 150);

  await page.reload();
  await expect(editor(page)).toContainText(doc.title);
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(outline).toBeHidden();
  await toggle.click();
  await expect(outline).toBeVisible();
});

test('the People table of the administration fits a 1366 px laptop screen', async ({ openAs }) => {
  const admin = await openAs(ADMIN, { viewport: LAPTOP });
  await admin.goto('/admin/people');
  const table = admin.getByRole('table', { name: 'People' });
  await expect(table.getByRole('row').filter({ hasText: CONTRIBUTOR.name })).toBeVisible();

  expect(await horizontalOverflow(admin)).toBeLessThanOrEqual(0);
  // Nothing hides in a sideways scroll inside the table either.
  const hidden = await table.evaluate((element) => element.scrollWidth - element.parentElement!.clientWidth);
  expect(hidden).toBeLessThanOrEqual(0);
  // Scrolled to (the list grows with every account), a row's last action is wholly visible.
  const lastAction = table.getByRole('row').filter({ hasText: CONTRIBUTOR.name }).getByRole('button', { name: 'Deactivate' });
  await lastAction.scrollIntoViewIfNeeded();
  await expect(lastAction).toBeInViewport({ ratio: 1 });
});
