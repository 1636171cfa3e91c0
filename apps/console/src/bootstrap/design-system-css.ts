import { readFileSync } from 'node:fs';

/**
 * GOV.UK Frontend's stylesheet without its typeface: GDS Transport is reserved for GOV.UK
 * services, so the font faces are dropped and every font stack falls back to the one after it.
 */
export function designSystemCss(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/@font-face\{[^}]*GDS Transport[^}]*\}/g, '')
    .replace(/"?GDS Transport"?,/g, '');
}
