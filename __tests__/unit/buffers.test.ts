import { LineBuffer } from '../../src/util/line-buffer.js';
import { Masker } from '../../src/util/masker.js';

describe('LineBuffer', () => {
  it('splits chunks into lines across chunk boundaries', () => {
    const buffer = new LineBuffer();
    buffer.push('hel');
    buffer.push('lo\r\nwor');
    buffer.push('ld\n');
    expect(buffer.tail(5)).toEqual(['hello', 'world']);
  });

  it('tells its listeners each complete line once, and the last one at the end', () => {
    const buffer = new LineBuffer();
    const heard: string[] = [];
    buffer.onLine((line) => heard.push(line));
    buffer.push('Listening on ');
    expect(heard).toEqual([]);
    buffer.push('port 3000\nbye');
    buffer.end();
    expect(heard).toEqual(['Listening on port 3000', 'bye']);
  });

  it('keeps only the newest lines within its byte budget', () => {
    const buffer = new LineBuffer(100, 50);
    for (let i = 0; i < 1000; i += 1) buffer.push(`line ${i}\n`);
    expect(buffer.lineCount).toBe(1000);
    expect(buffer.tail(2)).toEqual(['line 998', 'line 999']);
    expect(buffer.tail(1000).join('\n').length).toBeLessThanOrEqual(100);
    expect(buffer.dropped).toBeGreaterThan(980);
  });

  it('clips one enormous line instead of holding it', () => {
    const buffer = new LineBuffer(1024, 100);
    buffer.push('x'.repeat(10_000_000));
    buffer.push('\n');
    const [line] = buffer.tail(1);
    expect(line.length).toBeLessThan(200);
    expect(line).toContain('more characters');
  });
});

describe('Masker', () => {
  it('masks every registered secret, longest first, in text and in nested values', () => {
    const masker = new Masker();
    masker.add('Bearer sk-live-123456');
    masker.add('sk-live-123456');
    masker.add('ab');
    expect(masker.mask('Authorization: Bearer sk-live-123456 then sk-live-123456')).toBe('Authorization: *** then ***');
    expect(masker.maskDeep({ a: ['sk-live-123456'], b: { c: 'x sk-live-123456' } })).toEqual({ a: ['***'], b: { c: 'x ***' } });
    expect(masker.mask('ab stays')).toBe('ab stays');
  });
});

describe('LineBuffer with a long line arriving in pieces', () => {
  it('stores it once, clipped, and goes on with the next line', () => {
    const buffer = new LineBuffer(1024, 100);
    for (let i = 0; i < 50; i += 1) buffer.push('y'.repeat(1000));
    buffer.push('tail of the long line\nnext line\n');
    expect(buffer.tail(5)).toHaveLength(2);
    expect(buffer.tail(5)[1]).toBe('next line');
    expect(buffer.lineCount).toBe(2);
  });
});
