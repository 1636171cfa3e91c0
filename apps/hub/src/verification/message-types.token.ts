/** Injection token of the hub's MessageTypeRegistry (see exchangeMessageTypes in contracts). */
export const MESSAGE_TYPES = Symbol('MESSAGE_TYPES');
