//! Sharding: which of N shards audits which repository.
//!
//! Every shard computes the whole plan from the manifest alone and keeps its own part, so the
//! plan must be a pure function of the manifest and N: sizes come from the manifest's `size`
//! fields (never from a cache that other shards are filling while this one plans), ties are
//! broken by name, and a retried shard gets exactly the same repositories.
//!
//! The assignment is greedy LPT (largest first, each to the least loaded shard), which is
//! within 4/3 of the optimum and, for a few thousand repositories, within a few percent of
//! the mean (see `scripts/bench-plan`).

use super::manifest::Entry;

/// Which shard this process is, of how many (0-based index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// `--shard I/N`, or `--shards N` with I from the environment of an indexed job
    /// (`JOB_COMPLETION_INDEX` on Kubernetes, `AWS_BATCH_JOB_ARRAY_INDEX` on AWS Batch);
    /// `GIT_SECRETS_SHARDS` stands for `--shards`. `None`: one shard.
    pub fn resolve(
        spec: Option<&str>,
        count: Option<&str>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Shard>, String> {
        let number = |what: &str, v: &str| {
            v.trim()
                .parse::<usize>()
                .map_err(|_| format!("{what} must be a number, not '{v}'"))
        };
        if let Some(spec) = spec {
            let Some((i, n)) = spec.split_once('/') else {
                return Err(format!("--shard '{spec}': expected I/N, e.g. 0/4"));
            };
            return Shard::checked(number("--shard I", i)?, number("--shard N", n)?).map(Some);
        }
        let count = match count {
            Some(c) => number("--shards", c)?,
            None => match env("GIT_SECRETS_SHARDS") {
                Some(c) => number("GIT_SECRETS_SHARDS", &c)?,
                None => return Ok(None),
            },
        };
        let index = ["JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"]
            .iter()
            .find_map(|k| env(k).map(|v| (*k, v)));
        match index {
            Some((k, v)) => Shard::checked(number(k, &v)?, count).map(Some),
            None => Err(format!(
                "{count} shards but no shard index: pass --shard I/{count}, or set JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX"
            )),
        }
    }

    /// The shard count alone (for `--plan`, which shows every shard): N of `--shard I/N`,
    /// `--shards N` or `GIT_SECRETS_SHARDS`, else 1.
    pub fn count(
        spec: Option<&str>,
        count: Option<&str>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<usize, String> {
        let n = match (spec, count) {
            (Some(spec), _) => spec.split_once('/').map(|(_, n)| n.to_string()),
            (None, Some(c)) => Some(c.to_string()),
            (None, None) => env("GIT_SECRETS_SHARDS"),
        };
        match n {
            None => Ok(1),
            Some(n) => match n.trim().parse::<usize>() {
                Ok(n) if n > 0 => Ok(n),
                _ => Err(format!(
                    "the shard count must be a number from 1, not '{n}'"
                )),
            },
        }
    }

    fn checked(index: usize, count: usize) -> Result<Shard, String> {
        if count == 0 || index >= count {
            return Err(format!(
                "shard {index}/{count}: the index must be 0 to N-1 and N at least 1"
            ));
        }
        Ok(Shard { index, count })
    }
}

/// The plan: for each repository (manifest order), its shard and planning weight.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub shard_of: Vec<usize>,
    pub weight: Vec<u64>,
    pub loads: Vec<u64>,
}

/// The weight of repositories without a size: the mean of the known sizes (1 when none is
/// known, which makes the plan a balance of repository counts).
fn weights(sizes: &[Option<u64>]) -> Vec<u64> {
    let known: Vec<u64> = sizes.iter().flatten().copied().collect();
    let unknown = if known.is_empty() {
        1
    } else {
        (known.iter().map(|&s| s as u128).sum::<u128>() / known.len() as u128).max(1) as u64
    };
    sizes.iter().map(|s| s.unwrap_or(unknown).max(1)).collect()
}

/// Greedy LPT over `names` (unique) with `sizes`, for `count` shards.
pub(crate) fn plan(names: &[&str], sizes: &[Option<u64>], count: usize) -> Plan {
    let weight = weights(sizes);
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| weight[b].cmp(&weight[a]).then(names[a].cmp(names[b])));
    let mut loads = vec![0u64; count.max(1)];
    let mut shard_of = vec![0usize; names.len()];
    // A min-heap of (load, shard): the least loaded shard, the lowest index on ties.
    let mut heap: std::collections::BinaryHeap<std::cmp::Reverse<(u64, usize)>> = (0..loads.len())
        .map(|s| std::cmp::Reverse((0, s)))
        .collect();
    for i in order {
        let Some(std::cmp::Reverse((load, s))) = heap.pop() else {
            break;
        };
        shard_of[i] = s;
        loads[s] = load + weight[i];
        heap.push(std::cmp::Reverse((loads[s], s)));
    }
    Plan {
        shard_of,
        weight,
        loads,
    }
}

/// The plan of a manifest.
pub(crate) fn plan_entries(entries: &[Entry], count: usize) -> Plan {
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    let sizes: Vec<Option<u64>> = entries.iter().map(|e| e.size).collect();
    plan(&names, &sizes, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn shard_from_flags_and_environment() {
        let none: [(&str, &str); 0] = [];
        assert_eq!(Shard::resolve(None, None, env(&none)), Ok(None));
        assert_eq!(
            Shard::resolve(Some("2/4"), None, env(&none)),
            Ok(Some(Shard { index: 2, count: 4 }))
        );
        assert_eq!(
            Shard::resolve(None, Some("4"), env(&[("JOB_COMPLETION_INDEX", "3")])),
            Ok(Some(Shard { index: 3, count: 4 }))
        );
        assert_eq!(
            Shard::resolve(
                None,
                None,
                env(&[
                    ("GIT_SECRETS_SHARDS", "8"),
                    ("AWS_BATCH_JOB_ARRAY_INDEX", "7")
                ])
            ),
            Ok(Some(Shard { index: 7, count: 8 }))
        );
        assert!(
            Shard::resolve(None, Some("4"), env(&none))
                .unwrap_err()
                .contains("no shard index")
        );
        assert!(Shard::resolve(Some("4/4"), None, env(&none)).is_err());
        assert!(Shard::resolve(Some("1"), None, env(&none)).is_err());
        assert!(Shard::resolve(Some("0/0"), None, env(&none)).is_err());
    }

    #[test]
    fn every_repository_in_exactly_one_shard_deterministically() {
        let names: Vec<String> = (0..50).map(|i| format!("r{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let sizes: Vec<Option<u64>> = (0..50)
            .map(|i| (i % 3 != 0).then_some(i * 7 % 13 + 1))
            .collect();
        let a = plan(&refs, &sizes, 4);
        let b = plan(&refs, &sizes, 4);
        assert_eq!(a.shard_of, b.shard_of);
        assert!(a.shard_of.iter().all(|&s| s < 4));
        let total: u64 = a.weight.iter().sum();
        assert_eq!(a.loads.iter().sum::<u64>(), total);
        // Manifest order does not change who gets what.
        let mut rev = refs.clone();
        rev.reverse();
        let mut rsizes = sizes.clone();
        rsizes.reverse();
        let c = plan(&rev, &rsizes, 4);
        for (i, name) in refs.iter().enumerate() {
            let j = rev.iter().position(|n| n == name).unwrap();
            assert_eq!(a.shard_of[i], c.shard_of[j], "{name}");
        }
    }

    /// A deterministic heavy-tailed organisation: log-normal sizes (median 20 MB, sigma 1.2)
    /// from a fixed-seed generator.
    pub(crate) fn lognormal_sizes(n: usize, seed: u64) -> Vec<Option<u64>> {
        let mut state = seed;
        let mut next = || {
            // splitmix64
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        };
        (0..n)
            .map(|_| {
                let (u1, u2) = (next().max(1e-12), next());
                let normal = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
                Some((20e6 * (1.2 * normal).exp()) as u64)
            })
            .collect()
    }

    #[test]
    fn heavy_tailed_organisation_is_balanced_within_ten_percent() {
        let names: Vec<String> = (0..5000).map(|i| format!("org/repo-{i:04}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let sizes = lognormal_sizes(5000, 13);
        for n in [16, 64] {
            let p = plan(&refs, &sizes, n);
            let mean = p.loads.iter().sum::<u64>() as f64 / n as f64;
            let max = *p.loads.iter().max().unwrap() as f64;
            assert!(max <= 1.1 * mean, "N={n}: max {max} mean {mean}");
        }
    }
}
