/**
 * Pads every markdown table in `text` to aligned columns, as the repo's formatter (Biome) writes them, so a rendered
 * README section passes `npm test`'s format check unchanged: left-aligned cells padded at the end, right-aligned
 * (`---:`) ones at the start, the separator row's dashes as wide as its column.
 */
export function alignTables(text: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    if (!isRow(lines[i])) {
      out.push(lines[i] as string);
      i++;
      continue;
    }
    const start = i;
    while (i < lines.length && isRow(lines[i])) i++;
    out.push(...alignTable(lines.slice(start, i).map(cells)));
  }
  return out.join("\n");
}

const isRow = (line: string | undefined) => line?.startsWith("|") === true;
const cells = (row: string) =>
  row
    .slice(1, row.endsWith("|") ? -1 : undefined)
    .split("|")
    .map((cell) => cell.trim());
const width = (cell: string) => [...cell].length;

function alignTable(rows: string[][]): string[] {
  const [header = [], separator = [], ...body] = rows;
  const right = separator.map((cell) => /^-+:$/.test(cell));
  const widths = header.map((_, c) => Math.max(3, ...[header, ...body].map((row) => width(row[c] ?? ""))));
  const line = (row: string[]) =>
    `| ${widths
      .map((w, c) => {
        const cell = row[c] ?? "";
        const pad = " ".repeat(w - width(cell));
        return right[c] ? pad + cell : cell + pad;
      })
      .join(" | ")} |`;
  const rule = `| ${widths.map((w, c) => (right[c] ? `${"-".repeat(w - 1)}:` : "-".repeat(w))).join(" | ")} |`;
  return [line(header), rule, ...body.map(line)];
}
