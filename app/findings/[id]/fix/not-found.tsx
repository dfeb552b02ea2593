import Link from "next/link";

export default function WizardNotFound() {
  return (
    <section className="callout" aria-labelledby="nf-title">
      <h1 id="nf-title">No finding with this id</h1>
      <p>The latest scan does not report this finding, so there is nothing to fix. It may have been resolved already; the audit log lists applied changes.</p>
      <p>
        <Link href="/findings">Back to all findings</Link> · <Link href="/changes">Changes</Link>
      </p>
    </section>
  );
}
