/** A message type: its name, version and the class-validator class of its body. */
export interface MessageTypeDefinition<T extends object = object> {
  type: string;
  version: number;
  body: new () => T;
}
