/**
 * Restoring a version (or one section of it) as a new change: the document's top-level
 * blocks are made equal to the version's, keeping every block that is the same in both
 * (a longest common subsequence of blocks) — so comments anchored in untouched blocks stay
 * attached, and offline copies merge with the restore like with anyone's edit. Blocks
 * that differ are removed and the version's copies inserted (headings keep their section
 * ids). Nothing of the history is erased: the restore is one more authored update.
 */
import * as Y from 'yjs';
import { DOCUMENT_FIELD, sectionsOf } from '@jane/shared';

export class SectionNotInVersionError extends Error {
  constructor(readonly where: 'version' | 'document') {
    super(where === 'version' ? 'That section did not exist in this version.' : 'That section is no longer in the document; restore the whole version instead.');
  }
}

/** A block's identity for matching: its type, attributes and content, as XML. */
const signature = (block: Y.XmlElement | Y.XmlText): string => block.toString();

type Delta = { insert: unknown; attributes?: Record<string, unknown> }[];

/** The single text of a paragraph or heading, or null for any other shape. */
function onlyText(block: Y.XmlElement | Y.XmlText): Y.XmlText | null {
  if (!(block instanceof Y.XmlElement) || block.length !== 1) return null;
  const child = block.get(0);
  return child instanceof Y.XmlText ? child : null;
}

const plain = (delta: Delta) => delta.map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
const sameAttributes = (a: Y.XmlElement, b: Y.XmlElement) => JSON.stringify(a.getAttributes()) === JSON.stringify(b.getAttributes());

/**
 * Turns `current`'s text into `wanted`'s in place when both are one text of the same kind
 * of block (same attributes): the common beginning and end stay, the middle is replaced
 * with the version's (with its formatting). False when that does not apply.
 */
function editInPlace(current: Y.XmlElement | Y.XmlText, wanted: Y.XmlElement | Y.XmlText): boolean {
  const a = onlyText(current);
  const b = onlyText(wanted);
  if (!a || !b) return false;
  const [blockA, blockB] = [current as Y.XmlElement, wanted as Y.XmlElement];
  if (blockA.nodeName !== blockB.nodeName || !sameAttributes(blockA, blockB)) return false;
  const deltaA = a.toDelta() as Delta;
  const deltaB = b.toDelta() as Delta;
  if (deltaA.some((op) => typeof op.insert !== 'string') || deltaB.some((op) => typeof op.insert !== 'string')) return false;
  const textA = plain(deltaA);
  const textB = plain(deltaB);
  if (textA === textB) return false; // only formatting differs: replace the block
  let prefix = 0;
  while (prefix < textA.length && prefix < textB.length && textA[prefix] === textB[prefix]) prefix++;
  let suffix = 0;
  while (suffix < textA.length - prefix && suffix < textB.length - prefix && textA[textA.length - 1 - suffix] === textB[textB.length - 1 - suffix]) suffix++;
  a.delete(prefix, textA.length - prefix - suffix);
  // The version's middle, with its formatting.
  let offset = 0;
  let insertAt = prefix;
  for (const op of deltaB) {
    const text = op.insert as string;
    const from = Math.max(prefix, offset);
    const to = Math.min(textB.length - suffix, offset + text.length);
    if (from < to) {
      a.insert(insertAt, text.slice(from - offset, to - offset), op.attributes ?? {});
      insertAt += to - from;
    }
    offset += text.length;
  }
  return true;
}

/** Longest common subsequence of two signature lists, as index pairs. */
function commonBlocks(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const table: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  }
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/** The range [start, end) of top-level blocks a section spans, or null. */
function sectionRange(fragment: Y.XmlFragment, sectionId: string): [number, number] | null {
  const section = sectionsOf(fragment).find((s) => s.id === sectionId);
  return section ? [section.start, section.end] : null;
}

/**
 * Makes `doc`'s blocks (all, or those of one section) those of `version`. Returns whether
 * anything changed. Throws `SectionNotInVersionError` when the section is missing.
 */
export function restoreBlocks(doc: Y.Doc, version: Y.Doc, sectionId?: string): boolean {
  const target = doc.getXmlFragment(DOCUMENT_FIELD);
  const source = version.getXmlFragment(DOCUMENT_FIELD);
  let [targetStart, targetEnd] = [0, target.length];
  let [sourceStart, sourceEnd] = [0, source.length];
  if (sectionId) {
    const inVersion = sectionRange(source, sectionId);
    if (!inVersion) throw new SectionNotInVersionError('version');
    const inDocument = sectionRange(target, sectionId);
    if (!inDocument) throw new SectionNotInVersionError('document');
    [sourceStart, sourceEnd] = inVersion;
    [targetStart, targetEnd] = inDocument;
  }
  const current = target.toArray().slice(targetStart, targetEnd) as (Y.XmlElement | Y.XmlText)[];
  const wanted = source.toArray().slice(sourceStart, sourceEnd) as (Y.XmlElement | Y.XmlText)[];
  const kept = commonBlocks(current.map(signature), wanted.map(signature));
  if (kept.length === current.length && kept.length === wanted.length) return false;

  doc.transact(() => {
    // Between two kept blocks, the blocks that differ: a paragraph or heading whose text
    // was edited is edited back in place (comments and carets in it stay put); anything
    // else is removed and the version's copy inserted. From the end, so indexes stay valid.
    const anchors: [number, number][] = [[-1, -1], ...kept, [current.length, wanted.length]];
    for (let k = anchors.length - 1; k > 0; k--) {
      const [i0, j0] = anchors[k - 1]!;
      const [i1, j1] = anchors[k]!;
      const gapCurrent = current.slice(i0 + 1, i1);
      const gapWanted = wanted.slice(j0 + 1, j1);
      const paired = Math.min(gapCurrent.length, gapWanted.length);
      const at = targetStart + i0 + 1;
      // Surplus current blocks go; missing version blocks come after the paired ones.
      if (gapCurrent.length > paired) target.delete(at + paired, gapCurrent.length - paired);
      gapWanted.slice(paired).forEach((block, n) => target.insert(at + paired + n, [block.clone()]));
      for (let n = paired - 1; n >= 0; n--) {
        if (!editInPlace(gapCurrent[n]!, gapWanted[n]!)) {
          target.delete(at + n, 1);
          target.insert(at + n, [gapWanted[n]!.clone()]);
        }
      }
    }
  });
  return true;
}
