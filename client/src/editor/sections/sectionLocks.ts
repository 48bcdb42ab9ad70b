/**
 * Agreed sections, locked in the editor for those who may not change them: their blocks
 * are drawn locked (a tinted band and an "Agreed" badge on the heading), and a local
 * change that would alter one — typing, deleting, pasting, a new block inside it, or the
 * heading itself — is not applied, and `onRefused` says why. The server enforces the same
 * rule (collab/sectionLocks.ts); this only spares people typing what would be undone.
 *
 * The rule matches the server's: a section is its heading and every top-level block up to
 * the next heading of the same or a higher level. A change is refused when any locked
 * section's sequence of blocks is not the same after it (compared by node identity,
 * which ProseMirror keeps for untouched nodes, so the check is cheap). A heading of the
 * section's level or higher added right after it starts a new section, and is allowed.
 * Changes that arrive through Yjs (colleagues, the server's corrections, undo) pass.
 *
 * The drawing follows the text: a change inside one text block (typing, nearly always)
 * leaves the sections' blocks as they were, so the decorations are only mapped through
 * it; anything else draws them again.
 */
import { Extension } from '@tiptap/core';
import { isChangeOrigin } from '@tiptap/extension-collaboration';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { changedRange, mappingOf } from '../incrementalSync';

export interface LockedSection {
  id: string;
  /** Position of the heading, and the end of the section's last block. */
  from: number;
  to: number;
  blocks: ProseMirrorNode[];
}

/** The locked sections of a document, as ranges of top-level blocks. */
export function lockedSectionsOf(doc: ProseMirrorNode, isLocked: (sectionId: string) => boolean): LockedSection[] {
  const top: { node: ProseMirrorNode; pos: number }[] = [];
  doc.forEach((node, pos) => top.push({ node, pos }));
  const sections: LockedSection[] = [];
  const seen = new Set<string>();
  top.forEach(({ node, pos }, index) => {
    const id = node.type.name === 'heading' ? node.attrs.sectionId : null;
    if (typeof id !== 'string' || !id || seen.has(id) || !isLocked(id)) return;
    seen.add(id); // a pasted copy sharing the id is not the section (the server gives it its own)
    const level = Number(node.attrs.level) || 1;
    let end = index + 1;
    while (end < top.length) {
      const next = top[end]!.node;
      if (next.type.name === 'heading' && (Number(next.attrs.level) || 1) <= level) break;
      end++;
    }
    const last = top[end - 1]!;
    sections.push({ id, from: pos, to: last.pos + last.node.nodeSize, blocks: top.slice(index, end).map((b) => b.node) });
  });
  return sections;
}

/** Whether going from `before` to `after` changes a locked section (its blocks, or removes it). */
export function changesLockedSection(before: ProseMirrorNode, after: ProseMirrorNode, isLocked: (sectionId: string) => boolean): boolean {
  const was = lockedSectionsOf(before, isLocked);
  if (was.length === 0) return false;
  const now = new Map(lockedSectionsOf(after, isLocked).map((s) => [s.id, s]));
  return was.some((section) => {
    const current = now.get(section.id);
    return !current || current.blocks.length !== section.blocks.length || current.blocks.some((block, i) => !block.eq(section.blocks[i]!));
  });
}

export interface SectionLocksOptions {
  isLocked: (sectionId: string) => boolean;
  /** A local change was not applied because it touched a locked section. */
  onRefused: () => void;
  /** The badge on a locked heading. */
  label: string;
}

export const sectionLocksKey = new PluginKey<DecorationSet>('sectionLocks');

function decorate(doc: ProseMirrorNode, options: SectionLocksOptions): DecorationSet {
  const decorations: Decoration[] = [];
  for (const section of lockedSectionsOf(doc, options.isLocked)) {
    let pos = section.from;
    section.blocks.forEach((block, i) => {
      decorations.push(
        Decoration.node(pos, pos + block.nodeSize, i === 0 ? { class: 'section-locked section-locked--heading', 'data-lock-label': options.label } : { class: 'section-locked' }),
      );
      pos += block.nodeSize;
    });
  }
  return DecorationSet.create(doc, decorations);
}

/** Whether `from`–`to` of `doc` lies inside one text block (its content only). */
function insideOneTextblock(doc: ProseMirrorNode, from: number, to: number): boolean {
  const $from = doc.resolve(from);
  return $from.parent.isTextblock && to <= $from.end() && $from.depth > 0;
}

/** The locks after a change of the text: mapped when it stayed inside one text block, else drawn again. */
function afterChange(tr: Transaction, old: DecorationSet, before: ProseMirrorNode, options: SectionLocksOptions): DecorationSet {
  const range = changedRange(before, tr.doc);
  if (!range) return old;
  if (insideOneTextblock(before, range.from, range.toA) && insideOneTextblock(tr.doc, range.from, range.toB)) {
    // Remote changes arrive as one step replacing everything: map through what really changed.
    return old.map(isChangeOrigin(tr) ? mappingOf(range) : tr.mapping, tr.doc);
  }
  return decorate(tr.doc, options);
}

export const SectionLocks = Extension.create<SectionLocksOptions>({
  name: 'sectionLocks',

  addOptions() {
    return { isLocked: () => false, onRefused: () => {}, label: 'Agreed' };
  },

  addProseMirrorPlugins() {
    const options = this.options;
    return [
      new Plugin<DecorationSet>({
        key: sectionLocksKey,
        state: {
          init: (_config, state) => decorate(state.doc, options),
          // Redrawn when the locks change (a transaction with this plugin's meta) or the blocks do.
          apply: (tr, old, before, state) => {
            if (tr.getMeta(sectionLocksKey)) return decorate(state.doc, options);
            return tr.docChanged ? afterChange(tr, old, before.doc, options) : old;
          },
        },
        props: {
          decorations: (state) => sectionLocksKey.getState(state),
        },
        filterTransaction: (tr, state) => {
          if (!tr.docChanged || isChangeOrigin(tr)) return true;
          if (!changesLockedSection(state.doc, tr.doc, options.isLocked)) return true;
          options.onRefused();
          return false;
        },
      }),
    ];
  },
});
