import path from 'node:path';

import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { applyRequestLimits, SERVICE_ENV } from '@app/platform';
import cookieParser from 'cookie-parser';
import { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import nunjucks from 'nunjucks';

import { ConsoleEnv } from '../config/console.env';
import { VIEW_CHOICES } from '../presentation/choice-labels';
import { designSystemCss } from './design-system-css';
import { projectRoot } from './project-root';

/**
 * The console's Nest application, configured as in production but not yet listening: strict
 * security headers, server-rendered Nunjucks pages with the GOV.UK and MOJ design systems, their
 * assets, and `Cache-Control: no-store` on everything that is not a static asset.
 */
export async function createConsoleApp(rootModule: Type<unknown>): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, {
    bufferLogs: true,
    abortOnError: false,
    // applyRequestLimits installs the only body parsers, with the platform's limits.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const env = app.get<ConsoleEnv>(SERVICE_ENV);
  const root = projectRoot();
  const modules = path.join(root, 'node_modules');

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          frameAncestors: ["'none'"],
          // Signing out posts a form that redirects to the provider's end-session page.
          formAction: ["'self'", new URL(env.AUTH_ISSUER).origin],
        },
      },
      // Plain HTTP on a development machine's loopback must not be upgraded or pinned.
      strictTransportSecurity: env.CONSOLE_PUBLIC_URL.startsWith('https://'),
    }),
  );
  // The console's pages post HTML forms; the same size, depth and hazard checks as every API.
  applyRequestLimits(app, {
    maxBodyBytes: env.HTTP_BODY_MAX_BYTES,
    maxDepth: env.HTTP_BODY_MAX_DEPTH,
    formPaths: ['/'],
  });
  app.use(cookieParser());
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (!request.path.startsWith('/assets/')) response.setHeader('Cache-Control', 'no-store');
    next();
  });

  const css = designSystemCss(
    path.join(modules, 'govuk-frontend/dist/govuk/govuk-frontend.min.css'),
  );
  app.use('/assets/govuk-frontend.css', (_request: Request, response: Response) => {
    response.type('text/css').setHeader('Cache-Control', 'public, max-age=3600').send(css);
  });
  const assets = { immutable: false, maxAge: '1h', index: false, fallthrough: false } as const;
  app.useStaticAssets(path.join(modules, 'govuk-frontend/dist/govuk/assets/images'), {
    prefix: '/assets/images/',
    ...assets,
  });
  app.useStaticAssets(path.join(modules, 'govuk-frontend/dist/govuk'), {
    prefix: '/assets/govuk/',
    ...assets,
  });
  app.useStaticAssets(path.join(modules, '@ministryofjustice/frontend/moj'), {
    prefix: '/assets/moj/',
    ...assets,
  });
  app.useStaticAssets(path.join(root, 'apps/console/assets'), {
    prefix: '/assets/console/',
    ...assets,
  });

  const views = nunjucks.configure(
    [
      path.join(root, 'apps/console/views'),
      path.join(modules, 'govuk-frontend/dist'),
      path.join(modules, '@ministryofjustice/frontend'),
    ],
    { autoescape: true, throwOnUndefined: false, noCache: env.NODE_ENV === 'development' },
  );
  views.addGlobal('choices', VIEW_CHOICES);
  views.express(app.getHttpAdapter().getInstance());
  app.setViewEngine('njk');
  return app;
}
