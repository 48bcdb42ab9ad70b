/** An observer reads along live but cannot change a word. */
import { editor, expectWritten, expect, openDocument, paragraphUnderSection, remoteCaret, saveStatus, test, typeInto, writtenText } from '../fixtures';
import { CHAIR, OBSERVER } from '../people';

test('an observer sees a read-only document that still updates live', async ({ createDocument, openAs }) => {
  const doc = await createDocument();
  const chair = await openAs(CHAIR);
  const observer = await openAs(OBSERVER);
  await openDocument(chair, doc);
  await openDocument(observer, doc, /^Read-only$/);

  await expect(editor(observer)).toHaveAttribute('contenteditable', 'false');
  await expect(observer.getByText('You can read this document and follow edits live.')).toBeVisible();
  await expect(observer.getByRole('toolbar', { name: 'Formatting' })).toHaveCount(0);
  await expect(observer.getByRole('textbox', { name: 'Document title' })).toHaveCount(0);

  // Typing changes nothing, here or for anyone else.
  const before = await writtenText(editor(observer));
  await paragraphUnderSection(observer, 'Scope and objectives').click();
  await observer.keyboard.type('observer typing');
  await observer.keyboard.press('Enter');
  expect(await writtenText(editor(observer))).toBe(before);

  // The chair's edits arrive live, with the chair's caret.
  await typeInto(chair, paragraphUnderSection(chair, 'Scope and objectives'), 'Scope agreed at the Rome meeting.');
  await expectWritten(paragraphUnderSection(observer, 'Scope and objectives'), 'Scope agreed at the Rome meeting.');
  await expect(remoteCaret(observer, CHAIR.name)).toBeVisible();
  await expect(saveStatus(chair)).toHaveText(/^All changes saved$/);
  await expect(saveStatus(observer)).toHaveText(/^Read-only$/);
  // By now anything the observer's browser sent would have arrived too: nothing did.
  await expect(editor(chair)).not.toContainText('observer typing');
  await expect(editor(observer)).not.toContainText('observer typing');

  // The chair sees the observer as reading, not editing.
  await expect(chair.getByTestId('people-list').locator('li', { hasText: OBSERVER.name })).toContainText('Reading');
});
