import path from 'node:path';

import { designSystemCss } from './design-system-css';
import { projectRoot } from './project-root';

describe('the design system stylesheet the console serves', () => {
  it('keeps GOV.UK Frontend but not the typeface reserved for GOV.UK', () => {
    const css = designSystemCss(
      path.join(projectRoot(), 'node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css'),
    );
    expect(css).toContain('.govuk-button');
    expect(css).not.toMatch(/GDS Transport/);
    expect(css).not.toMatch(/@font-face/);
  });
});
