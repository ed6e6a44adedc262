//! Properties of the engine, checked on generated inputs (proptest):
//! the keyword prefilter never changes what the registry rules find; an allowed pattern
//! never adds findings; CRLF and LF line endings give the same findings.

use proptest::prelude::*;

use git_secrets::matcher::{Matcher, Pattern, PatternOrigin, WordMode};
use git_secrets::rules::RuleSet;

/// Source-like text with tokens that the built-in rules look for, mixed with noise.
fn text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("AKIAZ2MNQ4HWTRLE7VXC".to_string()),
        Just("ghp_".to_string()),
        Just("xoxb-".to_string()),
        Just("sk_live_".to_string()),
        Just("password = ".to_string()),
        Just("-----BEGIN RSA PRIVATE KEY-----\n".to_string()),
        "[A-Za-z0-9+/=_\\-]{1,48}",
        "[ \t\"'=:;,.]{1,3}",
        Just("\n".to_string()),
    ];
    prop::collection::vec(token, 0..40).prop_map(|parts| parts.concat())
}

/// Every built-in pack, compiled once for all cases.
static PACKS: std::sync::LazyLock<RuleSet> = std::sync::LazyLock::new(|| {
    let mut set = RuleSet::default();
    for name in ["aws", "common"] {
        set.extend(RuleSet::builtin(name).unwrap().unwrap())
            .unwrap();
    }
    set.finish();
    set
});

fn lines(m: &Matcher, buf: &[u8]) -> Vec<(usize, Vec<u8>)> {
    let mut out = Vec::new();
    let mut scratch = m.scratch();
    m.for_each_matching_line(buf, &mut scratch, |n, line, span| {
        out.push((n, line[span].to_vec()));
    });
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    #[test]
    fn prefilter_changes_nothing(s in text()) {
        prop_assert_eq!(PACKS.scan_with(s.as_bytes(), None, true), PACKS.scan_with(s.as_bytes(), None, false));
    }

    #[test]
    fn crlf_and_lf_find_the_same(s in text(), mode in prop_oneof![Just(WordMode::GnuGrep), Just(WordMode::GitGrep)]) {
        let patterns: Vec<Pattern> = ["AKIA[A-Z0-9]{16}", "ghp_[A-Za-z0-9]+", "password"]
            .iter()
            .map(|p| Pattern { ere: p.as_bytes().to_vec(), origin: PatternOrigin::Config })
            .collect();
        let m = Matcher::new(&patterns, mode).unwrap().unwrap();
        let crlf = s.replace('\n', "\r\n");
        prop_assert_eq!(lines(&m, s.as_bytes()), lines(&m, crlf.as_bytes()));
    }

    #[test]
    fn an_allowed_pattern_never_adds_findings(s in text(), allowed in "[A-Za-z0-9]{1,6}") {
        // The aws pack keeps each case cheap; the property is about the allowlist mechanism.
        let base = RuleSet::builtin("aws").unwrap().unwrap();
        let with_allow = {
            let mut set = RuleSet::from_toml(&format!("[[allowed]]\npattern = '{allowed}'\n"), "allow.toml").unwrap();
            set.extend(RuleSet::builtin("aws").unwrap().unwrap()).unwrap();
            set.finish();
            set
        };
        let before = base.scan(s.as_bytes(), None);
        let after = with_allow.scan(s.as_bytes(), None);
        prop_assert!(after.len() <= before.len());
        for hit in &after {
            prop_assert!(before.iter().any(|b| b.secret == hit.secret && b.matched == hit.matched));
        }
    }
}
