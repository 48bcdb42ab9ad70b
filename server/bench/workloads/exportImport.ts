/**
 * (e) Export and import, ours only, in process: a 50-page call for expressions of interest
 * (24,000 words, 8 sections) exported to DOCX (as `GET …/export?format=docx` makes it), and
 * that DOCX imported back (as "New draft from file" reads it: zip inspection, mammoth,
 * conversion into the editor schema); median of `repeats` runs each, and the heap the
 * process grew by across all runs (after a GC, when exposed) as the bound on memory.
 */
import * as Y from 'yjs';
import { exportDocument } from '../../src/export/document/index.js';
import { importFile } from '../../src/import/importFile.js';
import { writeFiftyPages } from '../lib/documents.js';
import { summarize, type Summary } from '../lib/stats.js';

export interface ExportImportResult {
  docxBytes: number;
  exportMs: Summary;
  importMs: Summary;
  importedBlocks: number;
  /** Heap growth across every run, in MiB (after a GC when `--expose-gc`). */
  heapGrowthMiB: number;
  /** Peak RSS growth during the runs, in MiB. */
  rssGrowthMiB: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

export async function runExportImport(options: { repeats: number }): Promise<ExportImportResult> {
  const doc = new Y.Doc();
  writeFiftyPages(doc);
  const meta = { workspaceTitle: 'OMICS', documentTitle: 'Call for expressions of interest', versionName: null, date: new Date() };
  // Warm up both paths (module loading, JIT) before measuring.
  const warm = await exportDocument(doc, meta, 'docx');
  await importFile(warm.body, warm.fileName);
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const exportSamples: number[] = [];
  const importSamples: number[] = [];
  let docxBytes = 0;
  let importedBlocks = 0;
  for (let r = 0; r < options.repeats; r++) {
    let t0 = performance.now();
    const file = await exportDocument(doc, meta, 'docx');
    exportSamples.push(performance.now() - t0);
    docxBytes = file.body.byteLength;
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    t0 = performance.now();
    const imported = await importFile(file.body, file.fileName);
    importSamples.push(performance.now() - t0);
    importedBlocks = imported.blocks.length;
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }
  gc?.();
  doc.destroy();
  const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  return {
    docxBytes,
    exportMs: summarize(exportSamples),
    importMs: summarize(importSamples),
    importedBlocks,
    heapGrowthMiB: mib(process.memoryUsage().heapUsed - heapBefore),
    rssGrowthMiB: mib(rssPeak - rssBefore),
  };
}
