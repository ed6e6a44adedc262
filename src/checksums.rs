//! Offline checks of token formats that carry their own checksum or a decodable structure,
//! beyond GitHub's (in [`crate::filters`]). Each runs only on a rule's candidate match (the
//! regex has already matched), costs one CRC-32 or one bounded parse, and says whether the
//! token is well-formed ([`Verdict::Valid`]), a look-alike of the checksummed shape
//! ([`Verdict::Invalid`]) or of another shape it does not judge ([`Verdict::NotApplicable`]).

/// What a checksum says about a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The checksum matches.
    Valid,
    /// The token has the checksummed shape but the checksum does not match: a look-alike.
    Invalid,
    /// The token is not of the checksummed shape (another length, a newer format).
    NotApplicable,
}

const BASE36: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// `n` as `width` base36 digits (lower case, most significant first, zero-padded; u32::MAX
/// needs 7): Ruby's `Integer#to_s(36).rjust(width, '0')`.
pub(crate) fn base36(mut n: u32, width: usize) -> Vec<u8> {
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = BASE36[(n % 36) as usize];
        n /= 36;
    }
    out
}

fn base36_value(digits: &[u8]) -> Option<usize> {
    digits.iter().try_fold(0usize, |n, &d| {
        let v = match d {
            b'0'..=b'9' => d - b'0',
            b'a'..=b'z' => d - b'a' + 10,
            _ => return None,
        };
        Some(n * 36 + v as usize)
    })
}

/// How far back an instance prefix (`acme-` in `acme-glpat-...`) is looked for: GitLab's
/// instance token prefix is an administrator's short word; 64 bytes bound the CRCs tried on a
/// look-alike to 64.
const INSTANCE_PREFIX_MAX: usize = 64;

/// GitLab's routable tokens: `<prefix><base64url payload>.<2 base36: version>.<2 base36:
/// payload length><7 base36: CRC-32>` (or, before the version was added, without
/// `<version>.`), where the CRC-32 (zlib's, IEEE) covers everything before it, the
/// instance's own token prefix included. `before` is the text in front of the matched token
/// (the rule's match starts at `glpat-`; an instance prefix such as `acme-` stays in front):
/// when the CRC over the token alone fails, the CRC over each longer run of token characters
/// before it is tried. Legacy tokens (no `.`) are not judged.
///
/// Format: GitLab's generator lib/authn/token_field/generator/routable_token.rb
/// (`Zlib.crc32(encoded_payload).to_s(36).rjust(7, '0')`) and the routable-token design
/// document (handbook.gitlab.com, cells/routable_tokens).
pub(crate) fn verify_gitlab_routable(token: &[u8], before: &[u8]) -> Verdict {
    let Some(last_dot) = token.iter().rposition(|&b| b == b'.') else {
        return Verdict::NotApplicable;
    };
    let tail = &token[last_dot + 1..];
    if tail.len() != 9 || !tail.iter().all(|b| BASE36.contains(b)) {
        return Verdict::NotApplicable;
    }
    // The payload ends at the first '.' of the suffix: the last dot, or the one before the
    // 2-character version.
    let payload_end = match last_dot
        .checked_sub(3)
        .filter(|&d| token[d] == b'.' && token[d + 1..last_dot].iter().all(|b| BASE36.contains(b)))
    {
        Some(versioned) => versioned,
        None => last_dot,
    };
    let Some(length) = base36_value(&tail[..2]) else {
        return Verdict::NotApplicable;
    };
    // The declared payload length must fit after a prefix.
    if length == 0 || length >= payload_end {
        return Verdict::Invalid;
    }
    let (head, check) = token.split_at(token.len() - 7);
    let crc_of = |front: &[u8]| {
        let mut h = crc32fast::Hasher::new();
        h.update(front);
        h.update(head);
        base36(h.finalize(), 7) == check
    };
    if crc_of(b"") {
        return Verdict::Valid;
    }
    let is_token_char = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_';
    let run = before
        .iter()
        .rev()
        .take(INSTANCE_PREFIX_MAX)
        .take_while(|b| is_token_char(b))
        .count();
    let run = &before[before.len() - run..];
    if (0..run.len()).any(|start| crc_of(&run[start..])) {
        Verdict::Valid
    } else {
        Verdict::Invalid
    }
}

/// Grafana service account tokens: `glsa_<32 alphanumerics>_<8 hex>`, the hex being the
/// CRC-32 (IEEE) of `glsa_<32 alphanumerics>`, its four bytes least significant first.
///
/// Format: Grafana's generator pkg/components/satokengen/tokengen.go (`CalculateChecksum`).
pub(crate) fn verify_grafana_service_account(token: &[u8]) -> Verdict {
    let Some(last) = token.iter().rposition(|&b| b == b'_') else {
        return Verdict::NotApplicable;
    };
    let (head, check) = (&token[..last], &token[last + 1..]);
    if check.len() != 8 || !check.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Verdict::NotApplicable;
    }
    let crc = crc32fast::hash(head).to_le_bytes();
    let mut hex = [0u8; 8];
    for (i, byte) in crc.iter().enumerate() {
        hex[2 * i] = b"0123456789abcdef"[(byte >> 4) as usize];
        hex[2 * i + 1] = b"0123456789abcdef"[(byte & 15) as usize];
    }
    if hex == check {
        Verdict::Valid
    } else {
        Verdict::Invalid
    }
}

/// A varuint64 (protocol buffers' encoding) at the front of `data`: its value and the rest.
fn varint(data: &[u8]) -> Option<(u64, &[u8])> {
    let mut n = 0u64;
    for (i, &b) in data.iter().enumerate().take(10) {
        n |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((n, &data[i + 1..]));
        }
    }
    None
}

/// Macaroon v2 field types (libmacaroons doc/format.txt).
const EOS: u64 = 0;
const LOCATION: u64 = 1;
const IDENTIFIER: u64 = 2;
const VID: u64 = 4;
const SIGNATURE: u64 = 6;

/// One `<type> <length> <content>` field: its type and the rest after it; `None` when the
/// data ends inside it. EOS has no length.
fn field(data: &[u8]) -> Option<(u64, &[u8])> {
    let (kind, rest) = varint(data)?;
    if kind == EOS {
        return Some((EOS, rest));
    }
    let (len, rest) = varint(rest)?;
    let len = usize::try_from(len).ok()?;
    (len <= rest.len()).then(|| (kind, &rest[len..]))
}

/// One section (the macaroon's or a caveat's): optional location, an identifier, an optional
/// verification id, then EOS. `None` when malformed.
fn section(data: &[u8]) -> Option<&[u8]> {
    let (mut kind, mut rest) = field(data)?;
    if kind == LOCATION {
        (kind, rest) = field(rest)?;
    }
    if kind != IDENTIFIER {
        return None;
    }
    (kind, rest) = field(rest)?;
    if kind == VID {
        (kind, rest) = field(rest)?;
    }
    (kind == EOS).then_some(rest)
}

/// PyPI API tokens: `pypi-` then the URL-safe base64 of a version 2 binary macaroon: version
/// byte 2, the macaroon's section, its caveats' sections, EOS, then a 32-byte signature field
/// that ends the data. A value that decodes to anything else is not a token PyPI issued.
///
/// Format: pypi.org/help/#apitoken (tokens are macaroons prefixed `pypi-`) and libmacaroons
/// doc/format.txt (the v2 binary format).
pub(crate) fn verify_pypi_macaroon(token: &[u8]) -> Verdict {
    let Some(body) = token.strip_prefix(b"pypi-") else {
        return Verdict::NotApplicable;
    };
    match crate::text::base64(body) {
        Some(data) => macaroon_v2(&data),
        None => Verdict::Invalid,
    }
}

/// LND's macaroons (docs.lightning.engineering, "Macaroons"; `lncli bakemacaroon` prints them
/// in hex, REST clients send them so or in base64): a v2 binary macaroon whose location is
/// `lnd`, so hex `0201036c6e64...` or base64 `AgEDbG5k...`.
pub(crate) fn verify_lnd_macaroon(token: &[u8]) -> Verdict {
    let data = if token.len() >= 4 && token[..4].eq_ignore_ascii_case(b"0201") {
        hex(token)
    } else {
        crate::text::base64(token)
    };
    match data {
        Some(data) => macaroon_v2(&data),
        None => Verdict::Invalid,
    }
}

fn hex(text: &[u8]) -> Option<Vec<u8>> {
    if text.len() % 2 == 1 {
        return None;
    }
    let nibble = |c: u8| (c as char).to_digit(16).map(|v| v as u8);
    text.chunks(2)
        .map(|p| Some(nibble(p[0])? << 4 | nibble(p[1])?))
        .collect()
}

/// A whole version 2 binary macaroon: version byte 2, the macaroon's section, its caveats'
/// sections, EOS, then a 32-byte signature field that ends the data.
fn macaroon_v2(data: &[u8]) -> Verdict {
    let Some(rest) = data.strip_prefix(&[2u8]).and_then(section) else {
        return Verdict::Invalid;
    };
    let mut rest = rest;
    // Caveats until the EOS that closes them; a token has a handful (PyPI adds at most a few
    // restrictions), 64 bounds the walk on crafted input.
    for _ in 0..64 {
        if rest.first() == Some(&0) {
            let Some((SIGNATURE, after)) = varint(&rest[1..]) else {
                return Verdict::Invalid;
            };
            return match varint(after) {
                Some((32, sig)) if sig.len() == 32 => Verdict::Valid,
                _ => Verdict::Invalid,
            };
        }
        match section(rest) {
            Some(next) => rest = next,
            None => return Verdict::Invalid,
        }
    }
    Verdict::Invalid
}

/// JSON Web Tokens (RFC 7519) in JWS compact form: the header is base64url of a JSON object
/// with the `alg` member every JWS and JWE header must carry (RFC 7515 4.1.1, RFC 7516
/// 4.1.1), and the claims are base64url of a JSON object (RFC 7519 7.2, step 10). A value
/// whose parts do not decode so is a look-alike (minified code, an id), not a token.
pub(crate) fn verify_jwt(token: &[u8]) -> Verdict {
    let mut parts = token.split(|&b| b == b'.');
    let (Some(header), Some(claims)) = (parts.next(), parts.next()) else {
        return Verdict::NotApplicable;
    };
    let object = |part: &[u8]| {
        crate::text::base64(part).filter(|d| {
            let d = d.trim_ascii();
            d.first() == Some(&b'{') && d.last() == Some(&b'}')
        })
    };
    match (object(header), object(claims)) {
        (Some(h), Some(_)) if h.windows(5).any(|w| w == b"\"alg\"") => Verdict::Valid,
        _ => Verdict::Invalid,
    }
}

/// Bech32's character set (BIP-173): the value of each data character is its position.
const BECH32: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/// BIP-173's checksum polynomial over `values` (5-bit groups).
fn bech32_polymod(values: impl Iterator<Item = u8>) -> u32 {
    const GEN: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let mut chk = 1u32;
    for v in values {
        let top = chk >> 25;
        chk = ((chk & 0x1ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

/// Bech32 strings (BIP-173): `<hrp>1<data><6-character checksum>`, in one case. Used by
/// age's secret keys (`AGE-SECRET-KEY-1...`, C2SP age.md "X25519 recipient type") and
/// Nostr's private keys (`nsec1...`, NIP-19). A one-character change always fails.
pub(crate) fn verify_bech32(token: &[u8]) -> Verdict {
    let Some(sep) = token.iter().rposition(|&b| b == b'1') else {
        return Verdict::NotApplicable;
    };
    let (hrp, data) = (&token[..sep], &token[sep + 1..]);
    if hrp.is_empty() || data.len() < 6 {
        return Verdict::NotApplicable;
    }
    let lower = token.iter().any(u8::is_ascii_lowercase);
    let upper = token.iter().any(u8::is_ascii_uppercase);
    if lower && upper {
        return Verdict::Invalid;
    }
    let Some(values) = data
        .iter()
        .map(|b| {
            BECH32
                .iter()
                .position(|c| *c == b.to_ascii_lowercase())
                .map(|v| v as u8)
        })
        .collect::<Option<Vec<u8>>>()
    else {
        return Verdict::Invalid;
    };
    let hrp = hrp.to_ascii_lowercase();
    let expanded = hrp
        .iter()
        .map(|c| c >> 5)
        .chain([0])
        .chain(hrp.iter().map(|c| c & 31))
        .chain(values);
    if bech32_polymod(expanded) == 1 {
        Verdict::Valid
    } else {
        Verdict::Invalid
    }
}

/// Bitcoin's base58 alphabet.
const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Base58Check (Bitcoin): base58 of the payload and the first 4 bytes of its double SHA-256.
/// BIP-32 serialises extended private keys so (`xprv`, `tprv`; `yprv`, `zprv`... by
/// SLIP-0132): 78 bytes and the checksum, 111 characters.
pub(crate) fn verify_base58check(token: &[u8]) -> Verdict {
    use sha2::{Digest, Sha256};
    // Base58 to bytes, big-endian, as a little-endian byte vector first.
    let mut bytes: Vec<u8> = Vec::with_capacity(token.len());
    for &c in token {
        let Some(mut carry) = BASE58.iter().position(|&a| a == c).map(|v| v as u32) else {
            return Verdict::Invalid;
        };
        for b in bytes.iter_mut() {
            carry += u32::from(*b) * 58;
            *b = carry as u8;
            carry >>= 8;
        }
        while carry > 0 {
            bytes.push(carry as u8);
            carry >>= 8;
        }
    }
    let zeros = token.iter().take_while(|&&c| c == b'1').count();
    bytes.extend(std::iter::repeat_n(0, zeros));
    bytes.reverse();
    if bytes.len() < 5 {
        return Verdict::Invalid;
    }
    let (payload, check) = bytes.split_at(bytes.len() - 4);
    let digest = Sha256::digest(Sha256::digest(payload));
    if &digest[..4] == check {
        Verdict::Valid
    } else {
        Verdict::Invalid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A routable GitLab token built as GitLab's generator builds it: `prefix`, the base64url
    /// payload, `.01.` when `versioned`, the payload's length and the CRC-32 of all of it.
    fn routable(prefix: &str, payload: &str, versioned: bool) -> String {
        let mut t = format!("{prefix}{payload}.");
        if versioned {
            t.push_str("01.");
        }
        t.push_str(std::str::from_utf8(&base36(payload.len() as u32, 2)).unwrap());
        let crc = base36(crc32fast::hash(t.as_bytes()), 7);
        t + std::str::from_utf8(&crc).unwrap()
    }

    /// `s` with the character at `i` replaced by another of the same class.
    fn changed(s: &str, i: usize) -> String {
        let mut b = s.as_bytes().to_vec();
        b[i] = match b[i] {
            b'z' => b'y',
            b'Z' => b'Y',
            b'9' => b'8',
            c => c + 1,
        };
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn base36_matches_ruby_to_s_36() {
        assert_eq!(base36(0, 2), b"00");
        assert_eq!(base36(35, 2), b"0z");
        assert_eq!(base36(36, 2), b"10");
        assert_eq!(base36(u32::MAX, 7), b"1z141z3");
    }

    #[test]
    fn gitlab_routable_tokens() {
        let payload = "q3Vb8KdL2mXrT0yNw7Pz5HjA4cEfGsU9oRiBkZ1";
        for versioned in [true, false] {
            for prefix in ["glpat-", "glrt-", "gldt-", "glcbt-"] {
                let good = routable(prefix, payload, versioned);
                assert_eq!(
                    verify_gitlab_routable(good.as_bytes(), b""),
                    Verdict::Valid,
                    "{good}"
                );
                // One character of the payload, of the length or of the CRC changed.
                for i in [prefix.len() + 3, good.len() - 8, good.len() - 1] {
                    let bad = changed(&good, i);
                    assert_eq!(
                        verify_gitlab_routable(bad.as_bytes(), b""),
                        Verdict::Invalid,
                        "{bad}"
                    );
                }
            }
        }
        // An instance prefix in front is part of what the CRC covers.
        let good = routable("acme-glpat-", payload, true);
        let (front, token) = good.split_at(5);
        assert_eq!(
            verify_gitlab_routable(token.as_bytes(), front.as_bytes()),
            Verdict::Valid
        );
        assert_eq!(
            verify_gitlab_routable(token.as_bytes(), b"token: acme-"),
            Verdict::Valid
        );
        assert_eq!(
            verify_gitlab_routable(token.as_bytes(), b""),
            Verdict::Invalid
        );
        assert_eq!(
            verify_gitlab_routable(token.as_bytes(), b"acmf-"),
            Verdict::Invalid
        );
        // Legacy tokens and other shapes are not judged.
        assert_eq!(
            verify_gitlab_routable(b"glpat-Dl7RVYrNV1DeUGm3oE5h", b""),
            Verdict::NotApplicable
        );
        assert_eq!(
            verify_gitlab_routable(
                b"glcbt-eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXBhcnQ",
                b""
            ),
            Verdict::NotApplicable
        );
        // A declared payload length longer than the token is malformed.
        let long = routable("glpat-", payload, true);
        let at = long.len() - 9;
        let mut bad = long.clone();
        bad.replace_range(at..at + 2, "zz");
        assert_eq!(
            verify_gitlab_routable(bad.as_bytes(), b""),
            Verdict::Invalid
        );
    }

    /// A Grafana service account token built as Grafana's generator builds it.
    fn grafana(secret: &str) -> String {
        let key = format!("glsa_{secret}");
        let crc = crc32fast::hash(key.as_bytes()).to_le_bytes();
        let hex: String = crc.iter().map(|b| format!("{b:02x}")).collect();
        format!("{key}_{hex}")
    }

    #[test]
    fn grafana_service_account_tokens() {
        let good = grafana("Wk3nP8qRt2VxZ7bLm4Hc9JdF6sG1aQeY");
        assert_eq!(
            verify_grafana_service_account(good.as_bytes()),
            Verdict::Valid
        );
        for i in [7, good.len() - 1] {
            let bad = changed(&good, i);
            assert_eq!(
                verify_grafana_service_account(bad.as_bytes()),
                Verdict::Invalid,
                "{bad}"
            );
        }
        assert_eq!(
            verify_grafana_service_account(b"glsa_Wk3nP8qRt2VxZ7bLm4Hc9JdF6sG1aQeY_ZZZZZZZZ"),
            Verdict::NotApplicable
        );
    }

    /// A v2 binary macaroon for `location` with `caveats`, as pymacaroons serialises one.
    fn macaroon(location: &str, caveats: &[&str]) -> Vec<u8> {
        fn put(out: &mut Vec<u8>, kind: u8, data: &[u8]) {
            out.push(kind);
            let mut n = data.len();
            while n >= 0x80 {
                out.push((n as u8 & 0x7f) | 0x80);
                n >>= 7;
            }
            out.push(n as u8);
            out.extend_from_slice(data);
        }
        let mut m = vec![2];
        put(&mut m, 1, location.as_bytes());
        put(&mut m, 2, b"{\"nonce\": \"5f2c\", \"version\": 1}");
        m.push(0);
        for c in caveats {
            put(&mut m, 2, c.as_bytes());
            m.push(0);
        }
        m.push(0);
        put(&mut m, 6, &[0x5a; 32]);
        m
    }

    fn base64url(data: &[u8]) -> String {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in data.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
            for i in 0..=chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        out
    }

    #[test]
    fn pypi_macaroons() {
        let caveat = "{\"version\": 1, \"permissions\": {\"projects\": [\"acme\"]}}";
        for (loc, caveats) in [
            ("pypi.org", vec![caveat]),
            ("test.pypi.org", vec![]),
            ("pypi.org", vec![caveat, caveat]),
        ] {
            let good = format!("pypi-{}", base64url(&macaroon(loc, &caveats)));
            assert_eq!(
                verify_pypi_macaroon(good.as_bytes()),
                Verdict::Valid,
                "{good}"
            );
            // Truncated (signature cut) and extended (trailing data) values are malformed.
            let short = &good[..good.len() - 4];
            assert_eq!(verify_pypi_macaroon(short.as_bytes()), Verdict::Invalid);
            let long = format!("{good}AAAA");
            assert_eq!(verify_pypi_macaroon(long.as_bytes()), Verdict::Invalid);
        }
        // The documented prefix followed by random base64url characters.
        assert_eq!(
            verify_pypi_macaroon(
                b"pypi-AgEIcHlwaS5vcmc5axBBVFvJgPLsbCZt-RIIkXhU4ln_LrdrQc73f9Ks5Sm9pGAkJF84tu6at"
            ),
            Verdict::Invalid
        );
        assert_eq!(verify_pypi_macaroon(b"npm_abc"), Verdict::NotApplicable);
    }

    #[test]
    fn lnd_macaroons() {
        let caveat = "time-before 2030-01-01T00:00:00Z";
        let m = macaroon("lnd", &[caveat]);
        let hex: String = m.iter().map(|b| format!("{b:02x}")).collect();
        assert!(hex.starts_with("0201036c6e64"));
        assert_eq!(verify_lnd_macaroon(hex.as_bytes()), Verdict::Valid);
        assert_eq!(
            verify_lnd_macaroon(hex.to_uppercase().as_bytes()),
            Verdict::Valid
        );
        let b64 = base64url(&m).replace('-', "+").replace('_', "/");
        assert!(b64.starts_with("AgEDbG5k"));
        assert_eq!(verify_lnd_macaroon(b64.as_bytes()), Verdict::Valid);
        // The signature cut short, one byte more, an odd hex digit count.
        assert_eq!(
            verify_lnd_macaroon(&hex.as_bytes()[..hex.len() - 2]),
            Verdict::Invalid
        );
        assert_eq!(
            verify_lnd_macaroon(format!("{hex}00").as_bytes()),
            Verdict::Invalid
        );
        assert_eq!(
            verify_lnd_macaroon(&hex.as_bytes()[..hex.len() - 1]),
            Verdict::Invalid
        );
    }

    #[test]
    fn jwts() {
        let header = base64url(b"{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        let claims = base64url(b"{\"sub\":\"u_84f1c0de\",\"iat\":1718035200}");
        let good = format!("{header}.{claims}.XMvkcQVnhtKBqHLivBKLnFaQEy6rlPJwswfPOMv6En4");
        assert_eq!(verify_jwt(good.as_bytes()), Verdict::Valid);
        // A header without `alg`, claims that are no object, a part that is no base64.
        let no_alg = base64url(b"{\"typ\":\"JWT\",\"kid\":\"k1\"}");
        let bad = format!("{no_alg}.{claims}.XMvkcQVnhtKBqHLivBKLnFaQEy6rlPJwswfPOMv6En4");
        assert_eq!(verify_jwt(bad.as_bytes()), Verdict::Invalid);
        let not_object = base64url(b"{\"sub\":\"u_84f1c0de\"");
        let bad = format!("{header}.{not_object}.XMvkcQVnhtKBqHLivBKLnFaQEy6rlPJwswfPOMv6En4");
        assert_eq!(verify_jwt(bad.as_bytes()), Verdict::Invalid);
        let bad = format!("{header}x.{claims}.XMvkcQVnhtKBqHLivBKLnFaQEy6rlPJwswfPOMv6En4");
        assert_eq!(verify_jwt(bad.as_bytes()), Verdict::Invalid);
        assert_eq!(verify_jwt(b"eyJhbGciOiJIUzI1NiJ9"), Verdict::NotApplicable);
    }
    /// A Bech32 string of `data` (5-bit groups) under `hrp`, in lower case (BIP-173's
    /// reference encoder, written out).
    fn bech32(hrp: &str, data: &[u8]) -> String {
        let expanded: Vec<u8> = hrp
            .bytes()
            .map(|c| c >> 5)
            .chain([0])
            .chain(hrp.bytes().map(|c| c & 31))
            .chain(data.iter().copied())
            .chain([0; 6])
            .collect();
        let pm = bech32_polymod(expanded.into_iter()) ^ 1;
        let check = (0..6).map(|i| ((pm >> (5 * (5 - i))) & 31) as u8);
        let chars: String = data
            .iter()
            .copied()
            .chain(check)
            .map(|v| BECH32[v as usize] as char)
            .collect();
        format!("{hrp}1{chars}")
    }

    /// 8-bit bytes as 5-bit groups, padded (BIP-173 convertbits).
    fn to5(bytes: &[u8]) -> Vec<u8> {
        let (mut acc, mut bits, mut out) = (0u32, 0, Vec::new());
        for &b in bytes {
            acc = (acc << 8) | u32::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(((acc >> bits) & 31) as u8);
            }
        }
        if bits > 0 {
            out.push(((acc << (5 - bits)) & 31) as u8);
        }
        out
    }

    #[test]
    fn bech32_keys() {
        // BIP-173's own valid test vectors.
        for v in [
            "A12UEL5L",
            "a12uel5l",
            "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
            "?1ezyfcl",
        ] {
            assert_eq!(verify_bech32(v.as_bytes()), Verdict::Valid, "{v}");
        }
        // ...and invalid ones: a changed checksum character, mixed case.
        assert_eq!(verify_bech32(b"a12uel5m"), Verdict::Invalid);
        assert_eq!(verify_bech32(b"A12uEL5L"), Verdict::Invalid);
        let key: Vec<u8> = (0..32u8)
            .map(|i| i.wrapping_mul(37).wrapping_add(11))
            .collect();
        let age = bech32("age-secret-key-", &to5(&key)).to_ascii_uppercase();
        let nsec = bech32("nsec", &to5(&key));
        for good in [age, nsec] {
            assert_eq!(verify_bech32(good.as_bytes()), Verdict::Valid, "{good}");
            for i in [good.len() - 20, good.len() - 1] {
                let bad = changed(&good, i);
                assert_eq!(verify_bech32(bad.as_bytes()), Verdict::Invalid, "{bad}");
            }
        }
    }

    #[test]
    fn base58check_extended_keys() {
        // BIP-32 test vector 1, chain m: the master extended private key.
        let xprv = "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi";
        assert_eq!(verify_base58check(xprv.as_bytes()), Verdict::Valid);
        for i in [10, xprv.len() - 1] {
            let bad = changed(xprv, i);
            assert_eq!(
                verify_base58check(bad.as_bytes()),
                Verdict::Invalid,
                "{bad}"
            );
        }
        assert_eq!(verify_base58check(b"xprv0OIl"), Verdict::Invalid);
    }
}
