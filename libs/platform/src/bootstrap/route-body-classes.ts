import { INestApplication, Type } from '@nestjs/common';
import { METHOD_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';

/** Where @ApiBody keeps its type (@nestjs/swagger's DECORATORS.API_PARAMETERS, not exported). */
const API_PARAMETERS = 'swagger/apiParameters';

export interface RouteBody {
  controller: Type<unknown>;
  handler: string;
  /** The class the body is validated as: its @ApiBody type, else its @Body() parameter's. */
  type: Type<unknown>;
}

/** Every route of the app that takes a body, with the class that body must satisfy. */
export function routeBodyClasses(app: INestApplication): RouteBody[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const bodies: RouteBody[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as Type<unknown> | undefined;
    if (!controller) continue;
    const prototype = controller.prototype as Record<string, object>;
    for (const handler of scanner.getAllMethodNames(prototype)) {
      if (Reflect.getMetadata(METHOD_METADATA, prototype[handler]) === undefined) continue;
      const type = bodyClass(controller, handler);
      if (type) bodies.push({ controller, handler, type });
    }
  }
  return bodies;
}

function bodyClass(controller: Type<unknown>, handler: string): Type<unknown> | undefined {
  const prototype = controller.prototype as Record<string, object>;
  const documented = (
    (Reflect.getMetadata(API_PARAMETERS, prototype[handler]) ?? []) as {
      in: string;
      type?: Type<unknown>;
    }[]
  ).find((parameter) => parameter.in === 'body')?.type;
  if (documented) return documented;
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<
    string,
    { index: number }
  >;
  const body = Object.entries(args).find(([key]) => key.startsWith(`${RouteParamtypes.BODY}:`));
  if (!body) return undefined;
  const types = Reflect.getMetadata('design:paramtypes', prototype, handler) as Type<unknown>[];
  return types[body[1].index];
}
