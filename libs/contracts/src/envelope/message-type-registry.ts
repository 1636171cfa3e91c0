/** A message type: its name, version and the class-validator class of its body. */
export interface MessageTypeDefinition<T extends object = object> {
  type: string;
  version: number;
  body: new () => T;
}

/** What the verifier needs: the body class of a type and version, if there is one. */
export interface MessageTypeLookup {
  find(type: string, version: number): MessageTypeDefinition | undefined;
}

/**
 * Maps `type` + `version` to the body's class, so the verifier validates every body against its
 * schema and refuses types nobody registered.
 */
export class MessageTypeRegistry implements MessageTypeLookup {
  private readonly definitions = new Map<string, MessageTypeDefinition>();

  register<T extends object>(definition: MessageTypeDefinition<T>): this {
    const key = `${definition.type}@${definition.version}`;
    if (this.definitions.has(key)) throw new Error(`message type ${key} is already registered`);
    this.definitions.set(key, definition as MessageTypeDefinition);
    return this;
  }

  find(type: string, version: number): MessageTypeDefinition | undefined {
    return this.definitions.get(`${type}@${version}`);
  }

  list(): MessageTypeDefinition[] {
    return [...this.definitions.values()];
  }
}

/**
 * A fresh registry of the message types the exchange carries. The journey issues register the
 * safeguarding messages here; until then it is empty and the hub refuses every type.
 */
export function exchangeMessageTypes(): MessageTypeRegistry {
  return new MessageTypeRegistry();
}
