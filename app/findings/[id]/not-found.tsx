import Link from "next/link";

export default function FindingNotFound() {
  return (
    <section className="callout" aria-labelledby="nf-title">
      <h1 id="nf-title">No finding with this id</h1>
      <p>The latest scan does not report this finding. It may have been resolved since the link was made, or the link is mistyped.</p>
      <p>
        <Link href="/findings">Back to all findings</Link>
      </p>
    </section>
  );
}
