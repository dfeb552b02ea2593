/**
 * What a route shows when rendering it failed unexpectedly. Server errors reach the browser
 * without their message in production (Next.js replaces it with a digest), so the panel
 * shows the digest for matching server logs instead of pretending to know the cause.
 */
export function ErrorPanel({ title, error, onRetry }: { title: string; error: unknown; onRetry: () => void }) {
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  const message = error instanceof Error && !digest ? error.message : undefined;
  return (
    <section className="callout callout-danger" role="alert" aria-labelledby="error-panel-title">
      <h2 id="error-panel-title">{title}</h2>
      <p>{message ?? "Something went wrong while building this page. The scan data itself is unchanged."}</p>
      {digest ? (
        <p className="muted">
          Reference for the server log: <code>{digest}</code>
        </p>
      ) : null}
      <p>
        <button type="button" className="button button-primary" onClick={onRetry}>
          Try again
        </button>
      </p>
    </section>
  );
}
