/**
 * Who may do what, as one table: every role (and an administrator who is not a member,
 * and an outsider) × every action. This is the place a reader checks the rules.
 */
import { describe, expect, it } from 'vitest';
import { ACTIONS, can, type Action, type ActionSubjects, type Actor } from './policy.js';

const ME = 'me';
const SOMEONE = 'someone-else';
type Who = 'chair' | 'lead' | 'contributor' | 'observer' | 'admin' | 'outsider';
const WHO: Who[] = ['chair', 'lead', 'contributor', 'observer', 'admin', 'outsider'];

function actor(who: Who): Actor {
  if (who === 'admin') return { userId: ME, isAdmin: true, role: 'chair' }; // acts as chair where not a member
  if (who === 'outsider') return { userId: ME, isAdmin: false, role: null };
  return { userId: ME, isAdmin: false, role: who };
}

/** Each case: the action, a subject, and who may — in the order of WHO. */
type Case = { action: Action; subject?: ActionSubjects[Action]; label?: string; allowed: Who[] };

const LIVE = { archived: false };
const ARCHIVED = { archived: true };
const editors: Who[] = ['chair', 'lead', 'contributor', 'admin'];
const members: Who[] = ['chair', 'lead', 'contributor', 'observer', 'admin'];
const chairs: Who[] = ['chair', 'admin'];
const chairsAndLeads: Who[] = ['chair', 'lead', 'admin'];

const CASES: Case[] = [
  { action: 'workspace.view', allowed: members },
  { action: 'workspace.manageMembers', allowed: chairs },
  { action: 'workspace.createDocument', allowed: editors },
  { action: 'workspace.runMeetings', allowed: chairs },
  { action: 'member.change', subject: { userId: SOMEONE }, label: 'someone else', allowed: chairs },
  { action: 'member.change', subject: { userId: ME }, label: 'oneself', allowed: ['admin'] },
  { action: 'document.view', allowed: members },
  { action: 'document.edit', subject: LIVE, label: 'a draft', allowed: editors },
  { action: 'document.edit', subject: ARCHIVED, label: 'archived', allowed: [] },
  { action: 'document.rename', subject: LIVE, label: 'a draft', allowed: editors },
  { action: 'document.rename', subject: ARCHIVED, label: 'archived', allowed: chairsAndLeads },
  { action: 'document.archive', subject: LIVE, allowed: chairsAndLeads },
  { action: 'document.comment', subject: LIVE, label: 'a draft', allowed: members },
  { action: 'document.comment', subject: ARCHIVED, label: 'archived', allowed: chairsAndLeads },
  { action: 'section.setOwner', subject: { ownerId: null }, allowed: chairs },
  { action: 'section.own', label: 'be made an owner', allowed: editors },
  { action: 'section.setStatus', subject: { ownerId: ME, from: 'draft', to: 'in-review' }, label: 'own: to review', allowed: editors },
  { action: 'section.setStatus', subject: { ownerId: SOMEONE, from: 'draft', to: 'in-review' }, label: "someone else's: to review", allowed: chairs },
  { action: 'section.setStatus', subject: { ownerId: ME, from: 'in-review', to: 'draft' }, label: 'own: back to draft', allowed: editors },
  { action: 'section.setStatus', subject: { ownerId: ME, from: 'in-review', to: 'agreed' }, label: 'own: agree', allowed: chairsAndLeads },
  { action: 'section.setStatus', subject: { ownerId: SOMEONE, from: 'in-review', to: 'agreed' }, label: "someone else's: agree", allowed: chairs },
  { action: 'section.setStatus', subject: { ownerId: ME, from: 'agreed', to: 'draft' }, label: 'own: reopen', allowed: chairsAndLeads },
  { action: 'section.editAgreed', subject: { ownerId: ME }, label: 'own agreed section', allowed: chairsAndLeads },
  { action: 'section.editAgreed', subject: { ownerId: SOMEONE }, label: "someone else's agreed section", allowed: chairs },
  { action: 'version.create', subject: LIVE, label: 'a draft', allowed: editors },
  { action: 'version.create', subject: ARCHIVED, label: 'archived', allowed: [] },
  { action: 'version.restore', subject: LIVE, label: 'a draft', allowed: chairs },
  { action: 'version.restore', subject: ARCHIVED, label: 'archived', allowed: [] },
  { action: 'version.restoreSection', subject: { archived: false, ownerId: ME }, label: 'own section', allowed: chairsAndLeads },
  { action: 'version.restoreSection', subject: { archived: false, ownerId: SOMEONE }, label: "someone else's section", allowed: chairs },
  { action: 'thread.resolve', subject: { createdBy: ME }, label: 'own thread', allowed: members },
  { action: 'thread.resolve', subject: { createdBy: SOMEONE }, label: "someone else's thread", allowed: chairsAndLeads },
  { action: 'comment.edit', subject: { authorId: ME }, label: 'own comment', allowed: members },
  { action: 'comment.edit', subject: { authorId: SOMEONE }, label: "someone else's", allowed: [] },
  { action: 'comment.delete', subject: { authorId: ME }, label: 'own comment', allowed: members },
  { action: 'comment.delete', subject: { authorId: SOMEONE }, label: "someone else's", allowed: [] },
  { action: 'meeting.join', allowed: members },
  { action: 'meeting.run', allowed: chairs },
  { action: 'meeting.exportAttendance', allowed: chairs },
  { action: 'meeting.writeMinutes', allowed: chairs },
  { action: 'people.browse', allowed: chairs },
  { action: 'admin.accounts', allowed: ['admin'] },
  { action: 'admin.workspaces', allowed: ['admin'] },
];

describe('the policy', () => {
  it.each(CASES.map((c) => [`${c.action}${c.label ? ` (${c.label})` : ''}`, c] as const))('%s', (_name, c) => {
    const allowed = WHO.filter((who) => (can as (a: Actor, action: Action, s?: unknown) => boolean)(actor(who), c.action, c.subject));
    expect(allowed).toEqual(c.allowed);
  });

  it('has a case for every action', () => {
    expect(new Set(CASES.map((c) => c.action))).toEqual(new Set(ACTIONS));
  });
});
