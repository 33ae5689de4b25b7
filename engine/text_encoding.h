// Stage 1b: text that is not UTF-8. Windows tools write UTF-16 (PowerShell
// 5.1's `>` and Out-File: UTF-16LE with a byte order mark; some editors and
// .reg exports: UTF-16 without one). Such a file is full of NUL bytes and
// would be skipped as binary; it is decoded to UTF-8 and scanned instead.
// Line numbers stay right (one U+000A per line either way); columns and
// offsets are those of the decoded text.
#pragma once

#include <string>
#include <string_view>

namespace akgate {

enum class TextEncoding { kUtf8, kUtf16Le, kUtf16Be };
const char* TextEncodingName(TextEncoding e);  // "utf-8", "utf-16le", "utf-16be"

// UTF-16 by its byte order mark (FF FE, FE FF), or without one by the NUL
// pattern of mostly-ASCII text (the high bytes of the first 8000 bytes are
// almost all zero on one side, almost none on the other) and then only when
// the decoded start is text (no U+0000, few control characters).
TextEncoding DetectUtf16(std::string_view data);

// Decodes UTF-16 `data` into UTF-8, dropping a leading BOM; an unpaired surrogate
// becomes U+FFFD, a trailing odd byte is dropped.
void Utf16ToUtf8(std::string_view data, TextEncoding e, std::string* out);

}  // namespace akgate
