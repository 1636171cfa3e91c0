/** The hub's administrator API answers (apps/hub/src/admin). */
export interface RegistryJson {
  agencies: { id: string; name: string; kind: string; area: string }[];
  nodes: { id: string; agencyId: string; status: string; kafkaPrincipal: string }[];
  mailboxes: {
    id: string;
    nodeId: string;
    kind: string;
    displayName: string;
    externalRef: string | null;
    receives: string;
  }[];
  maracMembers: { maracAgencyId: string; memberAgencyId: string }[];
  keys: {
    kid: string;
    nodeId: string;
    use: string;
    status: string;
    createdAt: string;
    ageDays: number;
    expiresAt: string | null;
    revokedAt: string | null;
    rotating: boolean;
  }[];
}

export interface DeadLetterJson {
  record: string;
  time: string;
  code: string;
  reason: string;
  sourceTopic: string;
  messageId: string;
  type: string;
  replayOf: string | null;
  replayable: boolean;
}

export interface PolicyJson {
  version: string;
  rules: { id: string; effect: string; when: string; sees: string | null; reason: string }[];
}
