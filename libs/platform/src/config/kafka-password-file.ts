import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Where a principal's password file is unless KAFKA_SASL_PASSWORD_FILE says otherwise. */
export function kafkaPasswordFile(credentialsDir: string, principal: string): string {
  return path.resolve(credentialsDir, `${principal}.password`);
}

/**
 * Generates a principal's password (256 bits, hex) into its file, 0600 in a 0700 folder, unless
 * the file exists. Returns whether it was generated. The password is never printed.
 */
export async function ensureKafkaPasswordFile(file: string): Promise<boolean> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    await fs.writeFile(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
