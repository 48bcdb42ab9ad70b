/**
 * HTML export: one standalone page to read or print — inline styles, no scripts (a
 * Content-Security-Policy forbids them), every text escaped, links only to safe targets.
 */
import { isSafeHref } from '@jane/shared';
import { isText, intAttr, levelOf, longDate, markOf, plainText, statusLine, versionLabel, type ContentBlock, type ContentNode, type ExportInput } from './model.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
  @page { size: A4; margin: 22mm 20mm 24mm; }
  :root { color-scheme: light; }
  body { font-family: Calibri, Carlito, "Liberation Sans", Arial, sans-serif; font-size: 11pt; line-height: 1.45; color: #1b1f24; max-width: 46em; margin: 2.5em auto; padding: 0 1.5em; }
  header.title-block { border-bottom: 2px solid #003399; padding-bottom: .8em; margin-bottom: 2em; }
  header.title-block .workspace { color: #003399; font-weight: 600; letter-spacing: .02em; }
  header.title-block .document { font-size: 1.8em; font-weight: 700; margin: .2em 0; line-height: 1.2; }
  header.title-block .meta { color: #555; }
  header.title-block .draft { display: inline-block; border: 1px solid #b00020; color: #b00020; padding: 0 .5em; margin-left: .6em; font-size: .85em; text-transform: uppercase; letter-spacing: .08em; }
  h1, h2, h3, h4 { color: #003399; line-height: 1.25; margin: 1.4em 0 .5em; page-break-after: avoid; break-after: avoid; }
  h1 { font-size: 1.6em; } h2 { font-size: 1.3em; } h3 { font-size: 1.12em; } h4 { font-size: 1em; }
  p { margin: 0 0 .7em; }
  p.status { color: #555; font-size: .9em; font-style: italic; margin-top: -.3em; }
  a { color: #0645ad; }
  blockquote { margin: 0 0 .8em; padding: .2em 1em; border-left: 3px solid #9aa5b1; color: #333; }
  code, pre { font-family: Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: .92em; }
  code { background: #f1f3f5; padding: 0 .2em; border-radius: 2px; }
  pre { background: #f6f8fa; border: 1px solid #dde1e6; padding: .7em 1em; white-space: pre-wrap; overflow-wrap: anywhere; }
  pre code { background: none; padding: 0; }
  table { border-collapse: collapse; width: 100%; margin: 0 0 1em; page-break-inside: auto; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; break-inside: avoid; }
  th, td { border: 1px solid #9aa5b1; padding: .3em .5em; text-align: left; vertical-align: top; }
  th { background: #e8edf5; }
  td p, th p { margin: 0; }
  hr { border: 0; border-top: 1px solid #9aa5b1; margin: 1.5em 0; }
  @media print { body { margin: 0; padding: 0; max-width: none; } a { color: inherit; } }
`;

function inline(nodes: ContentNode[]): string {
  return nodes
    .map((node) => {
      if (!isText(node)) return node.type === 'hardBreak' ? '<br>' : escapeHtml(plainText(node));
      let html = escapeHtml(node.text);
      if (markOf(node, 'code')) html = `<code>${html}</code>`;
      if (markOf(node, 'italic')) html = `<em>${html}</em>`;
      if (markOf(node, 'bold')) html = `<strong>${html}</strong>`;
      if (markOf(node, 'underline')) html = `<u>${html}</u>`;
      if (markOf(node, 'strike')) html = `<s>${html}</s>`;
      const href = markOf(node, 'link')?.attrs?.href;
      if (isSafeHref(href)) html = `<a href="${escapeHtml(href.trim())}" rel="noopener noreferrer nofollow">${html}</a>`;
      return html;
    })
    .join('');
}

const children = (node: ContentBlock): ContentBlock[] => (node.content ?? []).filter((c): c is ContentBlock => !isText(c));

function block(node: ContentBlock, input: ExportInput): string {
  switch (node.type) {
    case 'heading': {
      const level = levelOf(node);
      const id = node.attrs?.sectionId;
      const heading = `<h${level}>${inline(node.content ?? [])}</h${level}>`;
      const info = typeof id === 'string' ? input.sections.get(id) : undefined;
      if (input.options.status && info) return `${heading}\n<p class="status">${escapeHtml(statusLine(info))}</p>`;
      return heading;
    }
    case 'paragraph':
      return `<p>${inline(node.content ?? [])}</p>`;
    case 'bulletList':
      return `<ul>\n${children(node).map((item) => block(item, input)).join('\n')}\n</ul>`;
    case 'orderedList': {
      const start = intAttr(node, 'start', 1, 999_999_999);
      return `<ol${start !== 1 ? ` start="${start}"` : ''}>\n${children(node).map((item) => block(item, input)).join('\n')}\n</ol>`;
    }
    case 'listItem':
      return `<li>${children(node).map((child) => block(child, input)).join('\n')}</li>`;
    case 'blockquote':
      return `<blockquote>\n${children(node).map((child) => block(child, input)).join('\n')}\n</blockquote>`;
    case 'codeBlock':
      return `<pre><code>${escapeHtml(plainText(node))}</code></pre>`;
    case 'horizontalRule':
      return '<hr>';
    case 'table': {
      const rows = children(node).filter((row) => row.type === 'tableRow');
      const isHeader = (row: ContentBlock) => children(row).length > 0 && children(row).every((cell) => cell.type === 'tableHeader');
      const headerRows = rows[0] && isHeader(rows[0]) ? [rows[0]] : [];
      const bodyRows = rows.slice(headerRows.length);
      const row = (r: ContentBlock) =>
        `<tr>${children(r)
          .map((cell) => {
            const tag = cell.type === 'tableHeader' ? 'th' : 'td';
            const colspan = intAttr(cell, 'colspan', 1, 100);
            const rowspan = intAttr(cell, 'rowspan', 1, 1000);
            const spans = `${colspan > 1 ? ` colspan="${colspan}"` : ''}${rowspan > 1 ? ` rowspan="${rowspan}"` : ''}`;
            return `<${tag}${tag === 'th' ? ' scope="col"' : ''}${spans}>${children(cell).map((child) => block(child, input)).join('')}</${tag}>`;
          })
          .join('')}</tr>`;
      return `<table>\n${headerRows.length ? `<thead>${headerRows.map(row).join('')}</thead>\n` : ''}<tbody>\n${bodyRows.map(row).join('\n')}\n</tbody>\n</table>`;
    }
    default:
      return children(node).map((child) => block(child, input)).join('\n');
  }
}

export function renderHtml(input: ExportInput): string {
  const { meta } = input;
  const title = `${meta.documentTitle} — ${meta.workspaceTitle}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="title-block">
<div class="workspace">${escapeHtml(meta.workspaceTitle)}</div>
<div class="document">${escapeHtml(meta.documentTitle)}</div>
<div class="meta">${escapeHtml(versionLabel(meta))} · ${escapeHtml(longDate(meta.date))}<span class="draft">Draft</span></div>
</header>
<main>
${input.blocks.map((node) => block(node, input)).join('\n')}
</main>
</body>
</html>
`;
}
