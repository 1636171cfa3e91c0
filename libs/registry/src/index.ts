export * from './entities/agency.entity';
export * from './entities/node.entity';
export * from './entities/mailbox.entity';
export * from './entities/node-key.entity';
export * from './entities/marac-member.entity';
export * from './registry.service';
export * from './node-key.service';
export * from './registry.module';
