//! One finding per span: when several rules (or an upstream-style pattern and a pack rule)
//! match overlapping bytes of one line, the report holds one finding, from the most specific
//! rule, and names the others in `also_matched`.
//!
//! Without it one `ghp_` token was two findings (the GitHub rule and a generic assignment
//! rule) and `--register-aws` plus the `aws` pack reported every AKIA twice (issue 15).
//! Upstream's human output is line-based, so it is the same with or without this step.

use std::collections::HashMap;

use crate::detect::Finding;
use crate::rules::Confidence;

/// How specific a finding's rule is; the larger wins. A registry rule beats an upstream-style
/// pattern (it has an id, a severity and a description); a provider's rule beats a generic
/// one (`generic.*`); then higher confidence, higher severity, and the narrower match.
fn rank(f: &Finding) -> (bool, bool, u8, u8, usize, std::cmp::Reverse<usize>) {
    let len = std::cmp::Reverse(f.secret.len());
    match &f.rule {
        None => (false, false, 0, 0, 0, len),
        Some(rule) => (
            true,
            !rule.id.starts_with("generic."),
            match rule.confidence {
                Confidence::Low => 0,
                Confidence::Medium => 1,
                Confidence::High => 2,
            },
            rule.severity,
            // Between equals, the rule whose keyword the line names most specifically: a
            // JumpCloud key went to pCloud, whose keyword is the end of `jumpcloud`.
            rule.longest_keyword_in(&f.text),
            len,
        ),
    }
}

/// One line of one file (of one commit).
type LineKey<'a> = (Option<&'a str>, Option<&'a [u8]>, usize);

/// Collapse overlapping findings on the same line of the same file (and commit) to one, in
/// the original order; the winner's `also_matched` lists the other rule ids.
pub fn one_per_span(findings: Vec<Finding>) -> Vec<Finding> {
    if findings.len() < 2 {
        return findings;
    }
    let mut by_line: HashMap<LineKey<'_>, Vec<usize>> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        by_line
            .entry((f.commit.as_deref(), f.repo_path.as_deref(), f.line))
            .or_default()
            .push(i);
    }
    let mut drop = vec![false; findings.len()];
    let mut also: HashMap<usize, Vec<String>> = HashMap::new();
    for (_, mut group) in by_line {
        if group.len() < 2 {
            continue;
        }
        // The most specific first; each finding either overlaps one already kept (and is
        // merged into it) or is kept. Greedy by rank rather than transitive clusters: a
        // generic match spanning two provider tokens must not merge the two tokens.
        group.sort_by(|&a, &b| rank(&findings[b]).cmp(&rank(&findings[a])).then(a.cmp(&b)));
        let mut kept: Vec<usize> = Vec::new();
        for i in group {
            let s = &findings[i].secret;
            // Only different rules merge: the same rule on the same span twice is a file
            // named twice on the command line, which upstream reports twice.
            let over = kept.iter().copied().find(|&k| {
                let t = &findings[k].secret;
                ((s.start < t.end && t.start < s.end) || s == t)
                    && findings[k].rule_id() != findings[i].rule_id()
            });
            match over {
                None => kept.push(i),
                Some(k) => {
                    drop[i] = true;
                    let winner_id = findings[k].rule_id();
                    let ids = also.entry(k).or_default();
                    for id in std::iter::once(findings[i].rule_id())
                        .chain(findings[i].also_matched.iter().map(String::as_str))
                    {
                        if id != winner_id && !ids.iter().any(|x| x == id) {
                            ids.push(id.to_string());
                        }
                    }
                }
            }
        }
    }
    findings
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !drop[*i])
        .map(|(i, mut f)| {
            if let Some(ids) = also.remove(&i) {
                for id in ids {
                    if !f.also_matched.contains(&id) {
                        f.also_matched.push(id);
                    }
                }
            }
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn rules() -> Vec<Arc<crate::rules::Rule>> {
        let set = crate::rules::RuleSet::from_toml(
            "[[rule]]\nid = \"acme.token\"\ndescription = \"d\"\npattern = 'acme_[a-z]+'\nconfidence = \"high\"\n\
             [[rule]]\nid = \"generic.any\"\ndescription = \"d\"\npattern = 'x[a-z]+'\nconfidence = \"low\"\n",
            "test.toml",
        )
        .unwrap();
        set.rules().to_vec()
    }

    fn finding(
        line: usize,
        span: std::ops::Range<usize>,
        rule: Option<&Arc<crate::rules::Rule>>,
    ) -> Finding {
        Finding {
            commit: None,
            blob: None,
            path: b"a.txt".to_vec(),
            repo_path: Some(b"a.txt".to_vec()),
            line,
            text: b"0123456789abcdefghij".to_vec(),
            secret: span,
            rule: rule.cloned(),
            commit_meta: None,
            also_matched: Vec::new(),
            history: None,
            confidence: None,
            decoding: None,
        }
    }

    /// Between rules alike in confidence and severity, the one whose keyword the line names
    /// most specifically wins, whichever comes first.
    #[test]
    fn the_longest_keyword_on_the_line_wins_a_tie() {
        let set = crate::rules::RuleSet::from_toml(
            "[[rule]]\nid = \"pcloud.token\"\ndescription = \"d\"\npattern = '[0-9a-f]{8}'\nkeywords = [\"pcloud\"]\n\
             [[rule]]\nid = \"jumpcloud.key\"\ndescription = \"d\"\npattern = '[0-9a-f]{8}'\nkeywords = [\"jumpcloud\"]\n",
            "test.toml",
        )
        .unwrap();
        let r = set.rules().to_vec();
        for (text, winner) in [
            (&b"JUMPCLOUD_KEY=0123abcd"[..], "jumpcloud.key"),
            (&b"PCLOUD_KEY=0123abcd"[..], "pcloud.token"),
        ] {
            let at = text.len() - 8..text.len();
            let mut a = finding(1, at.clone(), Some(&r[0]));
            let mut b = finding(1, at, Some(&r[1]));
            a.text = text.to_vec();
            b.text = text.to_vec();
            for pair in [vec![a.clone(), b.clone()], vec![b.clone(), a.clone()]] {
                let kept = one_per_span(pair);
                assert_eq!(kept.len(), 1);
                assert_eq!(kept[0].rule_id(), winner);
            }
        }
    }

    #[test]
    fn overlapping_spans_of_different_rules_collapse_to_the_most_specific() {
        let r = rules();
        let (specific, generic) = (Some(&r[0]), Some(&r[1]));
        let kept = one_per_span(vec![
            finding(1, 2..8, generic), // spans both tokens: merged into the first it overlaps
            finding(1, 0..4, specific),
            finding(1, 5..9, specific), // disjoint from the other token: kept
            finding(1, 0..4, None),     // an upstream-style pattern on the same token
            finding(2, 0..4, generic),  // another line: kept
            finding(3, 10..12, specific),
            finding(3, 12..14, generic), // touching, not overlapping: kept
            finding(4, 3..3, None),
            finding(4, 3..3, None), // the same rule twice (a file named twice): both kept
        ]);
        let got: Vec<(usize, std::ops::Range<usize>, &str, Vec<String>)> = kept
            .iter()
            .map(|f| {
                (
                    f.line,
                    f.secret.clone(),
                    f.rule_id(),
                    f.also_matched.clone(),
                )
            })
            .collect();
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            got,
            [
                (
                    1,
                    0..4,
                    "acme.token",
                    ids(&["generic.any", "git-secrets.prohibited-pattern"])
                ),
                (1, 5..9, "acme.token", ids(&[])),
                (2, 0..4, "generic.any", ids(&[])),
                (3, 10..12, "acme.token", ids(&[])),
                (3, 12..14, "generic.any", ids(&[])),
                (4, 3..3, "git-secrets.prohibited-pattern", ids(&[])),
                (4, 3..3, "git-secrets.prohibited-pattern", ids(&[])),
            ]
        );
    }
}
