import { trafficTable, useColor } from '../../cli/table';
import { rawSpec, resolvedSpec } from '../spec-helpers';

describe('trafficTable', () => {
  const spec = resolvedSpec(rawSpec());

  it('paints names and bars in their colors on a terminal', () => {
    const lines = trafficTable(spec, true);
    expect(lines[2]).toBe(
      '\u001b[31mred   \u001b[0m  ghcr.io/acme/shop:1.4.0  \u001b[31m██████████████████░░\u001b[0m  90%         3  live',
    );
  });

  it('is plain ASCII without color', () => {
    expect(trafficTable(spec, false).join('\n')).toMatch(/^[\x20-\x7e\n]*$/);
  });

  it('colors only a terminal, and never with NO_COLOR', () => {
    const saved = process.env.NO_COLOR;
    const term = process.env.TERM;
    try {
      delete process.env.NO_COLOR;
      process.env.TERM = 'xterm-256color';
      expect(useColor({ isTTY: true })).toBe(true);
      expect(useColor({ isTTY: false })).toBe(false);
      process.env.NO_COLOR = '1';
      expect(useColor({ isTTY: true })).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
      if (term === undefined) delete process.env.TERM;
      else process.env.TERM = term;
    }
  });

  it('prints an image escaped, so it cannot disguise itself as another', () => {
    const disguised = {
      ...spec,
      colors: spec.colors.map((c, i) =>
        i === 0 ? { ...c, image: 'evil.io/x\u001b[2K\rghcr.io/acme/shop:1.4.0\u200b' } : c,
      ),
    };
    const lines = trafficTable(disguised, false);
    expect(lines[2]).toBe(
      'red     evil.io/x\\u001b[2K\\u000dghcr.io/acme/shop:1.4.0\\u200b  ##################..  90%         3  live',
    );
    expect(lines[3].indexOf('#')).toBe(lines[2].indexOf('#'));
    expect(lines.join('\n')).toMatch(/^[\x20-\x7e\n]*$/);
  });

  it('paints only the colors it knows: constructor is a color name, not a paint', () => {
    const odd = { ...spec, colors: spec.colors.map((c, i) => (i === 0 ? { ...c, name: 'constructor' } : c)) };
    expect(trafficTable(odd, true)[2]).toBe(
      'constructor  ghcr.io/acme/shop:1.4.0  \u001b[1m██████████████████░░\u001b[0m  90%         3  live',
    );
  });
});
