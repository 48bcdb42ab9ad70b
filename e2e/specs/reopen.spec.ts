/**
 * Reopening a document this device has a copy of: the editor starts from the copy, and
 * the server — told what the copy holds — sends only what changed since, not the whole
 * document again (people open the same draft many times a day, often on slow hospital
 * networks).
 */
import { editor, expect, expectWritten, openDocument, paragraphUnderSection, saveStatus, test, typeInto, type Fixtures } from '../fixtures';
import { countCollabBytes } from '../collabBytes';
import { CHAIR, CONTRIBUTOR } from '../people';

/**
 * A contributor types `sentence` into a new document, sees it saved and closes the tab;
 * returns the document and a new, not yet navigated tab of the same browser, which has
 * the document's copy (add init scripts to it before opening the document).
 */
async function copyKeptOnThisDevice(createDocument: Fixtures['createDocument'], openAs: Fixtures['openAs'], title: string, sentence: string) {
  const doc = await createDocument({ title });
  const contributor = await openAs(CONTRIBUTOR);
  await openDocument(contributor, doc);
  await typeInto(contributor, paragraphUnderSection(contributor, 'Scope and objectives'), sentence);
  await expect(saveStatus(contributor)).toHaveText(/^All changes saved$/);
  const browser = contributor.context();
  await contributor.close();
  return { doc, reopened: await browser.newPage() };
}

test('reopening a document downloads only what changed since, and shows it', async ({ createDocument, openAs }) => {
  const doc = await createDocument({ title: 'Survivorship call — opened every morning' });
  const contributor = await openAs(CONTRIBUTOR);
  const chair = await openAs(CHAIR);

  // A longer draft, so that "the whole document" and "what changed" are far apart.
  await openDocument(chair, doc);
  const background = 'Survivorship care plans differ between the participating centres in scope, timing and who writes them. '.repeat(60);
  await paragraphUnderSection(chair, 'Background and purpose of the network').click();
  await chair.keyboard.press('End');
  await chair.keyboard.insertText(background);
  await expect(saveStatus(chair)).toHaveText(/^All changes saved$/);

  const firstBytes = await countCollabBytes(contributor);
  await openDocument(contributor, doc);
  await expect(editor(contributor)).toContainText('who writes them.');
  const firstOpen = firstBytes();
  const contributorBrowser = contributor.context();
  await contributor.close();

  const sentence = 'Added while the contributor was away.';
  await typeInto(chair, paragraphUnderSection(chair, 'How to apply'), sentence);
  await expect(saveStatus(chair)).toHaveText(/^All changes saved$/);

  // The same browser, a new tab.
  const reopened = await contributorBrowser.newPage();
  const reopenBytes = await countCollabBytes(reopened);
  await openDocument(reopened, doc);
  await expectWritten(paragraphUnderSection(reopened, 'How to apply'), sentence);
  await expect(editor(reopened)).toContainText('who writes them.');
  const reopen = reopenBytes();

  expect(firstOpen).toBeGreaterThan(background.length);
  // The reopen carries the new sentence, the server's state vector, carets and acks.
  expect(reopen).toBeLessThan(firstOpen / 4);
});

test('a document whose copy the browser has cleared opens from the server and saves as before', async ({ createDocument, openAs }) => {
  const doc = await createDocument({ title: 'Survivorship call — copy cleared by the browser' });
  const chair = await openAs(CHAIR);
  await openDocument(chair, doc);
  const sentence = 'Written before the browser cleared its storage.';
  await typeInto(chair, paragraphUnderSection(chair, 'How to apply'), sentence);
  await expect(saveStatus(chair)).toHaveText(/^All changes saved$/);

  // The browser removes the database (storage pressure, "clear site data") but the app's
  // list of copies still names it.
  const name = `jane-doc-${doc.id}`;
  await chair.goto('/');
  const deleted = await chair.evaluate(
    (db) => new Promise<string>((resolve) => {
      const request = indexedDB.deleteDatabase(db);
      request.onsuccess = () => resolve('deleted');
      request.onerror = () => resolve('failed');
      request.onblocked = () => resolve('blocked');
    }),
    name,
  );
  expect(deleted).toBe('deleted');
  expect(await chair.evaluate(() => Object.keys(JSON.parse(localStorage.getItem('jane.localCopies') ?? '{}')))).toContain(doc.id);

  await openDocument(chair, doc);
  await expectWritten(paragraphUnderSection(chair, 'How to apply'), sentence);
  await typeInto(chair, paragraphUnderSection(chair, 'How to apply'), ' And after.');
  await expect(saveStatus(chair)).toHaveText(/^All changes saved$/);
  await chair.reload();
  await expectWritten(paragraphUnderSection(chair, 'How to apply'), `${sentence} And after.`);
});

test('a reopened draft is never shown empty: the first frame with the editor already has its text', async ({ createDocument, openAs }) => {
  const sentence = 'Follow-up care is shared between the oncologist and the family doctor.';
  const { doc, reopened } = await copyKeptOnThisDevice(createDocument, openAs, 'Survivorship call — no blank flash', sentence);
  // Before each frame is drawn: whether the editor is on the page and holds the sentence.
  await reopened.addInitScript((text) => {
    const frames: { editor: boolean; text: boolean }[] = [];
    (window as unknown as { editorFrames: typeof frames }).editorFrames = frames;
    const look = () => {
      const editorElement = document.querySelector('#document-editor');
      frames.push({ editor: editorElement !== null, text: editorElement?.textContent?.includes(text) ?? false });
      if (frames.length < 600) requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  }, sentence);
  await reopened.goto(doc.path);
  await expectWritten(paragraphUnderSection(reopened, 'Scope and objectives'), sentence);
  const frames = await reopened.evaluate(() => (window as unknown as { editorFrames: { editor: boolean; text: boolean }[] }).editorFrames);
  const withEditor = frames.filter((frame) => frame.editor);
  expect(withEditor.length).toBeGreaterThan(0);
  expect(withEditor[0]).toEqual({ editor: true, text: true });
});

test('a reopened draft is drawn once: its blocks are not thrown away and built again after the editor is on the page', async ({ createDocument, openAs }) => {
  const sentence = 'Each centre names one contact person for the network.';
  const { doc, reopened } = await copyKeptOnThisDevice(createDocument, openAs, 'Survivorship call — drawn once', sentence);
  // Blocks with text taken out of the editor once it is on the page: drawing the whole
  // draft a second time (a long document's open paying twice) replaces every one of
  // them. (The text may also arrive just after the editor is built, replacing only its
  // empty first paragraph; a colleague's or the server's change replaces a block or two.)
  await reopened.addInitScript(() => {
    const counts = { replaced: 0 };
    (window as unknown as { drawing: typeof counts }).drawing = counts;
    new MutationObserver((records) => {
      for (const record of records) {
        if (!(record.target instanceof Element) || record.target.id !== 'document-editor') continue;
        counts.replaced += [...record.removedNodes].filter((node) => node instanceof Element && (node.textContent ?? '').trim() !== '').length;
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await reopened.goto(doc.path);
  await expectWritten(paragraphUnderSection(reopened, 'Scope and objectives'), sentence);
  // Barrier: the server has answered (its sync is what could still change the text).
  await expect(saveStatus(reopened)).toHaveText(/^All changes saved$/);
  const { replaced, withText } = await reopened.evaluate(() => ({
    replaced: (window as unknown as { drawing: { replaced: number } }).drawing.replaced,
    withText: [...document.querySelectorAll('#document-editor > *')].filter((block) => (block.textContent ?? '').trim() !== '').length,
  }));
  expect(withText).toBeGreaterThan(5);
  expect(replaced).toBeLessThan(withText / 2);
});
