import Link from "next/link";

export default function NotFound() {
  return (
    <section className="callout" aria-labelledby="nf-title">
      <h1 id="nf-title">Page not found</h1>
      <p>
        <Link href="/">Go to the overview</Link>
      </p>
    </section>
  );
}
