import { BoardFigure } from './board-figures';

/**
 * A figure's table as CSV (RFC 4180: quoted where needed, CRLF), with the period in its first
 * lines. A text cell that a spreadsheet would run as a formula (=, +, -, @) is prefixed with an
 * apostrophe; numbers stay numbers.
 */
export function figureCsv(figure: BoardFigure, period: string): string {
  const lines = [[figure.title], [period], figure.columns, ...figure.rows];
  return lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(cell: string): string {
  const safe = /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
