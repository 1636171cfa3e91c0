import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PostgresChannelListener, schemaChannel } from '@app/persistence';
import { DataSource } from 'typeorm';

/** Far more keys than an area's nodes have; a bound on what look-ups can make us hold. */
const MAX_ENTRIES = 10_000;
/**
 * A backstop, should a NOTIFY be lost without the connection noticing (a half-open TCP
 * connection): no entry is used longer than this.
 */
const MAX_AGE_MS = 10_000;

interface Entry {
  value: Promise<unknown>;
  loadedAt: number;
}

/**
 * The hub's cache of node keys read from the registry (by kid, and each node's current key),
 * so a verification or a seal does not cost a database round trip. It holds entries only while
 * its connection LISTENs on the table's change channel (the trigger of NotifyNodeKeyChanges):
 * any change to a key — a rotation, a revocation, by this process or by `npm run keys` in
 * another — empties it at commit, and while that connection is lost nothing is cached, so a
 * revoked key fails from the next look-up after its NOTIFY arrives (and within MAX_AGE_MS even if
 * a notification were lost unnoticed). Only keys found are kept:
 * an unknown kid (a forger's) is looked up every time, and cannot fill the cache.
 */
@Injectable()
export class NodeKeyCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly entries = new Map<string, Entry>();
  private readonly listener: PostgresChannelListener;
  private listening = false;

  constructor(dataSource: DataSource) {
    this.listener = new PostgresChannelListener(
      dataSource,
      schemaChannel(dataSource, 'sgx_node_keys'),
      {
        onNotification: () => this.entries.clear(),
        onListening: () => {
          this.entries.clear();
          this.listening = true;
        },
        onLost: () => {
          this.listening = false;
          this.entries.clear();
        },
      },
      'node-keys',
    );
  }

  onApplicationBootstrap(): void {
    void this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.listening = false;
    this.entries.clear();
    await this.listener.stop();
  }

  /** True while changes reach it, i.e. while it keeps what it reads. */
  get caching(): boolean {
    return this.listening;
  }

  /** The cached answer for `key`, or `load()`'s, kept when it found something. */
  get<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    if (!this.listening) return load();
    const cached = this.entries.get(key);
    if (cached && Date.now() - cached.loadedAt <= MAX_AGE_MS) {
      return cached.value as Promise<T | undefined>;
    }
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const entry: Entry = { value: load(), loadedAt: Date.now() };
    this.entries.set(key, entry);
    // A miss or a failure is not kept; an answer a change cleared meanwhile is gone already.
    const forget = () => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    void entry.value.then((value) => value === undefined && forget(), forget);
    return entry.value as Promise<T | undefined>;
  }
}
