//! Embeds the commit this binary was built from (`git rev-parse`), for `git secrets --version`.
//! Builds outside a git checkout (a source tarball) say "unknown"; `GIT_SECRETS_COMMIT` in the
//! build environment overrides both (packagers).
//!
//! Also turns the built-in packs (`patterns/**/*.toml`) into JSON in `OUT_DIR`, which the
//! binary parses instead: the same serde structs read 340 KB of the common pack in ~0.65 ms
//! as JSON against ~2.2 ms as TOML, a seventh of a pre-commit hook. A pack that is not valid
//! TOML fails the build here, naming the file. The packs' regex patterns are also written
//! parsed (`builtin_hir.rs`, see `src/rules/hir_code.rs`), so that a hook compiles a rule
//! without parsing its pattern.

use std::path::{Path, PathBuf};
use std::process::Command;

// The gate's required-literal extraction (and the line-spanning test), compiled here too so
// that the built-in rules' literals are found once, at build time: at run time they cost
// every large scan ~80 ms of CPU (325 rules; 22 % of the instructions of a `--scan` of
// git/git's work tree).
#[allow(dead_code)]
#[path = "src/literals.rs"]
mod literals;
// How a family fills its pattern template, for the providers whose patterns are known here.
#[allow(dead_code)]
#[path = "src/rules/template.rs"]
mod template;
// A rule's parsed tree as bytes, for the patterns of the table below: a hook's lean compile
// then skips the parse.
#[allow(dead_code)]
#[path = "src/rules/hir_code.rs"]
mod hir_code;
/// What `literals` needs of the gate.
mod gate {
    pub const MIN_LITERAL_LEN: usize = 3;
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// Every `.toml` under `dir`, relative to `root`.
fn toml_files(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("build: cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("build: cannot list {}: {e}", dir.display()))
            .path();
        if path.is_dir() {
            toml_files(root, &path, out);
        } else if path.extension().is_some_and(|x| x == "toml") {
            out.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        }
    }
}

/// `patterns/X.toml` -> `$OUT_DIR/patterns/X.json`.
fn packs_to_json() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    println!("cargo:rerun-if-changed=patterns");
    let mut files = Vec::new();
    toml_files(&root, &root.join("patterns"), &mut files);
    files.sort();
    // The table the binary looks a pack file's JSON up in: `(patterns/X.toml, JSON)`.
    let mut table = String::from("&[\n");
    let mut gates: Vec<String> = Vec::new();
    let mut patterns: Vec<String> = Vec::new();
    let mut secrets: Vec<String> = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(root.join(&file))
            .unwrap_or_else(|e| panic!("build: cannot read {}: {e}", file.display()));
        let value: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("build: {}: {e}", file.display()));
        for (id, pattern) in rule_patterns(&value)
            .into_iter()
            .chain(family_patterns(&value))
        {
            let (row, anchor) = table_row(&id, &pattern);
            gates.push(row);
            patterns.extend(anchor);
            patterns.push(pattern);
        }
        secrets.extend(given_secrets(&value));
        let json = serde_json::to_string(&value)
            .unwrap_or_else(|e| panic!("build: {}: {e}", file.display()));
        let target = out.join(file.with_extension("json"));
        std::fs::create_dir_all(target.parent().expect("a parent"))
            .and_then(|()| std::fs::write(&target, json))
            .unwrap_or_else(|e| panic!("build: cannot write {}: {e}", target.display()));
        table.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            file.to_string_lossy().replace('\\', "/"),
            target.to_string_lossy()
        ));
    }
    table.push(']');
    let target = out.join("builtin_json.rs");
    std::fs::write(&target, table)
        .unwrap_or_else(|e| panic!("build: cannot write {}: {e}", target.display()));
    gates.sort();
    let target = out.join("builtin_literals.rs");
    std::fs::write(&target, format!("&[\n{}]", gates.concat()))
        .unwrap_or_else(|e| panic!("build: cannot write {}: {e}", target.display()));
    secrets.sort();
    secrets.dedup();
    let spans: String = secrets
        .iter()
        .map(|secret| {
            let spans = literals::can_span_lines(&template::given_secret(secret));
            format!("    ({secret:?}, {spans}),\n")
        })
        .collect();
    let target = out.join("builtin_secret_spans.rs");
    std::fs::write(&target, format!("&[\n{spans}]"))
        .unwrap_or_else(|e| panic!("build: cannot write {}: {e}", target.display()));
    patterns.sort();
    patterns.dedup();
    // Each pattern's tree and its widened prefilter (`hir_code::widened`, `None` when it has
    // none), encoded: a hook widened the trees of the rules it woke at run time (2.6 M of the
    // 98 M instructions of a pre-commit of five C files of git/git, 22 rules).
    let (mut trees, mut widened) = (String::new(), String::new());
    for p in &patterns {
        let Some(hir) = literals::parse(p) else {
            continue;
        };
        trees.push_str(&format!(
            "    ({p:?}, {}),\n",
            byte_string(&hir_code::encode(&hir))
        ));
        let wide = hir_code::widened(&hir)
            .map(|w| format!("Some({})", byte_string(&hir_code::encode(&w))));
        widened.push_str(&format!(
            "    ({p:?}, {}),\n",
            wide.as_deref().unwrap_or("None")
        ));
    }
    let target = out.join("builtin_hir.rs");
    std::fs::write(&target, format!("&[\n{trees}]"))
        .unwrap_or_else(|e| panic!("build: cannot write {}: {e}", target.display()));
    let target = out.join("builtin_widened.rs");
    std::fs::write(&target, format!("&[\n{widened}]"))
        .unwrap_or_else(|e| panic!("build: cannot write {}: {e}", target.display()));
}

/// `code` as a byte string literal: rustc reads it far faster than an array of numbers.
fn byte_string(code: &[u8]) -> String {
    let escaped: String = code
        .iter()
        .flat_map(|&b| std::ascii::escape_default(b))
        .map(char::from)
        .collect();
    format!("b\"{escaped}\"")
}

/// `(id, pattern)` of the `[[rule]]` tables of a pack file (regex syntax; ERE patterns are
/// translated at run time and keep their own).
fn rule_patterns(pack: &toml::Value) -> Vec<(String, String)> {
    let Some(rules) = pack.get("rule").and_then(toml::Value::as_array) else {
        return Vec::new();
    };
    rules
        .iter()
        .filter(|r| {
            r.get("syntax")
                .and_then(toml::Value::as_str)
                .is_none_or(|s| s == "regex")
        })
        .filter_map(|r| {
            let id = r.get("id")?.as_str()?;
            let pattern = r.get("pattern")?.as_str()?;
            Some((id.to_string(), pattern.to_string()))
        })
        .collect()
}

/// `(id, pattern)` of the family providers whose gate facts are found at run time and whose
/// patterns are spelled here: given by a `secret` regex, with their own `keywords`, in a family
/// whose pattern names neither `{keyname}` nor `{keywords}` (117 providers of the common pack:
/// 55 M instructions of a `--scan` of git/git's work tree). A pattern spelled differently from
/// the loader's is simply not found in the table: the rule then finds its own.
fn family_patterns(pack: &toml::Value) -> Vec<(String, String)> {
    let Some(families) = pack.get("family").and_then(toml::Value::as_array) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for family in families {
        let (Some(pattern), Some(text)) = (
            family.get("pattern").and_then(toml::Value::as_str),
            family.get("providers_text").and_then(toml::Value::as_str),
        ) else {
            continue;
        };
        if pattern.contains("{keyname}") || pattern.contains("{keywords}") {
            continue;
        }
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            // A malformed line fails the loader (and the tests), naming it; here it is skipped.
            let Ok((id, _, fields)) = template::provider_line(line) else {
                continue;
            };
            let fields: Vec<(&str, &str)> = fields.filter_map(Result::ok).collect();
            let field = |key: &str| fields.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
            let (Some(_), Some(secret)) = (field("keywords"), field("secret")) else {
                continue;
            };
            // As the loader writes it (`family.rs`): the secret, and the end that goes with it.
            let pattern = template::substitute(
                pattern,
                &[
                    ("secret", &template::given_secret(secret)),
                    ("end", template::GENERIC_END),
                ],
            );
            rows.push((id.to_string(), pattern));
        }
    }
    rows
}

/// The `secret=` regexes of every family provider line of a pack file, in any family: whether
/// each can span lines is written at build time (707 were parsed for it at run time, 44 M of
/// the 1.45 G instructions of a `--scan` of git/git's work tree).
fn given_secrets(pack: &toml::Value) -> Vec<String> {
    let Some(families) = pack.get("family").and_then(toml::Value::as_array) else {
        return Vec::new();
    };
    let texts = families
        .iter()
        .filter_map(|f| f.get("providers_text").and_then(toml::Value::as_str));
    let mut out = Vec::new();
    for line in texts.flat_map(str::lines).map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Ok((_, _, fields)) = template::provider_line(line) else {
            continue;
        };
        out.extend(
            fields
                .filter_map(Result::ok)
                .filter(|(k, _)| *k == "secret")
                .map(|(_, v)| v.to_string()),
        );
    }
    out
}

/// One row of the table: `(id, pattern, Option<(literals, cost, anchor)>, spans lines)`; the
/// anchor only when it fits ([`literals::anchor_fits`]), and returned too, printed, so that
/// its tree is written beside the patterns' and read back without parsing.
fn table_row(id: &str, pattern: &str) -> (String, Option<String>) {
    let req = literals::required_literals(pattern);
    // Only an anchor worth compiling: the binary then needs no parse to tell.
    let anchor = req
        .as_ref()
        .and_then(|r| r.anchor.as_ref())
        .filter(|a| literals::anchor_fits(a))
        .and_then(literals::print);
    let found = match req {
        None => "None".to_string(),
        Some(req) => format!(
            "Some((&[{}], {:?}, {anchor:?}))",
            req.literals
                .iter()
                .map(|l| format!("&{l:?}"))
                .collect::<Vec<_>>()
                .join(", "),
            req.cost,
        ),
    };
    let spans = literals::can_span_lines(pattern);
    (
        format!("    ({id:?}, {pattern:?}, {found}, {spans}),\n"),
        anchor,
    )
}

fn main() {
    packs_to_json();
    println!("cargo:rerun-if-env-changed=GIT_SECRETS_COMMIT");
    let commit = std::env::var("GIT_SECRETS_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]));
    // Rebuild when HEAD moves: HEAD itself (a branch switch) and the ref it points to (a commit).
    for path in [
        git(&["rev-parse", "--git-path", "HEAD"]),
        git(&["symbolic-ref", "-q", "HEAD"]).and_then(|r| git(&["rev-parse", "--git-path", &r])),
        git(&["rev-parse", "--git-path", "packed-refs"]),
    ]
    .into_iter()
    .flatten()
    {
        if std::path::Path::new(&path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    // No "dirty" mark: build scripts rerun on the files listed above only, so a mark taken
    // from the work tree would go stale after the next edit.
    let commit = commit.unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=GIT_SECRETS_COMMIT={commit}");
}
