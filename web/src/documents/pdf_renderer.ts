import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
// The worker and pdf.js's JavaScript JPEG 2000 decoder are served from our
// own origin as files of the build (CSP: script-src 'self'; worker-src
// 'self'), never as blob: URLs.
import jpxDecoderUrl from 'pdfjs-dist/wasm/openjpeg_nowasm_fallback.js?url';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

// A PDF opened for the preview: its pages drawn one at a time onto a canvas.
export interface PdfPages {
  readonly pageCount: number;
  // Draws page `number` (from 1) into `canvas`, `cssWidth` CSS pixels wide,
  // at the screen's pixel density. A render started while another runs
  // cancels it: the older promise then rejects with an error for which
  // isRenderCancelled() is true.
  render(number: number, canvas: HTMLCanvasElement, cssWidth: number): Promise<void>;
  destroy(): void;
}

export type PdfOpener = (bytes: Uint8Array) => Promise<PdfPages>;

// Why a PDF could not be shown.
export type PdfProblem = 'password' | 'broken';

export function pdfProblemOf(error: unknown): PdfProblem {
  return error instanceof Error && error.name === 'PasswordException' ? 'password' : 'broken';
}

export function isRenderCancelled(error: unknown): boolean {
  return error instanceof Error && (error.name === 'RenderingCancelledException' || error.name === 'RenderSuperseded');
}

// Browsers refuse (or draw blank) canvases much above 16 million pixels.
const kMaxCanvasPixels = 16_000_000;

class RenderSuperseded extends Error {
  constructor() {
    super('A newer render of the preview started.');
    this.name = 'RenderSuperseded';
  }
}

// The directory the JPEG 2000 decoder is in, as pdf.js wants it (absolute,
// with a trailing slash). pdf.js imports "<dir>openjpeg_nowasm_fallback.js";
// vite.config.ts keeps that name (in a directory named by its hash).
function decoderDirectory(): string {
  return new URL('.', new URL(jpxDecoderUrl, document.baseURI)).href;
}

// Opens a PDF with pdf.js (loaded on first use, in its own chunk) under the
// app's CSP: no eval (isEvalSupported: false; PostScript functions are then
// interpreted), no WebAssembly (useWasm: false; the CSP has no
// 'wasm-unsafe-eval', and pdf.js falls back to its JavaScript decoders), the
// worker from our own origin. No text or annotation layer: canvas only.
export const openPdf: PdfOpener = async (bytes) => {
  const pdfjs = await import('pdfjs-dist');
  pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
  const loading = pdfjs.getDocument({
    data: bytes,
    isEvalSupported: false,
    useWasm: false,
    wasmUrl: decoderDirectory(),
    enableXfa: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    return new PdfJsPages(await loading.promise);
  } catch (error) {
    void loading.destroy();
    throw error;
  }
};

class PdfJsPages implements PdfPages {
  private task_: RenderTask | null = null;
  private generation_ = 0;

  constructor(private readonly document_: PDFDocumentProxy) {}

  get pageCount(): number {
    return this.document_.numPages;
  }

  async render(number: number, canvas: HTMLCanvasElement, cssWidth: number): Promise<void> {
    const generation = ++this.generation_;
    // pdf.js refuses two renders into one canvas at once: stop the old one.
    const previous = this.task_;
    if (previous) {
      previous.cancel();
      await previous.promise.catch(() => undefined);
    }
    if (generation !== this.generation_) throw new RenderSuperseded();
    const page = await this.document_.getPage(number);
    if (generation !== this.generation_) throw new RenderSuperseded();

    const natural = page.getViewport({ scale: 1 });
    let scale = (Math.max(cssWidth, 100) / natural.width) * (window.devicePixelRatio || 1);
    const pixels = natural.width * natural.height * scale * scale;
    if (pixels > kMaxCanvasPixels) scale *= Math.sqrt(kMaxCanvasPixels / pixels);
    const viewport = page.getViewport({ scale });
    // Only the bitmap's size: CSS scales it to the column (no style attribute).
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    const task = page.render({ canvas, viewport });
    this.task_ = task;
    try {
      await task.promise;
    } finally {
      if (this.task_ === task) this.task_ = null;
    }
  }

  destroy(): void {
    this.generation_ += 1;
    this.task_?.cancel();
    this.task_ = null;
    void this.document_.loadingTask.destroy();
  }
}
