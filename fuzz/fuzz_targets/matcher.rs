//! The matcher: the first line of the input is a pattern, the rest a buffer; both `-w`
//! semantics and the built-in packs run over it without panicking, and every reported span
//! lies inside its line.
#![no_main]
use std::sync::LazyLock;

use git_secrets::matcher::{Matcher, Pattern, PatternOrigin, WordMode};
use git_secrets::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

static PACKS: LazyLock<RuleSet> = LazyLock::new(|| {
    let mut set = RuleSet::default();
    for name in ["aws", "common"] {
        set.extend(RuleSet::builtin(name).unwrap().unwrap())
            .unwrap();
    }
    set.finish();
    set
});

fuzz_target!(|data: &[u8]| {
    let (pattern, buf) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let patterns = [Pattern {
        ere: pattern.to_vec(),
        origin: PatternOrigin::Config,
    }];
    for mode in [WordMode::GnuGrep, WordMode::GitGrep] {
        if let Ok(Some(m)) = Matcher::new(&patterns, mode) {
            let mut scratch = m.scratch();
            m.for_each_matching_line(buf, &mut scratch, |_, line, span| {
                assert!(span.start <= span.end && span.end <= line.len());
            });
        }
    }
    for hit in PACKS.scan(buf, Some(b"fuzz.txt")) {
        assert!(hit.secret.end <= buf.len() && hit.matched.end <= buf.len());
    }
});
