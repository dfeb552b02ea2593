import Link from "next/link";
import { headers } from "next/headers";
import { NOT_FOUND_KIND_HEADER } from "@/app/_lib/detail-lookup";
import FindingNotFound from "./findings/[id]/not-found";
import IdentityNotFound from "./identities/[key]/not-found";

/** A page no route has, or (through the proxy's 404 for an unknown id) a finding or identity the scan does not have. */
export default async function NotFound() {
  const kind = (await headers()).get(NOT_FOUND_KIND_HEADER);
  if (kind === "finding") return <FindingNotFound />;
  if (kind === "identity") return <IdentityNotFound />;
  return (
    <section className="callout" aria-labelledby="nf-title">
      <h1 id="nf-title">Page not found</h1>
      <p>
        <Link href="/">Go to the overview</Link>
      </p>
    </section>
  );
}
