import Link from "next/link";

export default function IdentityNotFound() {
  return (
    <section className="callout" aria-labelledby="nf-title">
      <h1 id="nf-title">No identity with this key</h1>
      <p>The latest scan has no identity with this principal or client id. It may have been deleted since the link was made, or the link is mistyped.</p>
      <p>
        <Link href="/identities">Back to all identities</Link>
      </p>
    </section>
  );
}
