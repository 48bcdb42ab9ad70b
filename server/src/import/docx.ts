/**
 * Word (.docx) → the element tree: the archive is inspected first (yauzl, from its central
 * directory, then by actually inflating the XML parts with their sizes checked), so that a
 * zip bomb or an XML entity trick is refused before mammoth touches the file; mammoth then
 * turns the document into its (limited, well-formed) HTML with Word's heading, list, quote
 * and code styles mapped, images, footnotes and comments recorded and left out.
 */
import mammoth from 'mammoth';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { IMPORT_LIMITS, refusals } from './limits.js';
import { parseHtml } from './html.js';
import type { ContentConverter } from './convert.js';
import type { TreeElement } from './tree.js';

export const DOCUMENT_PART = 'word/document.xml';

/** Entries whose content is XML (mammoth reads them; they must not declare a DOCTYPE or entities). */
const isXmlPart = (name: string) => /\.(xml|rels)$/i.test(name);

const entriesOf = (zip: ZipFile): Promise<Entry[]> =>
  new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      entries.push(entry);
      if (entries.length > IMPORT_LIMITS.zipEntries) reject(refusals.tooManyEntries());
      else zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });

const FORBIDDEN = /<!(DOCTYPE|ENTITY)/i;

/** Inflates one entry (yauzl refuses it when it inflates to another size than its header says) and looks for DOCTYPE/ENTITY. */
async function scanXml(zip: ZipFile, entry: Entry): Promise<boolean> {
  const stream = await zip.openReadStreamPromise(entry);
  let carry = '';
  let found = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = carry + chunk.toString('latin1');
    if (FORBIDDEN.test(text)) {
      found = true;
      stream.destroy();
      break;
    }
    carry = text.slice(-16);
  }
  return found;
}

/**
 * Refuses archives no real Word document looks like: too many entries, too large unpacked,
 * compressed too well, damaged, without word/document.xml, or XML with DOCTYPE/ENTITY.
 */
export async function inspectDocx(buffer: Buffer): Promise<void> {
  let zip: ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  } catch {
    throw refusals.damagedZip();
  }
  try {
    if (zip.entryCount > IMPORT_LIMITS.zipEntries) throw refusals.tooManyEntries();
    let entries: Entry[];
    try {
      entries = await entriesOf(zip);
    } catch (error) {
      if (error instanceof Error && error.name === 'ImportRefusedError') throw error;
      throw refusals.damagedZip();
    }
    let total = 0;
    for (const entry of entries) {
      total += entry.uncompressedSize;
      if (total > IMPORT_LIMITS.unpackedBytes) throw refusals.unpacksTooLarge();
      if (entry.uncompressedSize > IMPORT_LIMITS.ratioCheckedAboveBytes && entry.uncompressedSize > IMPORT_LIMITS.compressionRatio * Math.max(entry.compressedSize, 1)) {
        throw refusals.suspiciousCompression(entry.fileName);
      }
    }
    if (!entries.some((entry) => entry.fileName === DOCUMENT_PART)) throw refusals.notADocument();
    for (const entry of entries) {
      if (!isXmlPart(entry.fileName) || entry.fileName.endsWith('/')) continue;
      let forbidden: boolean;
      try {
        forbidden = await scanXml(zip, entry);
      } catch {
        throw refusals.damagedZip();
      }
      if (forbidden) throw refusals.xmlEntities();
    }
  } finally {
    zip.close();
  }
}

/** Word styles → HTML, on top of mammoth's defaults (headings 1–6, lists, bold, italic, strike…). */
const STYLE_MAP = [
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='Subtitle'] => p:fresh",
  "p[style-name='Quote'] => blockquote > p:fresh",
  "p[style-name='Intense Quote'] => blockquote > p:fresh",
  "p[style-name='Block Text'] => blockquote > p:fresh",
  "p[style-name='Source Code'] => pre:separator('\\n')",
  "r[style-name='Verbatim Char'] => code",
  'u => u',
];

interface MammothElement {
  type: string;
  noteType?: string;
  children?: MammothElement[];
}

/** mammoth's messages worth telling a person (not its notes about styles it has no mapping for). */
function notesFrom(messages: { type: string; message: string }[]): string[] {
  return [...new Set(messages.filter((m) => !/^Unrecognised (paragraph|run|table) style/i.test(m.message)).map((m) => m.message))];
}

/** The Word file as an element tree (after inspectDocx has accepted it). */
export async function docxTree(buffer: Buffer, converter: ContentConverter): Promise<TreeElement> {
  // Footnotes, endnotes and comment markers are removed from the document (so mammoth renders no notes) and counted.
  const strip = (element: MammothElement): MammothElement => {
    if (!element.children) return element;
    element.children = element.children.filter((child) => {
      if (child.type === 'noteReference') {
        converter.drop('footnote', child.noteType === 'endnote' ? 'an endnote' : 'a footnote');
        return false;
      }
      if (child.type === 'commentReference') {
        converter.drop('comment');
        return false;
      }
      return true;
    });
    for (const child of element.children) strip(child);
    return element;
  };
  let result: Awaited<ReturnType<typeof mammoth.convertToHtml>>;
  try {
    result = await mammoth.convertToHtml(
      { buffer },
      {
        styleMap: STYLE_MAP,
        includeEmbeddedStyleMap: false,
        externalFileAccess: false,
        ignoreEmptyParagraphs: true,
        // Images are counted and left out, without reading their bytes.
        convertImage: mammoth.images.imgElement(async () => {
          converter.drop('image');
          return { src: '' };
        }),
        transformDocument: strip,
      },
    );
  } catch {
    throw refusals.unreadableDocx();
  }
  for (const note of notesFrom(result.messages).slice(0, 5)) converter.note(note);
  return parseHtml(result.value);
}
