/**
 * Comment bodies are plain text. A mention is stored as the token `@[<userId>]` and
 * shown as "@Name"; http(s) and mailto addresses become links. Everything else is text,
 * rendered by Vue as text (never as HTML), so markup in a comment is shown, not run.
 */
import { MENTION_PATTERN, type PersonRef } from '@jane/shared/core';
// The same check as `isSafeHref` from '@jane/shared/editor', taken from its own module:
// that entry also loads the Tiptap extension list, which would pull the whole editor
// (~420 kB) into the home page and the open-threads view that show comment bodies.
import { isSafeHref } from '@jane/shared/core';

export type CommentSegment =
  | { kind: 'text'; text: string }
  | { kind: 'mention'; text: string; personId: string; isSelf: boolean }
  | { kind: 'link'; text: string; href: string };

const URL_PATTERN = /\b(?:https?:\/\/|mailto:)[^\s<>"]+/gi;
/** Punctuation that ends a sentence rather than the address ("see https://x.eu."). */
const TRAILING_PUNCTUATION = /[.,;:!?'")\]}]+$/;

function linkify(text: string, into: CommentSegment[]): void {
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let candidate = match[0];
    const trailing = TRAILING_PUNCTUATION.exec(candidate)?.[0] ?? '';
    // Keep a closing parenthesis that belongs to the address, e.g. a Wikipedia link.
    const keepParen = trailing.startsWith(')') && candidate.slice(0, -trailing.length).includes('(');
    if (trailing && !keepParen) candidate = candidate.slice(0, -trailing.length);
    const start = match.index;
    if (!isSafeHref(candidate) || candidate.replace(/^(https?:\/\/|mailto:)/i, '') === '') continue;
    if (start > last) into.push({ kind: 'text', text: text.slice(last, start) });
    into.push({ kind: 'link', text: candidate, href: candidate });
    last = start + candidate.length;
  }
  if (last < text.length) into.push({ kind: 'text', text: text.slice(last) });
}

/**
 * Splits a stored body into what to show. `mentions` are the members the server
 * recognised in it; other tokens stay as written.
 */
export function commentSegments(body: string, mentions: readonly PersonRef[], selfId: string | null): CommentSegment[] {
  const names = new Map(mentions.map((person) => [person.id, person.name]));
  const segments: CommentSegment[] = [];
  let last = 0;
  for (const match of body.matchAll(new RegExp(MENTION_PATTERN.source, 'g'))) {
    const personId = match[1]!;
    const name = names.get(personId);
    if (name === undefined) continue;
    if (match.index > last) linkify(body.slice(last, match.index), segments);
    segments.push({ kind: 'mention', text: `@${name}`, personId, isSelf: personId === selfId });
    last = match.index + match[0].length;
  }
  if (last < body.length) linkify(body.slice(last), segments);
  return segments;
}

export interface MentionCandidate {
  id: string;
  name: string;
}

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What the person wrote → the stored body: every "@Full Name" of a workspace member
 * becomes that member's token. Longer names go first, so "@Ana Maria Costa" is not
 * taken for "@Ana Maria".
 */
export function toStoredBody(text: string, people: readonly MentionCandidate[]): string {
  const byLength = [...people].filter((p) => p.name.trim() !== '').sort((a, b) => b.name.length - a.name.length);
  let result = text;
  for (const person of byLength) {
    const pattern = new RegExp(`@${escapeForPattern(person.name)}(?![\\p{L}\\p{N}_])`, 'gu');
    result = result.replace(pattern, `@[${person.id}]`);
  }
  return result;
}

/** A stored body → text to edit: known tokens become "@Full Name" again. */
export function toEditableText(body: string, people: readonly MentionCandidate[]): string {
  const names = new Map(people.map((person) => [person.id, person.name]));
  return body.replace(new RegExp(MENTION_PATTERN.source, 'g'), (token, personId: string) => {
    const name = names.get(personId);
    return name === undefined ? token : `@${name}`;
  });
}

/** Lower case without accents, so "muller" finds "Müller". */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
