import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBody, detectCharset, stripXmlEncodingDeclaration } from '../src/http/charset.js';

const bytes = (...parts: Array<string | number[]>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

test('UTF-8 without BOM and without any declaration', () => {
  const body = Buffer.from('<rss><title>Café — Zürich 💰</title></rss>', 'utf8');
  assert.equal(detectCharset(body, 'application/rss+xml'), 'utf-8');
  assert.equal(decodeBody(body, 'application/rss+xml'), '<rss><title>Café — Zürich 💰</title></rss>');
});

test('UTF-8 with BOM: BOM stripped from the text', () => {
  const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<?xml version="1.0"?><rss>naïve</rss>', 'utf8')]);
  assert.equal(detectCharset(body, null), 'utf-8');
  const text = decodeBody(body, null);
  assert.equal(text, '<?xml version="1.0"?><rss>naïve</rss>');
  assert.notEqual(text.charCodeAt(0), 0xfeff);
});

test('ISO-8859-1 via the Content-Type header: byte 0xE9 is é', () => {
  const body = bytes('<p>caf', [0xe9], '</p>');
  assert.equal(detectCharset(body, 'text/html; charset=ISO-8859-1'), 'windows-1252');
  assert.equal(decodeBody(body, 'text/html; charset=ISO-8859-1'), '<p>café</p>');
});

test('ISO-8859-1 label is decoded as windows-1252 (0x92 is a curly quote, not a C1 control)', () => {
  const body = bytes('Nomad', [0x92], 's ', [0x80], '5k');
  assert.equal(decodeBody(body, 'text/xml; charset="iso-8859-1"'), 'Nomad’s €5k');
});

test('windows-1252 from the XML prolog: 0x92 is ’ and every C1 byte maps per WHATWG', () => {
  const body = bytes('<?xml version="1.0" encoding="windows-1252"?><rss><title>Nomad', [0x92], 's ', [0x93], 'job', [0x94], ' ', [0x85], '</title></rss>');
  assert.equal(detectCharset(body, 'application/xml'), 'windows-1252');
  assert.equal(decodeBody(body, 'application/xml'), '<?xml version="1.0" encoding="windows-1252"?><rss><title>Nomad’s “job” …</title></rss>');
  // The whole 0x80-0x9F block, against the WHATWG index (the five holes map to themselves).
  const c1 = decodeBody(bytes('<?xml version="1.0" encoding="cp1252"?>', Array.from({ length: 32 }, (_, i) => 0x80 + i)), null);
  assert.equal(c1.slice(-32), '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ');
});

test('windows-1251 from the XML prolog decodes Cyrillic', () => {
  // "Вакансия" in windows-1251
  const body = bytes("<?xml version='1.0' encoding='windows-1251'?><title>", [0xc2, 0xe0, 0xea, 0xe0, 0xed, 0xf1, 0xe8, 0xff], '</title>');
  assert.equal(detectCharset(body, null), 'windows-1251');
  assert.equal(decodeBody(body, null), "<?xml version='1.0' encoding='windows-1251'?><title>Вакансия</title>");
});

test('koi8-r and shift_jis labels are decoded through ICU', () => {
  assert.equal(decodeBody(bytes([0xc1, 0xc2]), 'text/plain; charset=koi8-r'), 'аб');
  assert.equal(decodeBody(bytes([0x82, 0xa0]), 'text/plain; charset=Shift_JIS'), 'あ');
});

test('UTF-16LE with BOM', () => {
  const text = '<?xml version="1.0" encoding="UTF-16"?><rss>Ingénieur Ж</rss>';
  const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  assert.equal(detectCharset(body, null), 'utf-16le');
  assert.equal(decodeBody(body, null), text);
});

test('UTF-16BE with BOM', () => {
  const le = Buffer.from('<rss>Ж</rss>', 'utf16le');
  const be = Buffer.from(le).swap16();
  const body = Buffer.concat([Buffer.from([0xfe, 0xff]), be]);
  assert.equal(detectCharset(body, null), 'utf-16be');
  assert.equal(decodeBody(body, null), '<rss>Ж</rss>');
});

test('UTF-16LE without BOM is recognised from "<?" in two-byte units', () => {
  const body = Buffer.from('<?xml version="1.0"?><a>é</a>', 'utf16le');
  assert.equal(detectCharset(body, null), 'utf-16le');
  assert.equal(decodeBody(body, null), '<?xml version="1.0"?><a>é</a>');
});

test('the header charset wins over the XML prolog', () => {
  const body = Buffer.from('<?xml version="1.0" encoding="windows-1251"?><t>café</t>', 'utf8');
  assert.equal(detectCharset(body, 'application/rss+xml; charset=utf-8'), 'utf-8');
  assert.equal(decodeBody(body, 'application/rss+xml; charset=utf-8'), '<?xml version="1.0" encoding="windows-1251"?><t>café</t>');
});

test('a BOM wins over a contradicting header (as in the WHATWG decode algorithm)', () => {
  const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Zürich', 'utf8')]);
  assert.equal(detectCharset(body, 'text/xml; charset=iso-8859-1'), 'utf-8');
  assert.equal(decodeBody(body, 'text/xml; charset=iso-8859-1'), 'Zürich');
});

test('an unknown label falls back to UTF-8 instead of throwing', () => {
  const body = Buffer.from('<rss>Café</rss>', 'utf8');
  assert.equal(detectCharset(body, 'text/xml; charset=x-no-such-charset'), 'utf-8');
  assert.equal(decodeBody(body, 'text/xml; charset=x-no-such-charset'), '<rss>Café</rss>');
  const prolog = Buffer.from('<?xml version="1.0" encoding="bogus-42"?><rss>Café</rss>', 'utf8');
  assert.equal(detectCharset(prolog, null), 'utf-8');
  assert.equal(decodeBody(prolog, null), '<?xml version="1.0" encoding="bogus-42"?><rss>Café</rss>');
});

test('an unknown header label does not hide a valid XML prolog', () => {
  const body = bytes('<?xml version="1.0" encoding="ISO-8859-1"?><t>caf', [0xe9], '</t>');
  assert.equal(detectCharset(body, 'text/xml; charset=nonsense'), 'windows-1252');
  assert.equal(decodeBody(body, 'text/xml; charset=nonsense').endsWith('<t>café</t>'), true);
});

test('HTML <meta charset> and <meta http-equiv> are read when nothing else declares a charset', () => {
  const meta = bytes('<!doctype html><html><head><meta charset="windows-1252"><title>Caf', [0xe9], '</title>');
  assert.equal(detectCharset(meta, 'text/html'), 'windows-1252');
  assert.equal(decodeBody(meta, 'text/html').endsWith('<title>Café</title>'), true);
  const httpEquiv = bytes('<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r"></head>', [0xc1]);
  assert.equal(detectCharset(httpEquiv, null), 'koi8-r');
  assert.equal(decodeBody(httpEquiv, null).endsWith('а'), true);
});

test('a UTF-16 declaration in an ASCII-readable prolog is treated as UTF-8', () => {
  const body = Buffer.from('<?xml version="1.0" encoding="utf-16"?><t>é</t>', 'utf8');
  assert.equal(detectCharset(body, null), 'utf-8');
  assert.equal(decodeBody(body, null), '<?xml version="1.0" encoding="utf-16"?><t>é</t>');
});

test('undeclared bytes that are not valid UTF-8 are read as windows-1252', () => {
  const body = bytes('<rss><title>Caf', [0xe9], ' ', [0x96], ' Paris</title></rss>');
  assert.equal(detectCharset(body, 'application/rss+xml'), 'windows-1252');
  assert.equal(decodeBody(body, 'application/rss+xml'), '<rss><title>Café – Paris</title></rss>');
});

test('stripXmlEncodingDeclaration removes only the encoding attribute of the declaration', () => {
  assert.equal(
    stripXmlEncodingDeclaration('<?xml version="1.0" encoding="windows-1252" standalone="yes"?><rss encoding="x"/>'),
    '<?xml version="1.0" standalone="yes"?><rss encoding="x"/>',
  );
  assert.equal(stripXmlEncodingDeclaration("<?xml version='1.0' encoding='ISO-8859-1'?>\n<rss/>"), "<?xml version='1.0'?>\n<rss/>");
  assert.equal(stripXmlEncodingDeclaration('\n  <?xml version="1.0"   encoding = "utf-8" ?><a/>'), '\n  <?xml version="1.0" ?><a/>');
  // No declaration, or encoding= only later in the document: untouched.
  assert.equal(stripXmlEncodingDeclaration('<rss><meta encoding="utf-8"/></rss>'), '<rss><meta encoding="utf-8"/></rss>');
  assert.equal(stripXmlEncodingDeclaration('<?xml version="1.0"?><a encoding="b"/>'), '<?xml version="1.0"?><a encoding="b"/>');
});
