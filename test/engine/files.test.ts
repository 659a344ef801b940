import {
  chmodSync,
  closeSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileWriteError, replaceFileAtomically, writeAll, writeFilesTogether } from '../../engine/files';
import { smallDisks } from '../fixtures/full-disk';

// The module object itself, whose functions engine/files calls: a spy on it replaces them there.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require('node:fs') as typeof import('node:fs');

const disks = smallDisks();
const onSmallDisk = disks === undefined ? it.skip : it;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rainbow-files-'));
});
afterEach(() => {
  jest.restoreAllMocks();
});

/** 9336 bytes: more than the one page a small disk has left. */
const PICTURE = Buffer.from('<svg>'.padEnd(9330, 'x') + '</svg>');

/** The error a call throws, for its exact message. */
function thrown(call: () => void): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('did not throw');
}

describe('writeAll', () => {
  it('writes every byte when the system writes less than it was given each time', () => {
    const realWrite = fs.writeSync;
    const calls: number[] = [];
    jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, bytes: Uint8Array, offset: number, length: number) => {
      calls.push(length);
      return realWrite(fd, bytes, offset, Math.min(length, 1000));
    }) as typeof fs.writeSync);
    const fd = openSync(join(dir, 'out'), 'w');
    try {
      writeAll(fd, PICTURE, join(dir, 'out'));
    } finally {
      closeSync(fd);
    }
    expect(calls).toHaveLength(10);
    expect(readFileSync(join(dir, 'out'))).toEqual(PICTURE);
  });

  onSmallDisk(
    'fails with <path>: no space left on device (ENOSPC) once the disk is full, after the part that fit',
    () => {
      const disk = disks!.mount(4);
      const fd = openSync(join(disk, 'out.svg'), 'w');
      let error: Error;
      try {
        error = thrown(() => writeAll(fd, PICTURE, 'out.svg'));
      } finally {
        closeSync(fd);
      }
      expect(error).toBeInstanceOf(FileWriteError);
      expect(error.message).toBe('out.svg: no space left on device (ENOSPC)');
      expect(statSync(join(disk, 'out.svg')).size).toBe(4096);
    },
  );
});

describe('replaceFileAtomically', () => {
  it('replaces the file with every byte, leaving no temporary file', () => {
    writeFileSync(join(dir, 'out.svg'), 'old');
    replaceFileAtomically(join(dir, 'out.svg'), PICTURE);
    expect(readFileSync(join(dir, 'out.svg'))).toEqual(PICTURE);
    expect(readdirSync(dir)).toEqual(['out.svg']);
  });

  onSmallDisk('keeps the old file, and leaves no temporary file, when the disk fills up during the write', () => {
    const disk = disks!.mount(8);
    writeFileSync(join(disk, 'out.svg'), 'old picture');
    const error = thrown(() => replaceFileAtomically(join(disk, 'out.svg'), PICTURE));
    expect(error.message).toBe(`${join(disk, 'out.svg')}: no space left on device (ENOSPC)`);
    expect(readFileSync(join(disk, 'out.svg'), 'utf8')).toBe('old picture');
    expect(readdirSync(disk)).toEqual(['out.svg']);
  });

  it('replaces a symbolic link by the file, leaving what it pointed to as it was', () => {
    writeFileSync(join(dir, 'elsewhere'), 'keep');
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'out.svg'));
    replaceFileAtomically(join(dir, 'out.svg'), PICTURE);
    expect(lstatSync(join(dir, 'out.svg')).isFile()).toBe(true);
    expect(readFileSync(join(dir, 'elsewhere'), 'utf8')).toBe('keep');
  });

  it('gives the file exactly the mode asked for, whatever the umask', () => {
    replaceFileAtomically(join(dir, 'out'), PICTURE, { mode: 0o664 });
    expect(statSync(join(dir, 'out')).mode & 0o777).toBe(0o664);
  });

  it('names the target, not its temporary file, when the folder is missing', () => {
    const error = thrown(() => replaceFileAtomically(join(dir, 'missing', 'out.svg'), PICTURE));
    expect(error.message).toBe(`${join(dir, 'missing', 'out.svg')}: no such file or directory (ENOENT)`);
  });
});

describe('writeFilesTogether', () => {
  const files = (replace: boolean) =>
    ['a', 'b', 'c'].map((name) => ({ path: join(dir, name), bytes: Buffer.from(`new ${name}\n`), replace }));

  it('writes every file, keeping the permissions of those it replaces', () => {
    writeFileSync(join(dir, 'a'), 'old a\n');
    chmodSync(join(dir, 'a'), 0o640);
    writeFilesTogether(files(true));
    expect(['a', 'b', 'c'].map((name) => readFileSync(join(dir, name), 'utf8'))).toEqual([
      'new a\n',
      'new b\n',
      'new c\n',
    ]);
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir).sort()).toEqual(['a', 'b', 'c']);
  });

  it('keeps the originals when one rename fails after others were done', () => {
    for (const name of ['a', 'b', 'c']) writeFileSync(join(dir, name), `old ${name}\n`);
    const realRename = fs.renameSync;
    jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      if (to === join(dir, 'c'))
        throw Object.assign(new Error(`EIO: i/o error, rename '${String(from)}' -> '${String(to)}'`), { code: 'EIO' });
      return realRename(from, to);
    });
    const error = thrown(() => writeFilesTogether(files(true)));
    expect(error.message).toBe(`${join(dir, 'c')}: i/o error (EIO)`);
    expect(['a', 'b', 'c'].map((name) => readFileSync(join(dir, name), 'utf8'))).toEqual([
      'old a\n',
      'old b\n',
      'old c\n',
    ]);
    expect(readdirSync(dir).sort()).toEqual(['a', 'b', 'c']);
  });

  onSmallDisk('keeps the originals and writes nothing when the disk fills up', () => {
    const disk = disks!.mount(12);
    writeFileSync(join(disk, 'a'), 'old a\n');
    writeFileSync(join(disk, 'b'), 'old b\n');
    const error = thrown(() =>
      writeFilesTogether(
        ['a', 'b', 'c'].map((name) => ({ path: join(disk, name), bytes: Buffer.from(`new ${name}\n`), replace: true })),
      ),
    );
    expect(error.message).toBe(`${join(disk, 'b')}: no space left on device (ENOSPC)`);
    expect(readFileSync(join(disk, 'a'), 'utf8')).toBe('old a\n');
    expect(readdirSync(disk).sort()).toEqual(['a', 'b']);
  });

  it('refuses to replace a symbolic link or a folder, writing nothing', () => {
    writeFileSync(join(dir, 'outside'), 'keep');
    symlinkSync(join(dir, 'outside'), join(dir, 'b'));
    mkdirSync(join(dir, 'c'));
    const error = thrown(() => writeFilesTogether(files(true)));
    expect(error.message).toBe(
      `${join(dir, 'b')}: is a symbolic link, not a regular file; only regular files are replaced`,
    );
    expect(readFileSync(join(dir, 'outside'), 'utf8')).toBe('keep');
    expect(readdirSync(dir).sort()).toEqual(['b', 'c', 'outside']);
  });

  it('fails with EEXIST, writing nothing, when a file it may not replace is there', () => {
    writeFileSync(join(dir, 'c'), 'old c\n');
    const error = thrown(() => writeFilesTogether(files(false)));
    expect(error.message).toBe(`${join(dir, 'c')}: file already exists (EEXIST)`);
    expect(readdirSync(dir).sort()).toEqual(['c']);
  });
});
