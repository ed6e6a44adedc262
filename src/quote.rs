//! Path quoting as git's `quote_c_style` does it under `core.quotePath`.

/// Quote `path` the way git grep prints it: wrapped in double quotes with C escapes when it
/// holds `"`, `\`, control bytes or (with `quote_path`) any byte >= 0x80; verbatim otherwise.
pub fn c_style(path: &[u8], quote_path: bool) -> Vec<u8> {
    let needs =
        |b: u8| b == b'"' || b == b'\\' || b < 0x20 || b == 0x7f || (quote_path && b >= 0x80);
    if !path.iter().any(|&b| needs(b)) {
        return path.to_vec();
    }
    let mut out = Vec::with_capacity(path.len() + 8);
    out.push(b'"');
    for &b in path {
        match b {
            0x07 => out.extend_from_slice(b"\\a"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0b => out.extend_from_slice(b"\\v"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b if needs(b) => out.extend_from_slice(format!("\\{b:03o}").as_bytes()),
            b => out.push(b),
        }
    }
    out.push(b'"');
    out
}

/// `path` (relative to the repository root) as seen from `prefix` (the current directory
/// relative to the root, with a trailing `/` or empty), as git's `relative_path` prints it.
pub fn relative_to_prefix(path: &[u8], prefix: &[u8]) -> Vec<u8> {
    if prefix.is_empty() {
        return path.to_vec();
    }
    if let Some(rest) = path.strip_prefix(prefix) {
        return rest.to_vec();
    }
    // Walk up from the prefix to the common ancestor.
    let common = path.iter().zip(prefix).take_while(|(a, b)| a == b).count();
    let common = prefix[..common]
        .iter()
        .rposition(|&b| b == b'/')
        .map_or(0, |i| i + 1);
    let ups = prefix[common..].iter().filter(|&&b| b == b'/').count();
    let mut out = Vec::new();
    for _ in 0..ups {
        out.extend_from_slice(b"../");
    }
    out.extend_from_slice(&path[common..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_git() {
        assert_eq!(c_style(b"a b.txt", true), b"a b.txt");
        assert_eq!(
            c_style("café.txt".as_bytes(), true),
            br#""caf\303\251.txt""#
        );
        assert_eq!(c_style("café.txt".as_bytes(), false), "café.txt".as_bytes());
        assert_eq!(c_style(b"q\"uote", false), br#""q\"uote""#);
        assert_eq!(c_style(b"t\tab", true), br#""t\tab""#);
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative_to_prefix(b"sub/a.txt", b"sub/"), b"a.txt");
        assert_eq!(relative_to_prefix(b"a.txt", b"sub/"), b"../a.txt");
        assert_eq!(
            relative_to_prefix(b"x/a.txt", b"sub/deep/"),
            b"../../x/a.txt"
        );
        assert_eq!(relative_to_prefix(b"sub/a.txt", b""), b"sub/a.txt");
    }
}
