import { Testing } from 'cdktf';
import { Lazy, TerraformOutput, TerraformStack, withoutTokenCreationStacks } from '../../constructs/core';

/** cdktf's creation stack of a token made now. */
const creationStack = (): string[] => Lazy.anyValue({ produce: () => 'value' }).creationStack;

/** A stack with a late-bound output, synthesized. */
function synthesized(): string {
  const stack = new TerraformStack(Testing.app(), 'stack');
  new TerraformOutput(stack, 'out', { value: Lazy.stringValue({ produce: () => 'made late' }) });
  return Testing.synth(stack);
}

describe('withoutTokenCreationStacks', () => {
  it("gives the tokens cdktf makes inside it no creation stack, and those made after it cdktf's own", () => {
    // As in a user's program: test/environment.js leaves every creation stack of the suite empty.
    const suite = Error.prepareStackTrace;
    delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    try {
      expect(creationStack().length).toBeGreaterThan(0);
      expect(withoutTokenCreationStacks(() => creationStack())).toEqual([]);
      expect(creationStack().length).toBeGreaterThan(0);
    } finally {
      Error.prepareStackTrace = suite;
    }
  });

  it('keeps the stack of every Error made inside it, and returns what the build returns', () => {
    const error = withoutTokenCreationStacks(() => new Error('inside'));
    expect(error.stack).toMatch(/^Error: inside\n {4}at /);
    expect(withoutTokenCreationStacks(() => 42)).toBe(42);
  });

  it('puts the stack formatter back when the build throws', () => {
    const before = Error.prepareStackTrace;
    expect(() =>
      withoutTokenCreationStacks(() => {
        throw new Error('build failed');
      }),
    ).toThrow('build failed');
    expect(Error.prepareStackTrace).toBe(before);
  });

  it('changes nothing in what a stack synthesizes', () => {
    expect(withoutTokenCreationStacks(synthesized)).toBe(synthesized());
  });
});
