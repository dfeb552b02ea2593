/**
 * "Export …: CSV · JSON" download links for a list, carrying the list's filter so the file
 * holds exactly what the list shows (the export routes read the same parameters).
 */
export function ExportLinks({ href, query = "", noun, label = "Export" }: { href: string; query?: string; noun: string; label?: string }) {
  const params = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
  params.delete("page");
  const link = (format: "csv" | "json") => {
    const p = new URLSearchParams(params);
    p.set("format", format);
    return `${href}?${p.toString()}`;
  };
  return (
    <span className="export-links">
      {label}:{" "}
      <a href={link("csv")} download aria-label={`${label} ${noun} as CSV`}>
        CSV
      </a>
      {" · "}
      <a href={link("json")} download aria-label={`${label} ${noun} as JSON`}>
        JSON
      </a>
    </span>
  );
}
