//! The gitleaks config import: raw configs, and fuzzed regexes, keywords, entropy, secret
//! groups, paths and allowlists set into a valid skeleton (so most inputs reach the
//! translator rather than the TOML parser). Any input gives a rule set or a one-line error;
//! a loaded set scans a buffer without panicking, every span inside it.
#![no_main]
use git_secrets::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

/// A TOML literal string cannot hold `'''`; a basic one escapes everything.
fn basic(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.split('\u{1}');
    let mut next = || parts.next().unwrap_or("");
    let config = match mode % 3 {
        0 => text.to_string(),
        1 => format!(
            "title = \"fuzz\"\n[[rules]]\nid = \"fuzz-rule\"\ndescription = \"fuzz\"\nregex = {}\nkeywords = [{}]\nsecretGroup = {}\nentropy = {}\n",
            basic(next()),
            basic(next()),
            next().len() % 4,
            (next().len() % 50) as f64 / 10.0
        ),
        _ => format!(
            "[[rules]]\nid = \"fuzz-rule\"\nregex = {}\npath = {}\n[[rules.allowlists]]\nregexes = [{}]\nstopwords = [{}]\n[allowlist]\npaths = [{}]\nregexes = [{}]\n",
            basic(next()),
            basic(next()),
            basic(next()),
            basic(next()),
            basic(next()),
            basic(next())
        ),
    };
    match RuleSet::from_toml(&config, "fuzz.toml") {
        Ok(mut set) => {
            set.finish();
            let buf = next().as_bytes().to_vec();
            for hit in set.scan(&buf, Some(b"src/fuzz.txt")) {
                assert!(hit.secret.end <= buf.len() && hit.matched.end <= buf.len());
            }
        }
        Err(e) => assert!(!e.to_string().contains('\n'), "multi-line error: {e}"),
    }
});
