/** Toolbar icons as SVG path data (24×24, stroked), drawn for this app. */
export const ICONS = {
  bulletList: 'M9 6h11M9 12h11M9 18h11M4.5 6h.01M4.5 12h.01M4.5 18h.01',
  orderedList: 'M10 6h10M10 12h10M10 18h10M4 5l1.5-1v5M3.5 14.5c.3-.9 2.5-1.2 2.5.3 0 1-2.5 1.6-2.5 3.2H6',
  blockquote: 'M4 11.5C4 8 6 5.6 9.4 5l.6 1.6C8 7.3 7 8.6 6.9 10H10v7H4zM13 11.5C13 8 15 5.6 18.4 5l.6 1.6C17 7.3 16 8.6 15.9 10H19v7h-6z',
  link: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
  table: 'M4 5h16v14H4zM4 10h16M4 15h16M10 5v14',
  undo: 'M9 14L4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11',
  redo: 'M15 14l5-5-5-5M20 9H9.5a5.5 5.5 0 0 0 0 11H13',
} as const;

export type IconName = keyof typeof ICONS;

/** Icons drawn as filled shapes rather than strokes. */
export const FILLED_ICONS: ReadonlySet<IconName> = new Set<IconName>(['blockquote']);
