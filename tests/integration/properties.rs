//! Properties of the engine, checked on generated inputs (proptest):
//! the keyword prefilter never changes what the registry rules find, nor does the literal gate
//! of large scans; an allowed pattern never adds findings; CRLF and LF line endings give the
//! same findings.

use proptest::prelude::*;

use git_secrets::detect::{Detector, Finding, Gating, Target};
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

/// Text that also triggers context rules (keywords apart from the secret, generic
/// assignments, URLs with credentials), upstream's AWS patterns and base64 decoding.
fn context_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("AKIAZ2MNQ4HWTRLE7VXC".to_string()),
        Just("aws_secret_access_key = ".to_string()),
        Just("\"AccountId\": ".to_string()),
        Just("discord ".to_string()),
        Just("azure devops_token: ".to_string()),
        Just("github_pat = ".to_string()),
        Just("https://user:".to_string()),
        Just("@db.example.com/x".to_string()),
        Just("SECRET_KEY='".to_string()),
        Just("eyJhbGciOiJIUzI1NiJ9.eyJ".to_string()),
        Just("-----BEGIN OPENSSH PRIVATE KEY-----\n".to_string()),
        Just("twilio SK".to_string()),
        // Base64 that decoding opens (its literals ride in the gate): an AKIA key encoded,
        // a basic-auth header, a Kubernetes Secret's data block.
        Just("QUtJQVoyTU5RNEhXVFJMRTdWWEM=".to_string()),
        Just("Authorization: Basic ".to_string()),
        Just("kind: Secret\ndata:\n  token: ".to_string()),
        Just("base64: ".to_string()),
        "[A-Za-z0-9+/=_\\-]{1,48}",
        "[0-9]{4}-?[0-9]{4}",
        "[ \t\"'=:;,.]{1,3}",
        Just("\n".to_string()),
    ];
    prop::collection::vec(token, 0..48).prop_map(|parts| parts.concat())
}

/// The upstream AWS patterns (as `--register-aws` adds them) and both packs, gated by
/// keywords or by literals.
fn detector(gating: Gating) -> Detector {
    let patterns: Vec<Pattern> = [
        "(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}",
        "(\"|')?(AWS|aws|Aws)?_?(SECRET|secret|Secret)?_?(ACCESS|access|Access)?_?(KEY|key|Key)(\"|')?[[:space:]]*(:|=>|=)[[:space:]]*(\"|')?[A-Za-z0-9/\\+=]{40}(\"|')?",
        "(\"|')?(AWS|aws|Aws)?_?(ACCOUNT|account|Account)_?(ID|id|Id)?(\"|')?[[:space:]]*(:|=>|=)[[:space:]]*(\"|')?[0-9]{4}\\-?[0-9]{4}\\-?[0-9]{4}(\"|')?",
    ]
    .iter()
    .map(|p| Pattern { ere: p.as_bytes().to_vec(), origin: PatternOrigin::Config })
    .collect();
    let mut rules = RuleSet::default();
    for name in ["aws", "common"] {
        rules
            .extend(RuleSet::builtin(name).unwrap().unwrap())
            .unwrap();
    }
    rules.finish();
    Detector::new(
        Matcher::new(&patterns, WordMode::GitGrep).unwrap(),
        Some(rules),
    )
    .with_gating(gating)
}

static BY_KEYWORDS: std::sync::LazyLock<Detector> =
    std::sync::LazyLock::new(|| detector(Gating::Keywords));
static BY_LITERALS: std::sync::LazyLock<Detector> =
    std::sync::LazyLock::new(|| detector(Gating::Literals));

fn detect(
    d: &Detector,
    buf: &[u8],
    path: &[u8],
    pickaxe: &mut Vec<Vec<u8>>,
) -> Vec<(usize, Vec<u8>, String)> {
    let mut out: Vec<Finding> = Vec::new();
    let target = Target {
        display: path,
        repo_path: git_secrets::rules::PathScope::At(path),
        commit: None,
    };
    d.scan_with_pickaxe(&mut d.scratch(), buf, target, &mut out, |line| {
        pickaxe.push(line.to_vec())
    });
    let mut v: Vec<_> = out
        .iter()
        .map(|f| (f.line, f.secret_bytes().to_vec(), f.rule_id().to_string()))
        .collect();
    v.sort();
    pickaxe.sort();
    v
}

/// Both gatings find the same in `buf`, and the gate is not vacuous: returns the findings.
fn same_either_way(buf: &[u8], path: &[u8]) -> Result<usize, TestCaseError> {
    let (mut pk, mut pl) = (Vec::new(), Vec::new());
    let by_keywords = detect(&BY_KEYWORDS, buf, path, &mut pk);
    let by_literals = detect(&BY_LITERALS, buf, path, &mut pl);
    prop_assert_eq!(&by_keywords, &by_literals);
    prop_assert_eq!(pk, pl);
    Ok(by_keywords.len())
}

#[test]
fn literal_gate_finds_every_example_of_every_rule() {
    // Each example in a file the rule's paths select, between other lines, both gatings.
    let paths: [&[u8]; 11] = [
        b"x/app.py",
        b"x/.env",
        b"x/config.yml",
        b"x/app.properties",
        b"x/.pgpass",
        b"x/.npmrc",
        b"x/.netrc",
        b"x/.htpasswd",
        b"x/.docker/config.json",
        b"x/.pypirc",
        b"x/settings.csv",
    ];
    let (mut rules_checked, mut found) = (0, 0);
    for rule in BY_LITERALS.rules.as_ref().unwrap().rules() {
        let Some(path) = paths.iter().find(|p| rule.applies_to(p)) else {
            continue;
        };
        rules_checked += 1;
        for example in rule.examples() {
            let buf = format!("import os\n{example}\nprint(1)\n");
            let n = same_either_way(buf.as_bytes(), path).unwrap();
            assert!(n > 0, "{}: {example:?}", rule.id);
            found += n;
        }
    }
    assert!(
        rules_checked >= 260 && found >= rules_checked,
        "{rules_checked} rules, {found} findings"
    );
}

/// Filler of source-like lines, `n` bytes or a little more: words a generic rule reads
/// (`name:`, `value:`, `password`), none of them a finding.
fn filler(n: usize, seed: usize) -> String {
    const LINES: [&str; 6] = [
        "    - name: LOG_LEVEL\n",
        "      value: debug\n",
        "fn value(&self) -> usize { self.password_len }\n",
        "# the machine name is set below\n",
        "let values = map.get(\"value\");\n",
        "\n",
    ];
    let mut out = String::new();
    let mut i = seed;
    while out.len() < n {
        out.push_str(LINES[i % LINES.len()]);
        i = i.wrapping_mul(31).wrapping_add(7);
    }
    out
}

/// A multi-line rule searching windows around its required literals finds what it finds
/// searching whole buffers: each windowed built-in rule's examples at a buffer's start,
/// middle and end, between filler lines, in buffers past the size where windows start.
#[test]
fn windows_change_nothing() {
    let windowed: Vec<_> = PACKS.rules().iter().filter(|r| r.is_windowed()).collect();
    assert!(
        windowed.iter().any(|r| r.id == "generic.env-name-value"),
        "the Kubernetes env rule searches windows"
    );
    let mut found = 0;
    for rule in &windowed {
        for (n, example) in rule.examples().iter().enumerate() {
            for (before, after) in [(0, 6000), (3000, 3000), (6000, 0), (5000, 5000)] {
                let buf = format!("{}{example}\n{}", filler(before, n), filler(after, n + 1));
                let windows = PACKS.scan_with(buf.as_bytes(), None, true);
                let whole = PACKS.scan_with(buf.as_bytes(), None, false);
                assert_eq!(
                    windows, whole,
                    "{}: {example:?} after {before} bytes",
                    rule.id
                );
                assert!(
                    windows.iter().any(|h| PACKS.rules()[h.rule].id == rule.id),
                    "{}: {example:?} after {before} bytes",
                    rule.id
                );
                found += 1;
            }
        }
    }
    assert!(found >= 8, "{found} examples found in windows");
}

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
    fn literal_gate_changes_nothing(s in context_text()) {
        same_either_way(s.as_bytes(), b"src/settings.py")?;
        same_either_way(s.as_bytes(), b"deploy/.env")?;
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

proptest! {
    // Each case scans ~6 KB twice with every built-in rule, one of them without the gate: in
    // a debug build (the test script's) 128 cases of 15-20 KB took over five minutes; 8 of
    // ~6 KB take ~20 s.
    #![proptest_config(ProptestConfig { cases: 8, .. ProptestConfig::default() })]

    /// Long texts of multi-line rules' pieces: windows cut around their literals find what
    /// whole-buffer searches find (the texts pass 4 KB, where windows start).
    #[test]
    fn windows_change_nothing_on_generated_text(parts in prop::collection::vec(prop_oneof![
        Just("- name: ZORBLAT_API_KEY\n".to_string()),
        Just("  value: ".to_string()),
        Just("{ name: 'DB_PASSWORD', value: '".to_string()),
        Just("machine api.example.com login deploy password ".to_string()),
        Just("-----BEGIN RSA PRIVATE KEY-----\n".to_string()),
        Just("-----END RSA PRIVATE KEY-----\n".to_string()),
        "[A-Za-z0-9+/=_\\-]{8,48}",
        "[ \t\"'=:;,.]{1,3}",
        Just("\n".to_string()),
        Just("\n".to_string()),
    ], 260..340)) {
        let s = parts.concat();
        prop_assume!(s.len() > 4096);
        prop_assert_eq!(PACKS.scan_with(s.as_bytes(), None, true), PACKS.scan_with(s.as_bytes(), None, false));
    }
}
