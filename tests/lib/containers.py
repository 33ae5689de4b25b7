#!/usr/bin/env python3
"""Writes one file holding TEXT in a container or encoding akgate must see through.

    python3 tests/lib/containers.py KIND OUT [TEXT_FILE]

KIND: utf16le-bom, utf16le, utf16be-bom (text encodings); gz, zip, tar.gz,
nested-zip (a zip in a zip in a zip in a zip: deeper than akgate opens),
zip-encrypted (a stored zip whose member is flagged encrypted, as `zip -e`
writes it), corrupt-zip, bomb-gz (20 MiB of zeros, a 1000:1 ratio).
The text is read from TEXT_FILE (or stdin); inside archives it is the member
conf/.env (for gz: the stream named OUT without .gz). Used by
tests/cli/content_cli_test.sh and tests/hook/content_test.sh.
"""
import gzip, io, struct, sys, tarfile, zipfile

kind, out = sys.argv[1], sys.argv[2]
text = (open(sys.argv[3], 'rb') if len(sys.argv) > 3 else sys.stdin.buffer).read()


def zip_of(name, data, compression=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, 'w', compression) as z:
        z.writestr(name, data)
    return b.getvalue()


if kind == 'utf16le-bom':
    data = b'\xff\xfe' + text.decode().encode('utf-16-le')
elif kind == 'utf16le':
    data = text.decode().encode('utf-16-le')
elif kind == 'utf16be-bom':
    data = b'\xfe\xff' + text.decode().encode('utf-16-be')
elif kind == 'gz':
    data = gzip.compress(text, mtime=0)
elif kind == 'zip':
    data = zip_of('conf/.env', text)
elif kind == 'tar.gz':
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode='w:gz') as t:
        info = tarfile.TarInfo('conf/.env')
        info.size = len(text)
        t.addfile(info, io.BytesIO(text))
    data = b.getvalue()
elif kind == 'nested-zip':
    data = text
    for level in range(5):
        data = zip_of('conf/.env' if level == 0 else 'inner%d.zip' % level, data)
elif kind == 'zip-encrypted':
    data = bytearray(zip_of('conf/.env', text, zipfile.ZIP_STORED))
    # General purpose flag bit 0 (encrypted), in the local and the central header.
    data[6] |= 1
    central = data.rfind(b'PK\x01\x02')
    data[central + 8] |= 1
    data = bytes(data)
elif kind == 'corrupt-zip':
    data = zip_of('conf/.env', text)[:40] + b'\x00garbage' * 8
elif kind == 'bomb-gz':
    data = gzip.compress(text + b'\0' * (20 << 20), mtime=0)
else:
    sys.exit('unknown kind ' + kind)
open(out, 'wb').write(data)
