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
fn rank(f: &Finding) -> (bool, bool, u8, u8, std::cmp::Reverse<usize>) {
    let len = std::cmp::Reverse(f.secret.len());
    match &f.rule {
        None => (false, false, 0, 0, len),
        Some(rule) => (
            true,
            !rule.id.starts_with("generic."),
            match rule.confidence {
                Confidence::Low => 0,
                Confidence::Medium => 1,
                Confidence::High => 2,
            },
            rule.severity,
            len,
        ),
    }
}

/// Collapse overlapping findings on the same line of the same file (and commit) to one, in
/// the original order; the winner's `also_matched` lists the other rule ids.
pub fn one_per_span(findings: Vec<Finding>) -> Vec<Finding> {
    if findings.len() < 2 {
        return findings;
    }
    let mut by_line: HashMap<(Option<&str>, &[u8], usize), Vec<usize>> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        by_line
            .entry((f.commit.as_deref(), f.repo_path.as_slice(), f.line))
            .or_default()
            .push(i);
    }
    let mut drop = vec![false; findings.len()];
    let mut also: HashMap<usize, Vec<String>> = HashMap::new();
    for (_, mut group) in by_line {
        if group.len() < 2 {
            continue;
        }
        group.sort_by_key(|&i| (findings[i].secret.start, i));
        // Sweep by start: a finding joins the cluster when it starts before the cluster's
        // end (or at the same place, for empty matches).
        let mut cluster: Vec<usize> = Vec::new();
        let (mut start, mut end) = (0, 0);
        for i in group {
            let s = &findings[i].secret;
            if !cluster.is_empty() && (s.start < end || s.start == start) {
                end = end.max(s.end);
                cluster.push(i);
                continue;
            }
            settle(&findings, &cluster, &mut drop, &mut also);
            cluster.clear();
            cluster.push(i);
            (start, end) = (s.start, s.end);
        }
        settle(&findings, &cluster, &mut drop, &mut also);
    }
    findings
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !drop[*i])
        .map(|(i, mut f)| {
            if let Some(ids) = also.remove(&i) {
                f.also_matched = ids;
            }
            f
        })
        .collect()
}

/// Keep the best of one cluster of overlapping findings.
fn settle(
    findings: &[Finding],
    cluster: &[usize],
    drop: &mut [bool],
    also: &mut HashMap<usize, Vec<String>>,
) {
    if cluster.len() < 2 {
        return;
    }
    // The best rank; among equals, the first reported.
    let winner = cluster
        .iter()
        .copied()
        .min_by(|&a, &b| rank(&findings[b]).cmp(&rank(&findings[a])).then(a.cmp(&b)))
        .unwrap_or(cluster[0]);
    let winner_id = findings[winner].rule_id();
    let mut ids: Vec<String> = findings[winner].also_matched.clone();
    for &i in cluster {
        if i == winner {
            continue;
        }
        drop[i] = true;
        for id in std::iter::once(findings[i].rule_id())
            .chain(findings[i].also_matched.iter().map(String::as_str))
        {
            if id != winner_id && !ids.iter().any(|x| x == id) {
                ids.push(id.to_string());
            }
        }
    }
    if !ids.is_empty() {
        also.insert(winner, ids);
    }
}
