import { barChartSvg, forStrictCsp } from './svg-chart';

describe('a partnership board chart as SVG', () => {
  const chart = barChartSvg({
    title: 'Time to deliver',
    categories: ['Under 10 s', '10 s to 1 min', '1 to 10 min'],
    series: [{ name: 'Deliveries', values: [3, 5, 1] }],
    unit: 'Deliveries',
  });

  it('is an SVG with the bars and their numbers, named as an image for screen readers', () => {
    expect(chart).toMatch(/^<svg role="img" aria-label="Time to deliver" focusable="false" /);
    expect(chart).toContain('10 s to 1 min');
    // Each bar labelled with its value.
    for (const value of ['>3<', '>5<', '>1<']) expect(chart).toContain(value);
  });

  it('holds no script, event handler, style element or style attribute (the strict CSP)', () => {
    expect(chart).not.toMatch(/<script|\son[a-z]+=|<style|\sstyle=/i);
    // The font is kept, as presentation attributes.
    expect(chart).toContain('font-family="arial, sans-serif"');
  });

  it('draws long agency names as horizontal bars, several series with a legend', () => {
    const svg = barChartSvg({
      title: 'Acknowledged on time',
      categories: ['Northshire County Council, Education', 'Northshire Community Health NHS Trust'],
      series: [
        { name: 'Median', values: [2, 3] },
        { name: '90th percentile', values: [4, 8] },
      ],
      unit: 'Hours',
      horizontal: true,
    });
    expect(svg).toContain('90th percentile');
    expect(svg).not.toMatch(/\sstyle=/);
  });

  it('refuses an SVG it could not make safe', () => {
    expect(() => forStrictCsp('<svg onload="alert(1)"></svg>', 'x')).toThrow(/script/);
    expect(() => forStrictCsp('<svg><script>alert(1)</script></svg>', 'x')).toThrow(/script/);
  });

  it('escapes the title', () => {
    expect(forStrictCsp('<svg ></svg>', 'A "quoted" <title>')).toContain(
      'aria-label="A &quot;quoted&quot; &lt;title&gt;"',
    );
  });
});
