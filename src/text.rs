//! What the scanners read of a file or blob: its bytes, or its UTF-16 text decoded to UTF-8.
//!
//! Windows tools (PowerShell's `>` in 5.1, `reg export`, Visual Studio, many .NET config
//! writers) save UTF-16 with a byte order mark. Every other byte of ASCII text is then NUL,
//! so git's and grep's binary tests skip the whole file, and a key in it passed every scan.
//! A buffer that starts with a BOM (`FF FE` little-endian, `FE FF` big-endian) and decodes
//! as UTF-16 is scanned as its UTF-8 text instead, in every mode: one function, called
//! wherever a source decides "binary". Decoding is lossless for valid text; the BOM is
//! dropped, so line 1 starts with the first character, and line numbers count the decoded
//! lines. A buffer with a BOM but unpaired surrogates in its first 8000 bytes is not text
//! (random binary starts with `FF FE` one time in 65536) and keeps the binary rules, unless
//! its NULs say it is UTF-16 (below).
//!
//! Without a BOM (Java's `UTF_16LE`, `iconv -t UTF-16LE`, .NET's `UnicodeEncoding` without a
//! preamble) UTF-16 is recognised by its NULs: the high byte of every ASCII character is 0,
//! so in the first 8000 bytes the NULs sit at one parity (odd offsets little-endian, even
//! big-endian). At least `MIN_NULS` of them there, and at most one in
//! `PARITY_RATIO` at the other parity, is UTF-16; random or compressed binary has as many
//! NULs at both parities, and git's own binary test still decides everything else. Such a
//! buffer is decoded lossily (an unpaired surrogate becomes U+FFFD), so appending one cannot
//! hide the text.

use std::borrow::Cow;

/// How far git's binary test looks (`buffer_is_binary`), reused for the surrogate check.
const SNIFF: usize = 8000;

/// The text of `buf` to scan in git's modes: the UTF-8 decoding of UTF-16 with a BOM, the
/// bytes as they are, or `None` when git would call it binary (a NUL in the first 8000 bytes).
pub fn scannable(buf: &[u8]) -> Option<Cow<'_, [u8]>> {
    if let Some(decoded) = decode_utf16(buf) {
        return Some(Cow::Owned(decoded));
    }
    if git_is_binary(buf) {
        return None;
    }
    Some(Cow::Borrowed(buf))
}

/// `buf` as text for line-level work (diffs): decoded when it is UTF-16, else as it is.
pub fn as_text(buf: &[u8]) -> Cow<'_, [u8]> {
    decode_utf16(buf).map_or(Cow::Borrowed(buf), Cow::Owned)
}

/// `buf` decoded from UTF-16 to UTF-8 when it starts with a BOM and its first 8000 bytes are
/// well-formed UTF-16 (further on, an unpaired surrogate becomes U+FFFD, as a lone odd final
/// byte does); `None` otherwise.
pub fn decode_utf16(buf: &[u8]) -> Option<Vec<u8>> {
    let (little, body) = match buf.get(..2)? {
        [0xff, 0xfe] => (true, &buf[2..]),
        [0xfe, 0xff] => (false, &buf[2..]),
        _ => (nul_parity(buf)?, buf),
    };
    // NULs at the parity the byte order gives: UTF-16 text whatever its surrogates say.
    let lossy = nul_parity(body) == Some(little);
    let units = body.chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let sniffed_units = SNIFF / 2;
    let mut out = Vec::with_capacity(body.len() + body.len() / 2);
    let mut consumed = 0usize;
    for decoded in char::decode_utf16(units) {
        let c = match decoded {
            Ok(c) => c,
            Err(_) if consumed < sniffed_units && !lossy => return None,
            Err(_) => char::REPLACEMENT_CHARACTER,
        };
        consumed += c.len_utf16();
        let mut utf8 = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    }
    if body.len() % 2 == 1 {
        out.extend_from_slice("\u{fffd}".as_bytes());
    }
    Some(out)
}

/// NULs at one parity of the first 8000 bytes needed to call a buffer without a BOM UTF-16:
/// git's binary test fires on one NUL, so a lone NUL in `me\0x` stays binary.
const MIN_NULS: usize = 4;
/// At most one NUL at the other parity per this many at the text's parity (a CJK character
/// such as U+4E00 has a zero low byte; random bytes have as many NULs at both parities).
const PARITY_RATIO: usize = 16;

/// `Some(little_endian)` when the NULs of the first 8000 bytes of `buf` sit at one parity, as
/// in ASCII-heavy UTF-16 ([`MIN_NULS`], [`PARITY_RATIO`]); `None` otherwise, and for text
/// without NULs.
fn nul_parity(buf: &[u8]) -> Option<bool> {
    let window = &buf[..buf.len().min(SNIFF) & !1];
    memchr::memchr(0, window)?;
    let (mut even, mut odd) = (0usize, 0usize);
    for unit in window.chunks_exact(2) {
        even += usize::from(unit[0] == 0);
        odd += usize::from(unit[1] == 0);
    }
    if odd >= MIN_NULS && even * PARITY_RATIO <= odd {
        Some(true)
    } else if even >= MIN_NULS && odd * PARITY_RATIO <= even {
        Some(false)
    } else {
        None
    }
}

/// git's `buffer_is_binary`: a NUL in the first 8000 bytes.
pub fn git_is_binary(buf: &[u8]) -> bool {
    memchr::memchr(0, &buf[..buf.len().min(8000)]).is_some()
}

/// Decode standard or URL-safe base64 (padding optional); `None` for anything else.
pub fn base64(s: &[u8]) -> Option<Vec<u8>> {
    let s = match s.iter().position(|&b| b == b'=') {
        Some(p) if s[p..].iter().all(|&b| b == b'=') && s.len() - p <= 2 => &s[..p],
        Some(_) => return None,
        None => s,
    };
    if s.len() % 4 == 1 {
        return None;
    }
    let value = |b: u8| -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for chunk in s.chunks(4) {
        let mut n = 0u32;
        for (i, &b) in chunk.iter().enumerate() {
            n |= value(b)? << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    Some(out)
}

/// Shannon entropy in bits per byte.
pub fn entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0usize; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let n = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, little: bool) -> Vec<u8> {
        let mut out = if little {
            vec![0xff, 0xfe]
        } else {
            vec![0xfe, 0xff]
        };
        for u in text.encode_utf16() {
            out.extend_from_slice(&if little {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            });
        }
        out
    }

    #[test]
    fn utf16_round_trips_and_binary_stays_binary() {
        let text = "a\r\nkey = é😀 ☃\n\u{0a0a}\n";
        for little in [true, false] {
            assert_eq!(decode_utf16(&utf16(text, little)).unwrap(), text.as_bytes());
            assert_eq!(&*scannable(&utf16(text, little)).unwrap(), text.as_bytes());
        }
        assert_eq!(&*scannable(b"plain\n").unwrap(), b"plain\n");
        assert!(scannable(b"bin\0ary").is_none());
        // A BOM followed by an unpaired surrogate is not UTF-16 text.
        assert!(decode_utf16(&[0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00]).is_none());
        assert!(scannable(&[0xff, 0xfe, 0x00, 0xd8, 0x00, 0x00]).is_none());
        assert_eq!(decode_utf16(&[0xff, 0xfe]).unwrap(), b"");
        assert_eq!(
            decode_utf16(&[0xff, 0xfe, 0x41]).unwrap(),
            "\u{fffd}".as_bytes()
        );
        assert!(decode_utf16(b"\xef\xbb\xbfutf-8").is_none());
    }

    fn bare(text: &str, little: bool) -> Vec<u8> {
        utf16(text, little)[2..].to_vec()
    }

    #[test]
    fn utf16_without_a_bom_is_recognised_by_its_nuls() {
        let text = "key = AKIAZ7Q3X9K2M4N6P8R1\r\n";
        for little in [true, false] {
            assert_eq!(decode_utf16(&bare(text, little)).unwrap(), text.as_bytes());
        }
        // Mostly Cyrillic (no NULs) with an ASCII key, and a CJK character with a zero low byte.
        let mixed = format!(
            "{}\nkey = AKIAZ7Q3X9K2M4N6P8R1 \u{4e00}\n",
            "привет ".repeat(300)
        );
        assert_eq!(decode_utf16(&bare(&mixed, true)).unwrap(), mixed.as_bytes());
        // A BOM and an unpaired surrogate at the start cannot hide ASCII-heavy text.
        let mut hidden = vec![0xff, 0xfe, 0x00, 0xd8];
        hidden.extend(bare(text, true));
        let decoded = String::from_utf8(decode_utf16(&hidden).unwrap()).unwrap();
        assert!(decoded.ends_with(text), "{decoded:?}");
        // Binary stays binary: a lone NUL, NULs at both parities, bytes of every value.
        assert!(decode_utf16(b"me\0x\n").is_none());
        assert!(decode_utf16(b"\0a\0\0b\0\0c\0\0d\0").is_none());
        let noise: Vec<u8> = (0..8192u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert!(decode_utf16(&noise).is_none());
    }
}
