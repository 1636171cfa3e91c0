import { exchangeMessageTypes } from '@app/contracts';

/**
 * The partnership metrics name a delivery's type by its submission's: the delivered view's type
 * without `-view` (partnership-metrics.queries.ts). That holds while every view is so named.
 */
describe('the views the hub delivers', () => {
  const types = exchangeMessageTypes()
    .list()
    .map((definition) => definition.type);

  it("are each named after a registered submission type, plus '-view'", () => {
    const views = types.filter((type) => type.endsWith('-view'));
    expect(views.length).toBeGreaterThanOrEqual(10);
    for (const view of views) expect(types).toContain(view.replace(/-view$/, ''));
  });
});
