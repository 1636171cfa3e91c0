import { INestApplication, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE, REQUIRED_ROLES, Role } from '@app/platform';

export interface AppRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path, e.g. `/missing-episodes/:episodeId`. */
  path: string;
  public: boolean;
  /** The roles of @Authorize; empty: any authenticated caller. */
  roles: Role[];
  /** The controller and method name, to read more of the route's metadata. */
  controller: Type<unknown>;
  handler: string;
}

/**
 * Every HTTP route an app serves, read from its controllers' metadata, so a test that walks them
 * cannot miss an endpoint added later. Kafka handlers (no request method) are left out.
 */
export function appRoutes(app: INestApplication): AppRoute[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const routes: AppRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || !wrapper.metatype) continue;
    const base = normalise(
      reflector.get<string | string[] | undefined>(PATH_METADATA, wrapper.metatype),
    );
    const prototype = Object.getPrototypeOf(instance) as Record<string, () => unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      const method = reflector.get<RequestMethod | undefined>(METHOD_METADATA, handler);
      const own = reflector.get<string | string[] | undefined>(PATH_METADATA, handler);
      if (method === undefined || own === undefined) continue;
      const targets = [handler, wrapper.metatype];
      routes.push({
        method: RequestMethod[method].toLowerCase() as AppRoute['method'],
        path: `/${[base, normalise(own)].filter(Boolean).join('/')}`,
        public: Boolean(reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)),
        roles: reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets) ?? [],
        controller: wrapper.metatype as Type<unknown>,
        handler: name,
      });
    }
  }
  return routes;
}

function normalise(path: string | string[] | undefined): string {
  const first = Array.isArray(path) ? path[0] : path;
  return (first ?? '').replace(/^\/+|\/+$/g, '');
}

/** A route with its parameters filled in: a UUID for ids, the given mailbox for `:mailboxId`. */
export function concretePath(route: AppRoute, mailboxId = 'no-such-mailbox'): string {
  return route.path.replace(/:(\w+)/g, (_, name: string) =>
    name === 'mailboxId' ? mailboxId : '7f3e2a4c-1b5d-4e6f-8a9b-0c1d2e3f4a5b',
  );
}
