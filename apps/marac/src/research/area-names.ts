import { readFileSync } from 'node:fs';
import path from 'node:path';

/** What the area file says agencies and mailboxes are called (MARAC_AREA_FILE). */
export class AreaNames {
  constructor(
    private readonly agencies: ReadonlyMap<string, string>,
    private readonly mailboxes: ReadonlyMap<string, string>,
  ) {}

  /** The agency's name; its id when the area file does not name it (a member not yet listed). */
  agency(id: string): string {
    return this.agencies.get(id) ?? id;
  }

  mailbox(id: string): string {
    return this.mailboxes.get(id) ?? id;
  }
}

interface AreaFile {
  agencies?: { id?: unknown; name?: unknown }[];
  mailboxes?: { id?: unknown; displayName?: unknown }[];
}

/** Reads the area file at start-up; a file that cannot be read or has no names stops the boot. */
export function loadAreaNames(file: string): AreaNames {
  let raw: AreaFile;
  try {
    raw = JSON.parse(readFileSync(path.resolve(file), 'utf8')) as AreaFile;
  } catch (error) {
    throw new Error(`MARAC_AREA_FILE ${file}: ${(error as Error).message}`);
  }
  const named = (
    entries: { id?: unknown; [key: string]: unknown }[] | undefined,
    key: string,
  ): Map<string, string> => {
    if (!Array.isArray(entries)) throw new Error(`MARAC_AREA_FILE ${file}: no list of ${key}s`);
    return new Map(
      entries
        .filter((entry) => typeof entry.id === 'string' && typeof entry[key] === 'string')
        .map((entry) => [entry.id as string, entry[key] as string]),
    );
  };
  return new AreaNames(named(raw.agencies, 'name'), named(raw.mailboxes, 'displayName'));
}
