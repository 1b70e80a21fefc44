import { useEffect, useRef, useState } from 'preact/hooks';
import type { Id } from '../api/types';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import styles from './Documents.module.css';
import { isRenderCancelled, pdfProblemOf, type PdfOpener, type PdfPages, type PdfProblem } from './pdf_renderer';

type Load = { kind: 'loading' } | { kind: 'ready'; pages: PdfPages } | { kind: 'failed'; problem: PdfProblem };

// Redraw for a column that grew or shrank by more than this share.
const kResizeThreshold = 0.1;

// A PDF version drawn by pdf.js onto a canvas one page at a time, with
// previous / next page buttons and the page number read out politely. The
// bytes come from GET …/versions/{n}/preview.
export function PdfPreview(props: { documentId: Id; version: number; open: PdfOpener }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [page, setPage] = useState(1);
  const [width, setWidth] = useState(0);
  const [renderFailed, setRenderFailed] = useState(false);
  const frame = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    let opened: PdfPages | null = null;
    setLoad({ kind: 'loading' });
    setPage(1);
    setRenderFailed(false);
    api
      .previewBytes(props.documentId, props.version, controller.signal)
      .then((bytes) => props.open(bytes))
      .then(
        (pages) => {
          if (controller.signal.aborted) {
            pages.destroy();
            return;
          }
          opened = pages;
          setLoad({ kind: 'ready', pages });
        },
        (error: unknown) => {
          if (!controller.signal.aborted) setLoad({ kind: 'failed', problem: pdfProblemOf(error) });
        },
      );
    return () => {
      controller.abort();
      opened?.destroy();
    };
  }, [api, props.documentId, props.version, props.open]);

  // The column's width, again after a resize that changes it noticeably.
  useEffect(() => {
    const measure = () => {
      const current = frame.current?.clientWidth ?? 0;
      setWidth((old) => (old === 0 || Math.abs(current - old) > old * kResizeThreshold ? current : old));
    };
    measure();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const onResize = () => {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(measure, 200);
    };
    window.addEventListener('resize', onResize);
    return () => {
      if (timer !== null) clearTimeout(timer);
      window.removeEventListener('resize', onResize);
    };
  }, []);

  useEffect(() => {
    if (load.kind !== 'ready' || !canvas.current) return;
    setRenderFailed(false);
    load.pages.render(page, canvas.current, width || 800).catch((error: unknown) => {
      if (!isRenderCancelled(error)) setRenderFailed(true);
    });
  }, [load, page, width]);

  const count = load.kind === 'ready' ? load.pages.pageCount : 0;
  const go = (next: number) => {
    if (next >= 1 && next <= count) setPage(next);
  };
  const statusId = 'pdf-preview-page';
  const canvasId = 'pdf-preview-canvas';

  return (
    <div ref={frame} class={styles.preview}>
      {load.kind === 'loading' ? <p role="status">{t('document.preview.loading')}</p> : null}
      {load.kind === 'failed' ? (
        <Alert tone="info">{t(load.problem === 'password' ? 'document.preview.password' : 'document.preview.failed')}</Alert>
      ) : null}
      {renderFailed ? <Alert tone="info">{t('document.preview.failed')}</Alert> : null}
      {load.kind === 'ready' ? (
        <>
          <div class={styles.pager}>
            <Button
              variant="secondary"
              aria-disabled={page <= 1 ? 'true' : undefined}
              aria-controls={canvasId}
              onClick={() => go(page - 1)}
            >
              {t('document.preview.prev')}
            </Button>
            <p id={statusId} role="status" class={styles.pageStatus}>
              {t('document.preview.page', { page, count })}
            </p>
            <Button
              variant="secondary"
              aria-disabled={page >= count ? 'true' : undefined}
              aria-controls={canvasId}
              onClick={() => go(page + 1)}
            >
              {t('document.preview.next')}
            </Button>
          </div>
          <canvas
            id={canvasId}
            ref={canvas}
            class={styles.canvas}
            role="img"
            aria-label={t('document.preview.label')}
            aria-describedby={statusId}
            data-testid="pdf-canvas"
          />
        </>
      ) : null}
    </div>
  );
}
