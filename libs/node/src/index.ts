export * from './identity/node-identity';
export * from './inbox/inbox-message.entity';
export * from './inbox/inbox.service';
export * from './node.module';
export * from './node-app.module';
