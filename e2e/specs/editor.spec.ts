/** The formatting toolbar: keyboard-usable, states announced, safe links, tables, undo. */
import { editor, expect, openDocument, paragraphUnderSection, saveStatus, test, typeInto } from '../fixtures';
import { CONTRIBUTOR } from '../people';

test('the toolbar formats text, refuses unsafe links, edits tables and undoes', async ({ createDocument, openAs }) => {
  const doc = await createDocument();
  const page = await openAs(CONTRIBUTOR);
  await openDocument(page, doc);
  const toolbar = page.getByRole('toolbar', { name: 'Formatting' });
  const paragraph = paragraphUnderSection(page, 'Scope and objectives');

  // Bold: the button reports its state.
  await typeInto(page, paragraph, 'Scope ');
  const bold = toolbar.getByRole('button', { name: 'Bold' });
  await expect(bold).toHaveAttribute('aria-pressed', 'false');
  await bold.click();
  await expect(bold).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.type('agreed');
  await expect(paragraph.locator('strong')).toHaveText('agreed');

  // The toolbar is one tab stop; arrow keys move inside it.
  await toolbar.getByRole('button', { name: 'Heading 1' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(toolbar.getByRole('button', { name: 'Heading 2' })).toBeFocused();

  // Links: javascript: is refused with a message saying what is allowed; a bare address gets https://.
  await paragraph.click();
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  await toolbar.getByRole('button', { name: 'Link' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a link' });
  await dialog.getByLabel('Web or email address').fill('javascript:alert(1)');
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog.getByText(/Enter a web address starting with https:\/\//)).toBeVisible();
  await expect(dialog.getByLabel('Web or email address')).toHaveAttribute('aria-invalid', 'true');
  await dialog.getByLabel('Web or email address').fill('jane-project.eu/wp9');
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog).toBeHidden();
  await expect(paragraph.locator('a')).toHaveAttribute('href', 'https://jane-project.eu/wp9');

  // Tables: row and column tools appear inside a table.
  await paragraphUnderSection(page, 'Assessment procedure and timeline').click();
  await expect(toolbar.getByRole('button', { name: 'Add row below' })).toHaveCount(0);
  await toolbar.getByRole('button', { name: 'Insert table' }).click();
  await expect(editor(page).locator('table tr')).toHaveCount(3);
  // Drawn by the table's node view: a wide table scrolls inside its wrapper, not the page.
  await expect(editor(page).locator('.tableWrapper > table')).toHaveCount(1);
  await toolbar.getByRole('button', { name: 'Add row below' }).click();
  await expect(editor(page).locator('table tr')).toHaveCount(4);
  await toolbar.getByRole('button', { name: 'Add column to the right' }).click();
  await expect(editor(page).locator('table tr').first().locator('th')).toHaveCount(4);

  // Undo takes my last change back (Yjs groups changes made in quick succession), redo
  // brings it back, and the keyboard shortcut does the same.
  const undo = toolbar.getByRole('button', { name: 'Undo' });
  const redo = toolbar.getByRole('button', { name: 'Redo' });
  const headerCells = editor(page).locator('table tr').first().locator('th');
  await expect(redo).toHaveAttribute('aria-disabled', 'true');
  await undo.click();
  await expect(headerCells).not.toHaveCount(4);
  await expect(redo).toHaveAttribute('aria-disabled', 'false');
  await redo.click();
  await expect(headerCells).toHaveCount(4);
  await expect(editor(page).locator('table tr')).toHaveCount(4);
  await editor(page).locator('table td').first().click();
  await page.keyboard.press('Control+z');
  await expect(headerCells).not.toHaveCount(4);

  // Deleting the last column deletes the table, as a word processor does (the button is
  // never enabled and idle).
  await paragraphUnderSection(page, 'Data protection').click();
  await toolbar.getByRole('button', { name: 'Insert table' }).click();
  await expect(editor(page).locator('table')).toHaveCount(1);
  const columns = await editor(page).locator('table tr').first().locator('th, td').count();
  expect(columns).toBeGreaterThan(1);
  for (let i = 0; i < columns; i++) await toolbar.getByRole('button', { name: 'Delete column' }).click();
  await expect(editor(page).locator('table')).toHaveCount(0);
  await expect(toolbar.getByRole('button', { name: 'Delete column' })).toHaveCount(0);
  await expect(saveStatus(page)).toHaveText(/^All changes saved$/);
});
