import { Testing } from 'cdktf';
import { z } from 'zod';
test('x', () => { expect(Testing).toBeDefined(); expect(z).toBeDefined(); });
