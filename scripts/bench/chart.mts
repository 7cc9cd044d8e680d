// The report's picture (SVG, no dependencies): per row a p95 bar (light) over its p50 bar (dark)
// and, where the row is budgeted, its limit from the same run as a red mark. Two panels: the
// shopper's waits against the bare round trips, and the figures at the big database.
/** `on`: which figure the limit is for (default the p50). */
export type ChartRow = { label: string; p50: number; p95?: number; limit?: number; on?: 'p50' | 'p95' };
export type ChartPanel = { title: string; unit: string; rows: ChartRow[] };

const WIDTH = 920;
const LABEL = 390;
const ROW = 26;
const BAR_AREA = WIDTH - LABEL - 90;

export function chartSvg(title: string, panels: readonly ChartPanel[]): string {
  const parts: string[] = [];
  let y = 34;
  parts.push(`<text x="12" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`);
  for (const panel of panels) {
    y += 14;
    parts.push(`<text x="12" y="${y}" font-size="13" font-weight="bold">${escape(panel.title)}</text>`);
    y += 10;
    const max = Math.max(1, ...panel.rows.flatMap((row) => [row.p50, row.p95 ?? 0, row.limit ?? 0].filter(Number.isFinite)));
    const x = (value: number) => LABEL + (Math.max(0, Number.isFinite(value) ? value : 0) / max) * BAR_AREA;
    for (const row of panel.rows) {
      const top = y + 4;
      parts.push(`<text x="${LABEL - 8}" y="${top + 13}" font-size="12" text-anchor="end">${escape(row.label)}</text>`);
      if (row.p95 !== undefined)
        parts.push(`<rect x="${LABEL}" y="${top}" width="${(x(row.p95) - LABEL).toFixed(1)}" height="18" fill="#9ecae1"/>`);
      parts.push(`<rect x="${LABEL}" y="${top + 4}" width="${(x(row.p50) - LABEL).toFixed(1)}" height="10" fill="#08519c"/>`);
      if (row.limit !== undefined && Number.isFinite(row.limit)) {
        const budgeted = row.on === 'p95' ? (row.p95 ?? Number.NaN) : row.p50;
        const over = !(budgeted <= row.limit);
        parts.push(
          `<line x1="${x(row.limit).toFixed(1)}" x2="${x(row.limit).toFixed(1)}" y1="${top - 2}" y2="${top + 20}" stroke="#d62728" stroke-width="2"/>`,
        );
        parts.push(
          `<text x="${WIDTH - 8}" y="${top + 13}" font-size="11" text-anchor="end" fill="${over ? '#d62728' : '#2ca02c'}">${fmt(row.p50)}${row.p95 !== undefined ? ` / ${fmt(row.p95)}` : ''} ${panel.unit} ${over ? '✗' : '✓'} ≤ ${fmt(row.limit)}</text>`,
        );
      } else {
        parts.push(
          `<text x="${WIDTH - 8}" y="${top + 13}" font-size="11" text-anchor="end">${fmt(row.p50)}${row.p95 !== undefined ? ` / ${fmt(row.p95)}` : ''} ${panel.unit}</text>`,
        );
      }
      y += ROW;
    }
    y += 8;
  }
  y += 8;
  parts.push(
    `<g font-size="11"><rect x="12" y="${y - 9}" width="14" height="8" fill="#08519c"/><text x="30" y="${y}">p50</text><rect x="70" y="${y - 11}" width="14" height="12" fill="#9ecae1"/><text x="88" y="${y}">p95</text><line x1="130" x2="130" y1="${y - 11}" y2="${y + 1}" stroke="#d62728" stroke-width="2"/><text x="136" y="${y}">limit (✓/✗ on the budgeted figure: p50 for the waits and the return route, p95 for the console and the reconciler)</text></g>`,
  );
  y += 12;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>${parts.join('')}</svg>\n`;
}

function fmt(value: number): string {
  return Number.isFinite(value) ? (value >= 100 ? value.toFixed(0) : value.toFixed(1)) : '—';
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
