/**
 * Files to import, made at test time: real Word documents written by pandoc (or
 * LibreOffice) from Markdown/HTML, and hand-made zip archives for the hostile cases (a zip
 * bomb, sizes that lie, DOCTYPE tricks), byte by byte.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

/** A .docx made by pandoc from Markdown (GitHub-flavoured, with footnotes). */
export function pandocDocx(markdown: string, extraFiles: Record<string, Buffer> = {}): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jane-import-'));
  try {
    fs.writeFileSync(path.join(dir, 'in.md'), markdown);
    for (const [name, data] of Object.entries(extraFiles)) fs.writeFileSync(path.join(dir, name), data);
    execFileSync('pandoc', ['-f', 'gfm+footnotes', 'in.md', '-o', 'out.docx'], { cwd: dir, stdio: 'pipe' });
    return fs.readFileSync(path.join(dir, 'out.docx'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A .docx made by LibreOffice from HTML (the way many people's Word files look: Word's own styles). */
export function libreOfficeDocx(html: string): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jane-import-'));
  try {
    fs.writeFileSync(path.join(dir, 'in.html'), html);
    execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'docx:MS Word 2007 XML', '--outdir', dir, path.join(dir, 'in.html')], { stdio: 'pipe', timeout: 120_000 });
    return fs.readFileSync(path.join(dir, 'in.docx'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A tiny PNG (a red square) for documents with an image. */
export function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(4, 0);
  header.writeUInt32BE(4, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.concat(Array.from({ length: 4 }, () => Buffer.from([0, ...Array.from({ length: 4 }, () => [255, 0, 0]).flat()])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

export interface ZipEntrySpec {
  name: string;
  /** The bytes as stored (already deflated when `deflated`). */
  stored: Buffer;
  deflated: boolean;
  /** What the headers say the entry unpacks to (the truth, unless a test wants it to lie). */
  uncompressedSize: number;
  crc32: number;
}

/** An entry from its content, deflated. */
export const deflatedEntry = (name: string, content: Buffer | string): ZipEntrySpec => {
  const data = typeof content === 'string' ? Buffer.from(content) : content;
  return { name, stored: zlib.deflateRawSync(data), deflated: true, uncompressedSize: data.length, crc32: zlib.crc32(data) };
};

/** Writes a zip archive: local headers, data, central directory, end record. */
export function buildZip(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const method = entry.deflated ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(entry.crc32 >>> 0, 14);
    local.writeUInt32LE(entry.stored.length, 18);
    local.writeUInt32LE(entry.uncompressedSize, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, entry.stored);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(entry.crc32 >>> 0, 16);
    central.writeUInt32LE(entry.stored.length, 20);
    central.writeUInt32LE(entry.uncompressedSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + entry.stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The other parts a minimal Word document has besides word/document.xml. */
export function minimalDocxParts(): ZipEntrySpec[] {
  return [
    deflatedEntry(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    deflatedEntry(
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ),
  ];
}

/** word/document.xml with these paragraphs' XML inside the body. */
export const documentXml = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`;

/** A hand-made .docx with one paragraph of text. */
export const handMadeDocx = (paragraph = 'Hello from a hand-made document') =>
  buildZip([...minimalDocxParts(), deflatedEntry('word/document.xml', documentXml(`<w:p><w:r><w:t>${paragraph}</w:t></w:r></w:p>`))]);

/**
 * A zip bomb named like a Word document: word/document.xml is `megabytes` MB of zeros,
 * deflated (about 1000:1). With `lie`, the headers claim it unpacks to 1 KB.
 */
export async function zipBomb(megabytes = 200, lie = false): Promise<Buffer> {
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    deflate.once('end', resolve);
    deflate.once('error', reject);
  });
  const megabyte = Buffer.alloc(1024 * 1024);
  let crc = 0;
  for (let i = 0; i < megabytes; i++) {
    crc = zlib.crc32(megabyte, crc);
    if (!deflate.write(megabyte)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  const stored = Buffer.concat(chunks);
  const size = megabytes * 1024 * 1024;
  return buildZip([...minimalDocxParts(), { name: 'word/document.xml', stored, deflated: true, uncompressedSize: lie ? 1024 : size >= 2 ** 32 ? 2 ** 32 - 1 : size, crc32: crc }]);
}

/** Markdown of about `words` words in sections with headings, paragraphs, lists and the odd table (for timing a long import). */
export function longMarkdown(words = 25_000): string {
  const vocabulary = 'cancer survivorship network centre expertise patients care quality criteria member states research registry palliative prevention omics'.split(' ');
  let n = 0;
  const sentence = (length: number) => {
    const out: string[] = [];
    for (let i = 0; i < length; i++) out.push(vocabulary[(n++ * 7) % vocabulary.length]!);
    const text = out.join(' ');
    return text[0]!.toUpperCase() + text.slice(1) + '.';
  };
  const parts: string[] = ['# A long network plan'];
  let written = 0;
  for (let section = 1; written < words; section++) {
    parts.push(`## Section ${section}`);
    for (let p = 0; p < 4; p++) {
      parts.push(`${sentence(20)} **${sentence(5)}** ${sentence(25)} *${sentence(5)}* ${sentence(20)}`);
      written += 75;
    }
    parts.push([1, 2, 3, 4].map((i) => `- ${sentence(8)}\n  - ${sentence(6)}`).join('\n'));
    written += 56;
    if (section % 5 === 0) {
      parts.push(['| Criterion | Weight | Notes |', '|---|---|---|', ...[1, 2, 3].map((i) => `| ${sentence(2)} | ${i * 10} | ${sentence(6)} |`)].join('\n'));
      written += 30;
    }
  }
  return parts.join('\n\n') + '\n';
}
