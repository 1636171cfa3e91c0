import { FSWatcher, promises as fs, watch } from 'node:fs';

import { DEFAULT_ENVELOPE_MAX_BYTES, ExchangeErrorCode, isExchangeError } from '@app/contracts';

import { decryptEnvelope } from './envelope-encryption';
import { readEncryptedHeader } from './jwe';
import { currentKidsPath, nodeKeyDir, privateKeyPath } from './key-files';
import { loadNodeKeyring, NodeKeyring } from './node-keyring';

export interface ReloadingKeyringOptions {
  keysDir: string;
  nodeId: string;
  /** Maps a failed load to the error callers see (a node's: transient, so records wait). */
  loadError?: (error: unknown) => Error;
  /** Told when a reload in the background fails (the last good keyring stays in use). */
  onReloadFailed?: (error: unknown) => void;
  /** Told the kids in use after each successful reload. */
  onReloaded?: (ring: NodeKeyring) => void;
  /** Fallback check of current.json for file systems where watching misses a change. */
  checkIntervalMs?: number;
}

const WATCH_SETTLE_MS = 100;
const DEFAULT_CHECK_INTERVAL_MS = 30_000;

/**
 * A node's keyring that follows `npm run keys -- rotate` while the process runs, without a disk
 * read per record: it is loaded once, then reloaded in the background when its key directory
 * changes (a file watch, plus a cheap stat of current.json every 30 s where watching misses
 * changes), and — for a record naming a kid it does not hold — when that kid's private file is on
 * disk (one stat, only for such records). A reload that fails keeps the last good keyring, so a
 * half-done rotation never takes keys away. Retiring encryption keys stay in the ring as long as
 * their files are on disk (the keys command moves only revoked ones aside), so records sealed to
 * them during the grace period still open.
 */
export class ReloadingKeyring {
  private current: Promise<NodeKeyring> | null = null;
  private reloading: Promise<NodeKeyring> | null = null;
  private watcher: FSWatcher | null = null;
  private settle: NodeJS.Timeout | null = null;
  private timer: NodeJS.Timeout | null = null;
  private currentStamp = '';
  private closed = false;

  constructor(private readonly options: ReloadingKeyringOptions) {}

  /** The keyring in use: loaded on first use; a load that failed is tried again on the next call. */
  keyring(): Promise<NodeKeyring> {
    this.current ??= this.load().catch((error: unknown) => {
      this.current = null;
      throw this.options.loadError ? this.options.loadError(error) : error;
    });
    return this.current;
  }

  /**
   * Opens a JWE addressed to one of the node's keys. A kid the ring lacks but whose private file
   * is now on disk (a rotation, a restored key) reloads the ring once and opens it with that.
   */
  async decrypt(jwe: string, maxBytes = DEFAULT_ENVELOPE_MAX_BYTES): Promise<string> {
    try {
      return await decryptEnvelope(jwe, await this.keyring(), maxBytes);
    } catch (error) {
      if (!isExchangeError(error, ExchangeErrorCode.NOT_ADDRESSED_TO_NODE)) throw error;
      if (!(await this.keyFileExists(jwe))) throw error;
      return decryptEnvelope(jwe, await this.reload(), maxBytes);
    }
  }

  /** Reads the key directory again now; concurrent callers share one read. */
  reload(): Promise<NodeKeyring> {
    this.reloading ??= this.load()
      .then((ring) => {
        this.current = Promise.resolve(ring);
        this.options.onReloaded?.(ring);
        return ring;
      })
      .catch((error: unknown) => {
        if (!this.current) throw this.options.loadError ? this.options.loadError(error) : error;
        this.options.onReloadFailed?.(error);
        return this.current;
      })
      .finally(() => {
        this.reloading = null;
      });
    return this.reloading;
  }

  /** Stops watching (on application shutdown). */
  close(): void {
    this.closed = true;
    this.watcher?.close();
    this.watcher = null;
    if (this.settle) clearTimeout(this.settle);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async load(): Promise<NodeKeyring> {
    const { keysDir, nodeId } = this.options;
    const ring = await loadNodeKeyring(keysDir, nodeId);
    this.currentStamp = await this.stampOfCurrent();
    this.startWatching();
    return ring;
  }

  private async keyFileExists(jwe: string): Promise<boolean> {
    try {
      const { kid } = readEncryptedHeader(jwe);
      if (typeof kid !== 'string') return false;
      await fs.access(privateKeyPath(this.options.keysDir, this.options.nodeId, kid));
      return true;
    } catch {
      return false;
    }
  }

  /** current.json's mtime and size: it is replaced (renamed over) by every rotation. */
  private async stampOfCurrent(): Promise<string> {
    try {
      const stat = await fs.stat(currentKidsPath(this.options.keysDir, this.options.nodeId));
      return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch {
      return '';
    }
  }

  private startWatching(): void {
    if (this.closed || this.timer) return;
    const interval = this.options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS;
    this.timer = setInterval(() => void this.checkCurrent(), interval);
    this.timer.unref();
    try {
      const dir = nodeKeyDir(this.options.keysDir, this.options.nodeId);
      this.watcher = watch(dir, { persistent: false }, () => this.changed());
      this.watcher.on('error', () => {
        // The directory went away or cannot be watched: the interval check still runs.
        this.watcher?.close();
        this.watcher = null;
      });
    } catch {
      // Watching is unsupported here: the interval check covers it.
    }
  }

  /** Several files change in one rotation: reload once they have settled. */
  private changed(): void {
    if (this.settle) clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      this.settle = null;
      if (!this.closed) void this.reload().catch(() => undefined);
    }, WATCH_SETTLE_MS);
    this.settle.unref();
  }

  private async checkCurrent(): Promise<void> {
    const stamp = await this.stampOfCurrent();
    if (stamp !== this.currentStamp && !this.closed) {
      await this.reload().catch(() => undefined);
    }
  }
}
