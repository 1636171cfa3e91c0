export * from './entities/agency.entity';
export * from './entities/node.entity';
export * from './entities/mailbox.entity';
export * from './registry.service';
export * from './registry.module';
