/**
 * Two people in two countries edit one draft at the same time: each sees the other's
 * words and named caret, both are told everything is saved, and the text is still there
 * after a reload and for someone who opens the document fresh.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { editor, expect, expectWritten, openDocument, paragraphUnderSection, remoteCaret, saveStatus, signInThroughUi, test } from '../fixtures';
import { CHAIR, CONTRIBUTOR, OBSERVER } from '../people';

const screenshotPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'screenshots', 'document.png');

test('two people from Italy and Germany co-edit a draft live with named carets and an honest saved state', async ({
  createDocument,
  openAnonymous,
  openAs,
}) => {
  const doc = await createDocument({ title: 'Call for expressions of interest — OMICS network' });
  const italy = await openAnonymous();
  const germany = await openAnonymous();
  await signInThroughUi(italy, CHAIR);
  await signInThroughUi(germany, CONTRIBUTOR);
  await openDocument(italy, doc);
  await openDocument(germany, doc);

  // Each sees the other in the document (server-stamped names, countries).
  await expect(italy.getByTestId('people-list')).toContainText(CONTRIBUTOR.name);
  await expect(germany.getByTestId('people-list')).toContainText(CHAIR.name);

  const italianText = 'The network pools omics platforms from twelve Member States.';
  const germanText = 'Applicants need national endorsement from their ministry.';
  await paragraphUnderSection(italy, 'Background and purpose of the network').click();
  await paragraphUnderSection(germany, 'Who may apply').click();
  // Both type at the same time.
  await Promise.all([italy.keyboard.type(italianText, { delay: 20 }), germany.keyboard.type(germanText, { delay: 20 })]);

  await expect(editor(italy)).toContainText(germanText);
  await expect(editor(germany)).toContainText(italianText);
  await expectWritten(paragraphUnderSection(italy, 'Who may apply'), germanText);
  await expectWritten(paragraphUnderSection(germany, 'Background and purpose of the network'), italianText);

  // Each sees the other's caret, labelled with the other's name.
  await expect(remoteCaret(italy, CONTRIBUTOR.name)).toBeVisible();
  await expect(remoteCaret(germany, CHAIR.name)).toBeVisible();

  await expect(saveStatus(italy)).toHaveText(/^All changes saved$/);
  await expect(saveStatus(germany)).toHaveText(/^All changes saved$/);
  await italy.screenshot({ path: screenshotPath });

  // A reload shows the same text…
  await italy.reload();
  await expectWritten(paragraphUnderSection(italy, 'Background and purpose of the network'), italianText);
  await expectWritten(paragraphUnderSection(italy, 'Who may apply'), germanText);
  await expect(saveStatus(italy)).toHaveText(/^All changes saved$/);

  // …and so does a browser that has never seen the document (nothing from its device cache).
  const fresh = await openAs(OBSERVER);
  await fresh.goto(doc.path);
  await expectWritten(paragraphUnderSection(fresh, 'Background and purpose of the network'), italianText);
  await expectWritten(paragraphUnderSection(fresh, 'Who may apply'), germanText);
});

test('your caret stays in your section when a colleague starts writing in a section above', async ({ createDocument, openAs }) => {
  const doc = await createDocument();
  const italy = await openAs(CHAIR);
  const germany = await openAs(CONTRIBUTOR);
  await openDocument(italy, doc);
  await openDocument(germany, doc);

  // Germany puts the caret into the empty paragraph of "Who may apply"…
  await paragraphUnderSection(germany, 'Who may apply').click();
  // …while Italy starts the (also empty) paragraph of the first section.
  await paragraphUnderSection(italy, 'Background and purpose of the network').click();
  await italy.keyboard.type('T');
  await expectWritten(paragraphUnderSection(germany, 'Background and purpose of the network'), 'T');

  await germany.keyboard.type('Hospitals with a national designation.');
  await expectWritten(paragraphUnderSection(germany, 'Who may apply'), 'Hospitals with a national designation.');
  await expectWritten(paragraphUnderSection(germany, 'Eligibility and selection criteria'), '');
  await expectWritten(paragraphUnderSection(italy, 'Who may apply'), 'Hospitals with a national designation.');
});
