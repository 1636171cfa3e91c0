import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';

import { RoutesSubmission, SubmissionRoute } from './submission-route';

/** Every provider marked `@RoutesSubmission(type)`, by the type it routes; one per type. */
@Injectable()
export class SubmissionRoutes implements OnModuleInit {
  private readonly routes = new Map<string, SubmissionRoute>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const provider of this.discovery.getProviders({ metadataKey: RoutesSubmission.KEY })) {
      const definition = this.discovery.getMetadataByDecorator(RoutesSubmission, provider);
      if (!definition) continue;
      const route = provider.instance as SubmissionRoute | undefined;
      if (typeof route?.execute !== 'function') {
        throw new Error(`${provider.name} routes ${definition.type} but has no execute()`);
      }
      if (this.routes.has(definition.type)) {
        throw new Error(`two routes for submission type ${definition.type}`);
      }
      this.routes.set(definition.type, route);
    }
  }

  /** The submission types the hub routes: what it accepts on the submissions topic. */
  types(): string[] {
    return [...this.routes.keys()];
  }

  for(type: string): SubmissionRoute | undefined {
    return this.routes.get(type);
  }
}
