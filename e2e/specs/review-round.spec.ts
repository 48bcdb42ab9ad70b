/**
 * A review round, end to end in the browser: the chair assigns a section to a lead from
 * the outline, the lead drafts it and sends it for review, it waits on the chair's home
 * page, the chair agrees it during a meeting, a contributor then finds it locked (and
 * can still write elsewhere), and the workspace's documents list shows the progress.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { editor, expect, expectWritten, openDocument, paragraphUnderSection, saveStatus, test, typeInto } from '../fixtures';
import { endRunningMeetings, startMeeting } from '../meetings';
import { CHAIR, CONTRIBUTOR, LEAD } from '../people';

const SECTION = 'Eligibility and selection criteria';
const screenshots = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

test.beforeEach(async ({ adminApi, cast }) => {
  await endRunningMeetings(adminApi, cast.workspaceId);
});
test.afterEach(async ({ adminApi, cast }) => {
  await endRunningMeetings(adminApi, cast.workspaceId);
});

/** The outline row of a section: its link, owner, status chip and manage button. */
const outlineRow = (page: Page, title: string): Locator => page.getByTestId('outline').getByRole('listitem').filter({ hasText: title });
const sectionDialog = (page: Page): Locator => page.getByRole('dialog', { name: `Section “${SECTION}”` });

async function manage(page: Page): Promise<Locator> {
  await outlineRow(page, SECTION).getByRole('button', { name: `Manage section “${SECTION}”` }).click();
  const dialog = sectionDialog(page);
  await expect(dialog).toBeVisible();
  return dialog;
}

test('a chair runs a review round: owner assigned, sent for review, agreed in a meeting, locked for a contributor, progress in the list', async ({
  openAs,
  createDocument,
  cast,
}) => {
  const doc = await createDocument({ title: 'Call for expressions of interest — review round' });
  const chair = await openAs(CHAIR);
  const lead = await openAs(LEAD);
  const contributor = await openAs(CONTRIBUTOR);

  // Every section of the template starts as a draft with no owner; the title is not a section.
  await openDocument(chair, doc);
  await expect(chair.getByTestId('outline-section')).toHaveCount(8);
  await expect(outlineRow(chair, SECTION).getByTestId('section-status')).toHaveText('Draft');

  // The chair makes the lead the owner; the activity records it.
  let dialog = await manage(chair);
  await dialog.getByLabel('Owner').selectOption({ label: LEAD.name });
  await expect(dialog.getByTestId('section-activity')).toContainText(`${CHAIR.name} made ${LEAD.name} the owner`);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(outlineRow(chair, SECTION)).toContainText(`Owner: ${LEAD.name}`);

  // The lead sees it among "my sections", drafts it and sends it for review.
  await lead.goto('/');
  await expect(lead.getByTestId('sections-mine')).toContainText(SECTION);
  await lead.getByTestId('sections-mine').getByRole('link', { name: SECTION }).click();
  await expect(editor(lead)).toContainText(doc.title);
  await lead.getByTestId('outline-only-mine').check();
  await expect(lead.getByTestId('outline').getByRole('listitem')).toHaveCount(1);
  await lead.getByTestId('outline-only-mine').uncheck();
  await typeInto(lead, paragraphUnderSection(lead, SECTION), 'Applicants must be designated centres.');
  await expect(saveStatus(lead)).toHaveText(/^All changes saved$/);
  dialog = await manage(lead);
  await expect(dialog.getByRole('button', { name: 'Mark agreed' })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Send for review' }).click();
  await expect(dialog.getByTestId('section-status')).toHaveText('In review');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Live for the chair, and waiting on the chair's home page.
  await expect(outlineRow(chair, SECTION).getByTestId('section-status')).toHaveText('In review');
  const home = await openAs(CHAIR);
  await home.goto('/');
  await expect(home.getByTestId('sections-waiting')).toContainText(SECTION);
  await expect(home.getByTestId('sections-waiting')).toContainText(`Owner: ${LEAD.name}`);

  // The chair agrees it in a meeting that has it on the agenda.
  await startMeeting(chair, cast.workspaceId, 'Review of the call', { agenda: [{ title: 'Eligibility', document: doc.title, section: SECTION }] });
  await openDocument(chair, doc);
  dialog = await manage(chair);
  await dialog.getByRole('button', { name: 'Mark agreed' }).click();
  await expect(dialog.getByTestId('section-status')).toHaveText('Agreed');
  await expect(dialog.getByTestId('section-activity')).toContainText(`${CHAIR.name} moved it from In review to Agreed`);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(home.getByTestId('sections-waiting')).toHaveCount(0);

  // A contributor finds it locked: typing there changes nothing; the next section is theirs to write.
  await openDocument(contributor, doc);
  const agreed = paragraphUnderSection(contributor, SECTION);
  await expect(outlineRow(contributor, SECTION).getByTestId('section-status')).toHaveText('Agreed');
  await expect(editor(contributor).locator(`h2.section-locked--heading:has-text("${SECTION}")`)).toBeVisible();
  await typeInto(contributor, agreed, ' And anyone else.');
  await expect(contributor.getByTestId('lock-notice')).toBeVisible();
  await expectWritten(agreed, 'Applicants must be designated centres.');
  await contributor.screenshot({ path: path.join(screenshots, 'section-locked.png') });
  const next = paragraphUnderSection(contributor, 'Obligations of members and governance');
  await typeInto(contributor, next, 'Members report yearly.');
  await expect(saveStatus(contributor)).toHaveText(/^All changes saved$/);
  await expectWritten(paragraphUnderSection(chair, 'Obligations of members and governance'), 'Members report yearly.');
  await expectWritten(paragraphUnderSection(chair, SECTION), 'Applicants must be designated centres.');
  // The lead owns it, so may still change agreed text: no lock for her.
  await expect(editor(lead).locator('.section-locked')).toHaveCount(0);

  // The documents list shows the progress and who owns what is still open.
  await chair.goto(`/w/${cast.workspaceId}`);
  const row = chair.getByRole('row').filter({ hasText: doc.title });
  await expect(row.getByTestId('section-progress')).toHaveText('1 of 8 agreed');
  await row.getByText('Open sections (7)').click();
  await expect(row.getByRole('listitem').filter({ hasText: 'How to apply' })).toContainText('No owner');
  await chair.screenshot({ path: path.join(screenshots, 'section-progress.png') });
});
