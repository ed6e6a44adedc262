//! Mode agreement as a property (issue 11, item 6): on generated repositories, history,
//! range and push scans report what brute-force per-commit tree scans say they should.
//!
//! A seeded generator ([`Gen`]) writes a bash script that builds a repository with the real
//! `git`: random files, edits, exact and edited renames, copies, deletes, branches, merges
//! (octopus ones too) whose result at a path may differ from every parent ("evil" merges),
//! `.env` files (the path-limited `generic.dotenv-secret` rule), RSA keys begun in one commit
//! and finished in the next, AKIA keys (upstream's patterns via `--register-aws`, and the `aws`
//! pack when enabled), and a non-ASCII path. The script is the repro: a failure prints it.
//!
//! The oracle never runs the engine under test: the tree scan of a commit C is `git secrets
//! --scan` in a linked work tree checked out at C (the work-tree scanner), as a set of
//! (path, rule, secret). Properties, for every generated repository:
//!
//! * P1: `--scan-history` finds exactly the union of the tree scans of all commits.
//! * P2: `--scan-range A..B` finds exactly the (C, path, rule, secret) with C in
//!   `git rev-list A..B`, (path, rule, secret) in the tree scan of C and in the tree scan of no
//!   parent of C.
//! * P3: a real `git push` of B to a bare server holding A is refused by the server's
//!   pre-receive hook, and by the client's pre-push hook, exactly when P2's set is non-empty.
//!
//! No normalisation of rule ids was needed: where several rules match one span (an AKIA key
//! under `--register-aws` and the `aws` pack, a `.env` line under `generic.dotenv-secret` too),
//! every mode kept the same winner, so findings are compared as exact (path, rule, secret).
//!
//! `AGREEMENT_SEEDS=a..b` runs other seeds. The default 48 take about 65 s in a debug build on
//! an idle 2-core machine (32 took 43 s); they include seed 46, the first whose line two rules
//! match (`commits::at_path`), and the seeds in [`FAILED_ONCE`]. Seeds 1-60 and 160-400 all
//! agree (the latter since range walks take out commits a hidden one reaches, session 30).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{Output, Sandbox, ours, run};

/// Every command gets this key, so fingerprints (and reports) are the same in every run.
const FINGERPRINT_KEY: &str = "agreement-property-test-fingerprint-key";

/// Seeds run by default: 16 repositories of 6 to 14 commits (~1 s each in a debug build).
const SEEDS: std::ops::Range<u64> = 1..49;

/// Seeds that once failed, run by default beside [`SEEDS`]: each listed, in a range
/// whose commits all have the same time, a commit the hidden side reaches only by a longer
/// path (gix's hiding stopped too early; `commits::walk` now takes such commits out).
const FAILED_ONCE: [u64; 4] = [174, 176, 213, 255];

/// SplitMix64: small, seedable, good enough to pick operations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` %.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chars(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n).map(|_| *self.pick(alphabet) as char).collect()
    }
}

const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Paths files are created at: dotenv paths (where `generic.dotenv-secret` applies) and
/// others, nested ones, and one that git quotes (`core.quotePath`).
const PATHS: &[&str] = &[
    "a.txt",
    "b.txt",
    ".env",
    "conf/.env",
    "conf/app.ini",
    "src/main.rs",
    "src/deep/x/y.txt",
    "keys/id_rsa",
    "docs/na\u{ef}ve.md",
    "prod.env",
];

/// A file's lines.
type Tree = BTreeMap<String, Vec<String>>;

struct Branch {
    name: String,
    tree: Tree,
    /// Model numbers of the commits this branch reaches.
    reach: HashSet<usize>,
    tip: Option<usize>,
    /// A file whose RSA key was begun by the tip and is to be finished by the next commit.
    pending_key: Option<String>,
}

/// Builds the script of one repository while keeping a model of every branch's tree.
struct Gen {
    rng: Rng,
    script: String,
    branches: Vec<Branch>,
    cur: usize,
    commits: usize,
    /// AKIA keys and dotenv values of this repository (reused, so secrets recur).
    akia: Vec<String>,
    values: Vec<String>,
}

impl Gen {
    fn new(seed: u64) -> Gen {
        let mut rng = Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
        let akia = (0..3)
            .map(|_| format!("AKIA{}", rng.chars(UPPER_DIGITS, 16)))
            .collect();
        let values = (0..3).map(|_| rng.chars(ALNUM, 24)).collect();
        Gen {
            rng,
            script: String::new(),
            branches: vec![Branch {
                name: "master".into(),
                tree: Tree::new(),
                reach: HashSet::new(),
                tip: None,
                pending_key: None,
            }],
            cur: 0,
            commits: 0,
            akia,
            values,
        }
    }

    /// One random line: noise, an AKIA key in several settings, or a dotenv assignment.
    fn line(&mut self) -> String {
        let akia = self.rng.pick(&self.akia).clone();
        let value = self.rng.pick(&self.values).clone();
        match self.rng.below(9) {
            0 => format!("AWS_ACCESS_KEY_ID={akia}"),
            1 => format!("key = {akia}"),
            2 => format!("DB_PASSWORD={value}"),
            3 => format!("export API_TOKEN={value}"),
            4 => format!("SERVICE_SECRET={akia}"),
            _ => format!(
                "{} = {}",
                self.rng.chars(b"abcdefghij_", 6),
                self.rng.chars(ALNUM, 10)
            ),
        }
    }

    fn lines(&mut self) -> Vec<String> {
        let n = 1 + self.rng.below(4);
        (0..n).map(|_| self.line()).collect()
    }

    fn tree(&mut self) -> &mut Tree {
        &mut self.branches[self.cur].tree
    }

    fn free_path(&mut self) -> Option<String> {
        let free: Vec<&str> = PATHS
            .iter()
            .copied()
            .filter(|p| !self.branches[self.cur].tree.contains_key(*p))
            .collect();
        (!free.is_empty()).then(|| self.rng.pick(&free).to_string())
    }

    fn used_path(&mut self) -> Option<String> {
        let used: Vec<String> = self.branches[self.cur].tree.keys().cloned().collect();
        (!used.is_empty()).then(|| self.rng.pick(&used).clone())
    }

    /// One change to the current branch's tree.
    fn edit(&mut self) {
        match self.rng.below(10) {
            0 | 1 => {
                if let Some(p) = self.free_path() {
                    let lines = self.lines();
                    self.tree().insert(p, lines);
                }
            }
            2..=4 => {
                if let Some(p) = self.used_path() {
                    let new = self.line();
                    let file = self.branches[self.cur].tree.get_mut(&p).unwrap();
                    match self.rng.below(3) {
                        0 if !file.is_empty() => {
                            let at = self.rng.below(file.len());
                            file.remove(at);
                        }
                        1 if !file.is_empty() => {
                            let at = self.rng.below(file.len());
                            file[at] = new;
                        }
                        _ => {
                            let at = self.rng.below(file.len() + 1);
                            file.insert(at, new);
                        }
                    }
                }
            }
            5 | 6 => {
                // Rename (exact, or with an edit), or copy.
                if let (Some(from), Some(to)) = (self.used_path(), self.free_path()) {
                    let kind = self.rng.below(3);
                    let mut lines = if kind == 2 {
                        self.tree()[&from].clone()
                    } else {
                        self.tree().remove(&from).unwrap()
                    };
                    if kind == 1 {
                        let l = self.line();
                        lines.push(l);
                    }
                    self.tree().insert(to, lines);
                }
            }
            7 => {
                if let Some(p) = self.used_path() {
                    self.tree().remove(&p);
                }
            }
            _ => {
                // Begin an RSA key (finished by this branch's next commit).
                if self.branches[self.cur].pending_key.is_none() {
                    let p = if self.rng.chance(50) {
                        "keys/id_rsa".to_string()
                    } else {
                        self.free_path().unwrap_or_else(|| "keys/id_rsa".into())
                    };
                    let body = self.rng.chars(BASE64, 64);
                    let file = self.tree().entry(p.clone()).or_default();
                    file.push("-----BEGIN RSA PRIVATE KEY-----".into());
                    file.push(body);
                    self.branches[self.cur].pending_key = Some(p);
                }
            }
        }
    }

    /// Finishes a key begun by the previous commit of this branch, if it is still there.
    fn finish_key(&mut self) {
        let Some(p) = self.branches[self.cur].pending_key.take() else {
            return;
        };
        let second = self.rng.chars(BASE64, 64);
        if let Some(file) = self.branches[self.cur].tree.get_mut(&p)
            && file.last().is_some_and(|l| l.len() == 64)
        {
            file.push(second);
            file.push("-----END RSA PRIVATE KEY-----".into());
        }
    }

    /// Script lines that turn the work tree `from` into `to`.
    fn sync(&mut self, from: &Tree, to: &Tree) {
        for p in from.keys().filter(|p| !to.contains_key(*p)) {
            writeln!(self.script, "rm -f -- '{p}'").unwrap();
        }
        for (p, lines) in to {
            if from.get(p) == Some(lines) {
                continue;
            }
            if let Some((dir, _)) = p.rsplit_once('/') {
                write!(self.script, "mkdir -p '{dir}' && ").unwrap();
            }
            if lines.is_empty() {
                writeln!(self.script, ": > '{p}'").unwrap();
            } else {
                let quoted: Vec<String> = lines.iter().map(|l| format!("'{l}'")).collect();
                writeln!(self.script, "printf '%s\\n' {} > '{p}'", quoted.join(" ")).unwrap();
            }
        }
    }

    fn commit(&mut self) {
        let n = self.commits;
        self.commits += 1;
        writeln!(
            self.script,
            "git add -A && git commit -q --allow-empty -m 'c{n}' && echo \"c{n} $(git rev-parse HEAD)\" >> ../commits.txt"
        )
        .unwrap();
        let b = &mut self.branches[self.cur];
        b.reach.insert(n);
        b.tip = Some(n);
    }

    /// A plain commit on the current branch.
    fn plain_commit(&mut self) {
        let before = self.branches[self.cur].tree.clone();
        self.finish_key();
        let edits = 1 + self.rng.below(3);
        for _ in 0..edits {
            self.edit();
        }
        let after = self.branches[self.cur].tree.clone();
        self.sync(&before, &after);
        self.commit();
    }

    /// Merges the branches `others` into the current one (recorded with `-s ours`, the tree
    /// written from the model): each path from one side or the other, dropped, or "evil".
    fn merge(&mut self, others: &[usize]) {
        let ours = self.branches[self.cur].tree.clone();
        let mut result = ours.clone();
        for &o in others {
            let theirs = self.branches[o].tree.clone();
            let paths: BTreeSet<String> = result.keys().chain(theirs.keys()).cloned().collect();
            for p in paths {
                let (a, b) = (result.get(&p).cloned(), theirs.get(&p).cloned());
                let chosen = match (a, b) {
                    (Some(a), Some(b)) if a == b => Some(a),
                    (Some(a), Some(b)) => match self.rng.below(5) {
                        0 | 1 => Some(a),
                        2 | 3 => Some(b),
                        _ => Some(a.into_iter().chain(b).collect()),
                    },
                    (Some(x), None) | (None, Some(x)) => self.rng.chance(75).then_some(x),
                    (None, None) => None,
                };
                match chosen {
                    Some(lines) => result.insert(p, lines),
                    None => result.remove(&p),
                };
            }
        }
        if self.rng.chance(60) {
            // Evil: the merge itself adds a line that no parent has at that path.
            let paths: Vec<String> = result.keys().cloned().collect();
            let p = if paths.is_empty() || self.rng.chance(25) {
                self.rng.pick(PATHS).to_string()
            } else {
                self.rng.pick(&paths).clone()
            };
            let line = self.line();
            result.entry(p).or_default().push(line);
        }
        let names: Vec<String> = others
            .iter()
            .map(|&o| self.branches[o].name.clone())
            .collect();
        writeln!(
            self.script,
            "git merge -q --no-ff --no-commit -s ours {} >/dev/null",
            names.join(" ")
        )
        .unwrap();
        self.sync(&ours, &result);
        let reach: Vec<usize> = others
            .iter()
            .flat_map(|&o| self.branches[o].reach.iter().copied())
            .collect();
        let b = &mut self.branches[self.cur];
        b.reach.extend(reach);
        b.tree = result;
        b.pending_key = None;
        self.commit();
    }

    /// The whole script: settings, then `steps` commits, branch switches and merges.
    fn script(mut self, steps: usize, registries: &[&str]) -> String {
        self.script
            .push_str("set -e\ngit init -q repo\ncd repo\ngit secrets --register-aws >/dev/null\n");
        for r in registries {
            writeln!(self.script, "git config --add secrets.registries {r}").unwrap();
        }
        self.plain_commit();
        for _ in 1..steps {
            let mergeable: Vec<usize> = (0..self.branches.len())
                .filter(|&o| {
                    o != self.cur
                        && self.branches[o]
                            .tip
                            .is_some_and(|t| !self.branches[self.cur].reach.contains(&t))
                })
                .collect();
            let roll = self.rng.below(10);
            if roll < 3 && self.branches.len() < 4 {
                let name = format!("b{}", self.branches.len());
                writeln!(self.script, "git checkout -q -b {name}").unwrap();
                let from = &self.branches[self.cur];
                let branch = Branch {
                    name,
                    tree: from.tree.clone(),
                    reach: from.reach.clone(),
                    tip: from.tip,
                    pending_key: from.pending_key.clone(),
                };
                self.branches.push(branch);
                self.cur = self.branches.len() - 1;
            } else if roll < 5 && self.branches.len() > 1 {
                let mut to = self.rng.below(self.branches.len() - 1);
                if to >= self.cur {
                    to += 1;
                }
                writeln!(self.script, "git checkout -q {}", self.branches[to].name).unwrap();
                self.cur = to;
            }
            if !mergeable.is_empty() && self.rng.chance(50) {
                let others: Vec<usize> = if mergeable.len() > 1 && self.rng.chance(30) {
                    mergeable.clone()
                } else {
                    vec![*self.rng.pick(&mergeable)]
                };
                // The branch may have switched since `mergeable` was computed.
                let others: Vec<usize> = others
                    .into_iter()
                    .filter(|&o| {
                        o != self.cur
                            && self.branches[o]
                                .tip
                                .is_some_and(|t| !self.branches[self.cur].reach.contains(&t))
                    })
                    .collect();
                if !others.is_empty() {
                    self.merge(&others);
                    continue;
                }
            }
            self.plain_commit();
        }
        self.script
    }
}

/// One finding as the properties compare them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Found {
    path: String,
    rule: String,
    secret: String,
}

fn parse_jsonl(out: &Output, what: &str) -> Vec<(Option<String>, Found)> {
    assert!(
        out.code == 0 || out.code == 1,
        "{what} failed ({}):\n{}",
        out.code,
        out.stderr_str()
    );
    let text = out.stdout_str();
    let found: Vec<(Option<String>, Found)> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{what}: bad JSON line {l}: {e}"));
            let s = |k: &str| v[k].as_str().map(str::to_string);
            (
                s("commit"),
                Found {
                    path: s("path").expect("path"),
                    rule: v["rule"]["id"].as_str().expect("rule.id").to_string(),
                    secret: s("secret").expect("secret"),
                },
            )
        })
        .collect();
    assert_eq!(
        out.code == 1,
        !found.is_empty(),
        "{what}: exit code {} disagrees with {} finding(s)",
        out.code,
        found.len()
    );
    found
}

/// A generated repository in its own sandbox.
struct Case {
    seed: u64,
    script: String,
    sandbox: Sandbox,
    repo: PathBuf,
    /// Model commit number -> commit id, in creation order.
    commits: Vec<String>,
    /// Each commit's parents.
    parents: HashMap<String, Vec<String>>,
}

impl Case {
    fn new(seed: u64) -> Case {
        let mut rng = Rng(seed);
        let steps = 6 + rng.below(9);
        let registries: &[&str] = match seed % 4 {
            0 => &["aws"],
            1 => &["common"],
            _ => &["aws", "common"],
        };
        let mut script = Gen::new(seed).script(steps, registries);
        // Every other repository packed with long delta chains: history and range scans read
        // trees and blobs from packs themselves, and loose objects through the object store.
        if seed % 2 == 1 {
            script.push_str("git repack -q -a -d -f --window=50 --depth=50\n");
        }
        let sandbox = Sandbox::new(ours());
        let case = Case {
            seed,
            repo: sandbox.work().join("repo"),
            script,
            sandbox,
            commits: Vec::new(),
            parents: HashMap::new(),
        };
        let out = case.sh(&case.sandbox.work(), &case.script);
        assert_eq!(out.code, 0, "{}\n{}", case.describe(), out.stderr_str());
        let log = std::fs::read_to_string(case.sandbox.work().join("commits.txt")).unwrap();
        let commits = log
            .lines()
            .map(|l| l.split_once(' ').unwrap().1.to_string())
            .collect();
        let all = case.git_ok(&case.repo, &["rev-list", "--all", "--parents"]);
        let parents = all
            .lines()
            .map(|l| {
                let mut ids = l.split_whitespace().map(str::to_string);
                (ids.next().unwrap(), ids.collect())
            })
            .collect();
        Case {
            commits,
            parents,
            ..case
        }
    }

    fn describe(&self) -> String {
        format!(
            "seed {} (AGREEMENT_SEEDS={}..{}); repository script, run in an empty directory with \
             git-secrets on PATH and GIT_SECRETS_FINGERPRINT_KEY set:\n{}",
            self.seed,
            self.seed,
            self.seed + 1,
            self.script
        )
    }

    fn command(&self, program: &str, dir: &Path) -> Command {
        let mut cmd = self.sandbox.command(program, dir);
        cmd.env("GIT_SECRETS_FINGERPRINT_KEY", FINGERPRINT_KEY);
        cmd
    }

    fn sh(&self, dir: &Path, script: &str) -> Output {
        let mut cmd = self.command("bash", dir);
        cmd.args(["-c", script]);
        run(cmd)
    }

    fn git(&self, dir: &Path, args: &[&str]) -> Output {
        let mut cmd = self.command("git", dir);
        cmd.args(args);
        run(cmd)
    }

    fn git_ok(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.git(dir, args);
        assert_eq!(out.code, 0, "git {args:?}: {}", out.stderr_str());
        out.stdout_str()
    }

    /// Tree scan of every commit: `git secrets --scan` in a work tree checked out there.
    fn tree_scans(&self) -> HashMap<String, BTreeSet<Found>> {
        let tree = self.sandbox.work().join("tree");
        self.git_ok(
            &self.repo,
            &["worktree", "add", "-q", "--detach", "../tree", "HEAD"],
        );
        // One shell for all commits: `<commit>.jsonl` and `<commit>.rc` per commit.
        let script = "set -e; mkdir ../scans; for c in $(git rev-list --all); do \
             git checkout -q --detach $c; rc=0; \
             git secrets --scan --format jsonl --no-redact > ../scans/$c.jsonl 2> ../scans/$c.err || rc=$?; \
             echo $rc > ../scans/$c.rc; done";
        let out = self.sh(&tree, script);
        assert_eq!(out.code, 0, "tree scans: {}", out.stderr_str());
        let dir = self.sandbox.work().join("scans");
        let mut scans = HashMap::new();
        for c in self.parents.keys() {
            let read = |ext: &str| std::fs::read(dir.join(format!("{c}.{ext}"))).unwrap();
            let out = Output {
                code: String::from_utf8(read("rc"))
                    .unwrap()
                    .trim()
                    .parse()
                    .unwrap(),
                stdout: read("jsonl"),
                stderr: read("err"),
            };
            let found = parse_jsonl(&out, &format!("tree scan of {c}"));
            scans.insert(c.clone(), found.into_iter().map(|(_, f)| f).collect());
        }
        self.git_ok(&self.repo, &["worktree", "remove", "--force", "../tree"]);
        scans
    }

    fn parents(&self, commit: &str) -> &[String] {
        &self.parents[commit]
    }

    /// A few A..B ranges: two random pairs (either may be unrelated, or B behind A), the last
    /// merge from its first parent (B = a merge, with the merged branch's own commits), and one
    /// commit on its own (few findings, so a hook that refuses or accepts wrongly shows).
    fn ranges(&self) -> Vec<(String, String)> {
        let mut rng = Rng(self.seed ^ 0xABCD);
        let n = self.commits.len();
        let mut out = Vec::new();
        for _ in 0..2 {
            let a = rng.below(n);
            let b = rng.below(n);
            if a != b {
                out.push((self.commits[a].clone(), self.commits[b].clone()));
            }
        }
        if let Some(m) = self
            .commits
            .iter()
            .rev()
            .find(|c| self.parents(c).len() > 1)
        {
            out.push((self.parents(m)[0].clone(), m.clone()));
        }
        let c = &self.commits[1 + rng.below(n - 1)];
        if let Some(p) = self.parents(c).first() {
            out.push((p.clone(), c.clone()));
        }
        out
    }
}

type Attributed = BTreeSet<(String, Found)>;

/// P2's oracle: what the commits of A..B add according to the tree scans.
fn expected_range(
    case: &Case,
    scans: &HashMap<String, BTreeSet<Found>>,
    a: &str,
    b: &str,
) -> Attributed {
    let list = case.git_ok(&case.repo, &["rev-list", &format!("{a}..{b}")]);
    let mut out = BTreeSet::new();
    for c in list.lines() {
        let parents = case.parents(c);
        for f in &scans[c] {
            if !parents.iter().any(|p| scans[p].contains(f)) {
                out.insert((c.to_string(), f.clone()));
            }
        }
    }
    out
}

fn short(c: &str) -> &str {
    &c[..10]
}

fn show(set: &Attributed) -> String {
    set.iter()
        .map(|(c, f)| format!("  {} {} {} {}\n", short(c), f.path, f.rule, f.secret))
        .collect()
}

/// A path as git prints it with `core.quotePath` (JSON has it unquoted).
fn c_quoted(path: &str) -> String {
    if !path
        .bytes()
        .any(|b| !(0x20..0x80).contains(&b) || b == b'"' || b == b'\\')
    {
        return path.to_string();
    }
    let mut out = String::from("\"");
    for b in path.bytes() {
        match b {
            b'"' | b'\\' => write!(out, "\\{}", b as char).unwrap(),
            0x20..0x80 => out.push(b as char),
            _ => write!(out, "\\{b:03o}").unwrap(),
        }
    }
    out.push('"');
    out
}

/// The (commit, path) pairs a hook's human output names (`[remote: ]<commit>:<path>:<line>:`).
fn hook_places(stderr: &str) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for line in stderr.lines() {
        let line = line.strip_prefix("remote: ").unwrap_or(line);
        let Some((commit, rest)) = line.split_once(':') else {
            continue;
        };
        if commit.len() != 40 || !commit.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        let mut path_end = None;
        for (i, _) in rest.match_indices(':') {
            let tail = &rest[i + 1..];
            let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && tail.as_bytes().get(digits) == Some(&b':') {
                path_end = Some(i);
                break;
            }
        }
        if let Some(end) = path_end {
            out.insert((commit.to_string(), rest[..end].to_string()));
        }
    }
    out
}

/// What the generated repositories exercised, so that a generator that stopped producing
/// secrets, merges or non-empty ranges fails the test instead of passing vacuously.
#[derive(Default, Debug)]
struct Stats {
    commits: usize,
    merges: usize,
    findings: usize,
    dotenv: usize,
    keys: usize,
    ranges: usize,
    ranges_with_findings: usize,
    ranges_with_merges: usize,
}

/// Runs P1-P3 on one repository; returns the failures found (empty when all hold).
fn check(case: &Case, stats: &mut Stats) -> Vec<String> {
    let mut failures = Vec::new();
    let scans = case.tree_scans();

    // P1: history = union of the tree scans.
    let mut cmd = case.command("git", &case.repo);
    cmd.args([
        "secrets",
        "--scan-history",
        "--format",
        "jsonl",
        "--no-redact",
    ]);
    let history: BTreeSet<Found> = parse_jsonl(&run(cmd), "--scan-history")
        .into_iter()
        .map(|(_, f)| f)
        .collect();
    let union: BTreeSet<Found> = scans.values().flatten().cloned().collect();
    stats.commits += scans.len();
    stats.merges += scans.keys().filter(|c| case.parents(c).len() > 1).count();
    stats.findings += union.len();
    stats.dotenv += union
        .iter()
        .filter(|f| f.rule == "generic.dotenv-secret")
        .count();
    stats.keys += union.iter().filter(|f| f.rule == "privatekey.rsa").count();
    if history != union {
        failures.push(format!(
            "P1 --scan-history != union of tree scans\n only in history:\n{}\n only in tree scans:\n{}",
            history
                .difference(&union)
                .map(|f| format!("  {} {} {}\n", f.path, f.rule, f.secret))
                .collect::<String>(),
            union
                .difference(&history)
                .map(|f| format!("  {} {} {}\n", f.path, f.rule, f.secret))
                .collect::<String>(),
        ));
    }

    // P2 and P3 per range. Two bare servers: `rcv.git` with the pre-receive hook (and the
    // repository's patterns and registries), `snd.git` (remote `snd`) for the client's
    // pre-push hook. Both get every object first, then only the ref under test: the push
    // hooks must go by refs, not by which objects happen to be there.
    let setup = "set -e; for s in rcv snd; do git init -q --bare ../$s.git; \
         git push -q --no-verify ../$s.git 'refs/heads/*:refs/heads/*'; \
         git -C ../$s.git for-each-ref --format='delete %(refname)' | git -C ../$s.git update-ref --stdin; done; \
         git remote add snd ../snd.git; git secrets --install --pre-push >/dev/null; \
         cd ../rcv.git; git secrets --register-aws >/dev/null; \
         for r in $(git -C ../repo config --get-all secrets.registries); do git config --add secrets.registries $r; done; \
         git secrets --install --pre-receive . >/dev/null; git config secrets.preReceiveBudget 60";
    let out = case.sh(&case.repo, setup);
    assert_eq!(out.code, 0, "server setup: {}", out.stderr_str());
    for (a, b) in case.ranges() {
        let range = format!("{a}..{b}");
        let expected = expected_range(case, &scans, &a, &b);
        let mut cmd = case.command("git", &case.repo);
        cmd.args([
            "secrets",
            "--scan-range",
            &range,
            "--format",
            "jsonl",
            "--no-redact",
        ]);
        let got: Attributed = parse_jsonl(&run(cmd), &format!("--scan-range {range}"))
            .into_iter()
            .map(|(c, f)| (c.expect("range findings name their commit"), f))
            .collect();
        let name = format!("{}..{}", short(&a), short(&b));
        stats.ranges += 1;
        stats.ranges_with_findings += usize::from(!expected.is_empty());
        let merges = case.git_ok(&case.repo, &["rev-list", "--merges", &range]);
        stats.ranges_with_merges += usize::from(!merges.is_empty());
        if got != expected {
            failures.push(format!(
                "P2 --scan-range {name}\n only in the range scan:\n{}\n only in the oracle:\n{}",
                show(&got.difference(&expected).cloned().collect()),
                show(&expected.difference(&got).cloned().collect()),
            ));
        }

        // P3: the server's pre-receive hook, then the client's pre-push hook (each server
        // holds A alone on its refs when B is pushed).
        for hook in ["pre-receive", "pre-push"] {
            let push = if hook == "pre-receive" {
                format!(
                    "git -C ../rcv.git update-ref refs/heads/master {a} && \
                     git push --no-verify --force ../rcv.git {b}:refs/heads/master"
                )
            } else {
                format!(
                    "git -C ../snd.git update-ref refs/heads/master {a} && git fetch -q snd && \
                     git push --force snd {b}:refs/heads/master"
                )
            };
            let out = case.sh(&case.repo, &push);
            let refused = out.code != 0;
            let stderr = out.stderr_str();
            if refused == expected.is_empty() {
                failures.push(format!(
                    "P3 {hook}: push of {} to a server holding {} was {} but the oracle expects {} finding(s):\n{}{}",
                    short(&b),
                    short(&a),
                    if refused { "refused" } else { "accepted" },
                    expected.len(),
                    show(&expected),
                    stderr
                ));
            } else if refused {
                // Refused for the findings (not for an error of the hook), naming each place.
                let named = hook_places(&stderr);
                let wanted: BTreeSet<(String, String)> = expected
                    .iter()
                    .map(|(c, f)| (c.clone(), c_quoted(&f.path)))
                    .collect();
                if named != wanted {
                    failures.push(format!(
                        "P3 {hook}: push of {} to a server holding {} was refused, naming other places than the oracle's:\n named, not expected: {:?}\n expected, not named: {:?}",
                        short(&b),
                        short(&a),
                        named.difference(&wanted).map(|(c, p)| format!("{} {p}", short(c))).collect::<Vec<_>>(),
                        wanted.difference(&named).map(|(c, p)| format!("{} {p}", short(c))).collect::<Vec<_>>(),
                    ));
                }
            }
        }
    }
    failures
}

#[test]
fn history_range_and_push_agree_with_tree_scans() {
    let seeds: Vec<u64> = match std::env::var("AGREEMENT_SEEDS") {
        Ok(v) => {
            let (a, b) = v.split_once("..").expect("AGREEMENT_SEEDS=a..b");
            (a.parse().unwrap()..b.parse().unwrap()).collect()
        }
        Err(_) => SEEDS.chain(FAILED_ONCE).collect(),
    };
    let mut report = String::new();
    let mut stats = Stats::default();
    for seed in seeds {
        let case = Case::new(seed);
        let failures = check(&case, &mut stats);
        if !failures.is_empty() {
            writeln!(report, "==== {}\n{}", case.describe(), failures.join("\n")).unwrap();
        }
    }
    eprintln!("{stats:?}");
    assert!(
        stats.merges > 0
            && stats.dotenv > 0
            && stats.keys > 0
            && stats.ranges_with_findings > 0
            && stats.ranges_with_findings < stats.ranges
            && stats.ranges_with_merges > 0,
        "the generator no longer exercises the engine: {stats:?}"
    );
    assert!(report.is_empty(), "mode agreement fails:\n{report}");
}

/// Runs a bash script in `dir` of `sandbox` with the fixed fingerprint key.
fn sh_in(sandbox: &Sandbox, dir: &Path, script: &str) -> Output {
    let mut cmd = sandbox.command("bash", dir);
    cmd.env("GIT_SECRETS_FINGERPRINT_KEY", FINGERPRINT_KEY)
        .args(["-c", script]);
    run(cmd)
}

/// The (path, rule) pairs of a JSON Lines report.
fn places(out: &Output, what: &str) -> BTreeSet<(String, String)> {
    parse_jsonl(out, what)
        .into_iter()
        .map(|(_, f)| (f.path, f.rule))
        .collect()
}

/// Minimal repro of the generator's most frequent mismatch (seeds 5, 6, 9, 13, 14): commit B
/// renames `notes.txt` to `.env` unchanged. `generic.dotenv-secret` applies to `.env` only,
/// so the secret is found for the first time in B's tree, yet `--scan-range A..B`, the full
/// history and a push of B to a server holding A (pre-receive) all miss it: the range/push
/// engine skips exact renames as "nothing new", and history lists only commits whose diff
/// adds or removes a matching line (upstream's `git log -G`), which a rename does not.
#[test]
fn an_exact_rename_into_a_dotenv_path_is_new_to_range_history_and_push() {
    let sandbox = Sandbox::new(ours());
    let work = sandbox.work();
    let out = sh_in(
        &sandbox,
        &work,
        "set -e; git init -q repo; cd repo; git config --add secrets.registries common
         printf 'DB_PASSWORD=Xq7LmP2vRt9KwZ4bNc8HjY3s\\n' > notes.txt
         git add . && git commit -qm A && git mv notes.txt .env && git commit -qm B
         git init -q --bare ../rcv.git && git push -q ../rcv.git HEAD~1:refs/heads/master
         cd ../rcv.git && git config --add secrets.registries common
         git secrets --install --pre-receive . >/dev/null",
    );
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let repo = work.join("repo");
    let dotenv = (".env".to_string(), "generic.dotenv-secret".to_string());
    let tree = sh_in(
        &sandbox,
        &repo,
        "git secrets --scan --format jsonl --no-redact",
    );
    assert!(
        places(&tree, "tree scan of B").contains(&dotenv),
        "the oracle"
    );

    let mut failures = Vec::new();
    let range = sh_in(
        &sandbox,
        &repo,
        "git secrets --scan-range HEAD~1..HEAD --format jsonl --no-redact",
    );
    if !places(&range, "--scan-range").contains(&dotenv) {
        failures.push("--scan-range A..B misses .env");
    }
    let history = sh_in(
        &sandbox,
        &repo,
        "git secrets --scan-history --format jsonl --no-redact",
    );
    if !places(&history, "--scan-history").contains(&dotenv) {
        failures.push("--scan-history misses .env");
    }
    let push = sh_in(
        &sandbox,
        &repo,
        "git push -q ../rcv.git HEAD:refs/heads/master",
    );
    if push.code == 0 {
        failures.push("pre-receive accepts the push");
    }
    assert!(failures.is_empty(), "{failures:?}");
}

/// Minimal repro (seeds 1, 10): a key that only a merge commit's tree holds (the merge adds it
/// to a file, the next commit removes it) is in no `--scan-history` report: history lists only
/// non-merge commits (upstream's `git log -G` does not diff merges), and no listed commit's
/// tree holds the key. The tree scan of the merge, and `--scan-range` over it, find it.
#[test]
fn history_reports_a_key_that_only_an_evil_merge_holds() {
    let sandbox = Sandbox::new(ours());
    let work = sandbox.work();
    let out = sh_in(
        &sandbox,
        &work,
        "set -e; git init -q repo; cd repo; git secrets --register-aws >/dev/null
         echo hi > a.txt && git add . && git commit -qm base
         git checkout -qb side && echo side > s.txt && git add . && git commit -qm side
         git checkout -q master && echo main > m.txt && git add . && git commit -qm main
         git merge -q --no-ff --no-commit side >/dev/null
         echo 'key = AKIAZ2MNQ4HWTRLE7VXC' >> a.txt && git add . && git commit -qm 'evil merge'
         git tag merge && echo hi > a.txt && git commit -qam 'drop the key'",
    );
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let repo = work.join("repo");
    let key = (
        "a.txt".to_string(),
        "git-secrets.prohibited-pattern".to_string(),
    );
    let tree = sh_in(
        &sandbox,
        &repo,
        "git checkout -q merge && git secrets --scan --format jsonl --no-redact; rc=$?; git checkout -q master; exit $rc",
    );
    assert!(
        places(&tree, "tree scan of the merge").contains(&key),
        "the oracle"
    );
    let range = sh_in(
        &sandbox,
        &repo,
        "git secrets --scan-range merge~1..merge --format jsonl --no-redact",
    );
    assert!(places(&range, "--scan-range").contains(&key));
    let history = sh_in(
        &sandbox,
        &repo,
        "git secrets --scan-history --format jsonl --no-redact",
    );
    assert!(
        places(&history, "--scan-history").contains(&key),
        "--scan-history misses the key the merge added: {}",
        history.stdout_str()
    );
}

#[test]
fn a_span_gets_the_tree_scans_rule_before_the_parent_side_is_compared() {
    // Found by seed 46: `SERVICE_SECRET=AKIA...` matches `aws.access-key-id` (the tree scan's
    // winner for the span) and `generic.dotenv-secret`. The parent's `.env` already holds the
    // key under `aws.access-key-id`, so the commit brings nothing new; comparing with the
    // parent side before choosing one rule per span reported the loser as new.
    let sandbox = Sandbox::new(ours());
    let work = sandbox.work();
    let out = sh_in(
        &sandbox,
        &work,
        "set -e; git init -q repo; cd repo
         git config --add secrets.registries aws; git config --add secrets.registries common
         printf 'key = AKIA6KXTXR2TFJYVVDWC\\n' > .env
         git add . && git commit -qm A
         printf 'key = AKIA6KXTXR2TFJYVVDWC\\nSERVICE_SECRET=AKIA6KXTXR2TFJYVVDWC\\n' > .env
         git add . && git commit -qm B
         git init -q --bare ../rcv.git && git push -q ../rcv.git HEAD~1:refs/heads/master
         cd ../rcv.git && git config --add secrets.registries aws
         git config --add secrets.registries common
         git secrets --install --pre-receive . >/dev/null",
    );
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let repo = work.join("repo");
    let tree = sh_in(
        &sandbox,
        &repo,
        "git secrets --scan --format jsonl --no-redact",
    );
    let aws = (".env".to_string(), "aws.access-key-id".to_string());
    assert_eq!(
        places(&tree, "tree scan of B"),
        BTreeSet::from([aws.clone()]),
        "the oracle"
    );
    let range = sh_in(
        &sandbox,
        &repo,
        "git secrets --scan-range HEAD~1..HEAD --format jsonl --no-redact",
    );
    assert_eq!(range.code, 0, "{}", String::from_utf8_lossy(&range.stdout));
    let history = sh_in(
        &sandbox,
        &repo,
        "git secrets --scan-history --format jsonl --no-redact",
    );
    assert_eq!(places(&history, "--scan-history"), BTreeSet::from([aws]));
    let push = sh_in(
        &sandbox,
        &repo,
        "git push -q ../rcv.git HEAD:refs/heads/master",
    );
    assert_eq!(push.code, 0, "{}", push.stderr_str());
}
