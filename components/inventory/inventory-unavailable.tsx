/** The scan source could not be reached or is not configured: nothing is known, so nothing is shown as empty. */
export function InventoryUnavailable({ message }: { message: string }) {
  return (
    <section className="callout callout-danger" role="alert" aria-labelledby="unavailable-title">
      <h2 id="unavailable-title">The tenant could not be scanned</h2>
      <p style={{ whiteSpace: "pre-wrap" }}>{message}</p>
      <p className="muted">No data is shown because none could be read. Fix the cause above and use Rescan, or reload the page.</p>
    </section>
  );
}
