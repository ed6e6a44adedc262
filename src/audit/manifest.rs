//! The manifest of an organisation audit: which repositories, under which names, which refs.
//!
//! Three forms:
//!
//! * lines: `<url-or-path> [<name>] [size=<bytes>]`, `#` starts a comment;
//! * JSON (first non-blank character `[` or `{`): an array, or `{"repositories": [...]}`, of
//!   URLs or objects `{"name", "url", "size", "refs": {"include": [globs], "exclude": [globs]}}`;
//! * YAML (a `.yaml`/`.yml` file, or one whose first line that is not blank or a comment is
//!   `---`, a `- ` sequence entry or `repositories:`): the same document as the JSON form, a
//!   sequence or a `repositories:` mapping of URLs or `{name, url, size, refs}` mappings (a
//!   Kubernetes ConfigMap holds the manifest this way).
//!
//! JSON and YAML go through one set of serde types, so the two forms cannot drift apart: the
//! same keys, the same refusal of unknown keys. YAML is read by serde-saphyr (safe Rust, with
//! limits on aliases, nesting and size), so an alias bomb is refused instead of expanded.

use std::collections::HashMap;

use std::fmt;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

/// One repository of the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Unique name (given, or the repository's canonical form).
    pub name: String,
    /// What `git clone` takes.
    pub url: String,
    /// Size in bytes, when the manifest gives one (planning weight).
    pub size: Option<u64>,
    /// Ref filters: a ref is audited when it matches an include (all when none) and no exclude.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

/// Compiled ref filters of an [`Entry`].
pub(crate) struct RefFilter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl RefFilter {
    /// Whether every ref passes.
    pub fn is_all(&self) -> bool {
        self.include.is_none() && self.exclude.is_none()
    }

    pub fn matches(&self, name: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(name))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(name))
    }
}

fn globs(list: &[String], what: &str, entry: &str) -> Result<Option<GlobSet>, String> {
    if list.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for g in list {
        b.add(
            Glob::new(g)
                .map_err(|e| format!("repository '{entry}': bad refs.{what} pattern '{g}': {e}"))?,
        );
    }
    b.build()
        .map(Some)
        .map_err(|e| format!("repository '{entry}': refs.{what}: {e}"))
}

impl Entry {
    pub fn ref_filter(&self) -> Result<RefFilter, String> {
        Ok(RefFilter {
            include: globs(&self.include, "include", &self.name)?,
            exclude: globs(&self.exclude, "exclude", &self.name)?,
        })
    }

    /// A file-name-safe key, unique per name: the name's safe characters, then 8 hex digits
    /// of its hash (two names that sanitise alike still get different keys).
    pub fn key(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut safe: String = self
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        safe = safe.trim_matches(|c| c == '_' || c == '.').to_string();
        safe.truncate(80);
        let digest = Sha256::digest(self.name.as_bytes());
        let hex: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
        if safe.is_empty() {
            hex
        } else {
            format!("{safe}-{hex}")
        }
    }
}

/// A JSON or YAML manifest: a sequence of repositories, or a mapping whose only key is
/// `repositories`. Written by hand rather than as `#[serde(untagged)]`: untagged enums buffer
/// the document and let YAML guess scalar types, so `name: 2024` would fail as a number and
/// errors would lose their line and column.
struct Doc(Vec<RawEntry>);

/// One repository as written: a bare URL, or a mapping.
enum RawEntry {
    Url(String),
    Full(Repo),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wrapped {
    repositories: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Repo {
    name: Option<String>,
    url: String,
    size: Option<u64>,
    #[serde(default)]
    refs: Refs,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Refs {
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
}

impl<'de> Deserialize<'de> for Doc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Doc;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of repositories or a mapping with `repositories`")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Doc, A::Error> {
                Vec::deserialize(SeqAccessDeserializer::new(seq)).map(Doc)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Doc, A::Error> {
                Wrapped::deserialize(MapAccessDeserializer::new(map)).map(|w| Doc(w.repositories))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawEntry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a URL or a mapping with `url`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawEntry, E> {
                Ok(RawEntry::Url(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<RawEntry, E> {
                Ok(RawEntry::Url(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawEntry, A::Error> {
                Repo::deserialize(MapAccessDeserializer::new(map)).map(RawEntry::Full)
            }
        }
        d.deserialize_any(V)
    }
}

/// The default name of a repository: its canonical form (host and path, no credentials,
/// transport or `.git`).
fn default_name(url: &str) -> String {
    crate::formats::canonical_repository(url)
}

/// The three forms of a manifest.
#[derive(Debug, PartialEq, Eq)]
enum Form {
    Lines,
    Json,
    Yaml,
}

/// Which form `text` is written in: the extension says YAML; otherwise the first character
/// that is not blank says JSON, and the first line that is neither blank nor a comment says
/// YAML when it is a document marker, a sequence entry or the `repositories:` key. None of
/// these can start a lines-form entry, whose first word is a URL or a path.
fn form(text: &str, origin: &str) -> Form {
    if origin.ends_with(".yaml") || origin.ends_with(".yml") {
        return Form::Yaml;
    }
    if matches!(text.trim_start().chars().next(), Some('[' | '{')) {
        return Form::Json;
    }
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'));
    match first {
        Some(l)
            if l == "---"
                || l == "-"
                || l.starts_with("--- ")
                || l.starts_with("- ")
                || l.starts_with("%YAML")
                || l.starts_with("repositories:") =>
        {
            Form::Yaml
        }
        _ => Form::Lines,
    }
}

/// Parse manifest `text`; `origin` names the file in messages.
pub(crate) fn parse(text: &str, origin: &str) -> Result<Vec<Entry>, String> {
    let entries = match form(text, origin) {
        Form::Json => parse_json(text, origin)?,
        Form::Yaml => parse_yaml(text, origin)?,
        Form::Lines => parse_lines(text, origin)?,
    };
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        if e.url.trim().is_empty() {
            return Err(format!("{origin}: repository {} has an empty url", i + 1));
        }
        if let Some(first) = seen.insert(&e.name, i) {
            return Err(format!(
                "{origin}: repositories {} and {} are both named '{}' (names must be unique)",
                first + 1,
                i + 1,
                e.name
            ));
        }
        e.ref_filter().map_err(|m| format!("{origin}: {m}"))?;
    }
    if entries.is_empty() {
        return Err(format!("{origin}: no repositories"));
    }
    Ok(entries)
}

/// What a JSON or YAML manifest must look like, for error messages (which never quote the
/// file: a manifest may hold URLs with credentials).
const EXPECTED: &str =
    "expected a list of URLs or of {name, url, size, refs} entries, or `repositories:` holding one";

fn parse_json(text: &str, origin: &str) -> Result<Vec<Entry>, String> {
    let doc: Doc = serde_json::from_str(text).map_err(|e| {
        format!(
            "{origin}: not a manifest (line {}, column {}): {EXPECTED}",
            e.line(),
            e.column()
        )
    })?;
    Ok(entries(doc))
}

/// The reader's limits for a YAML manifest. A full entry (name, url, size, two ref globs) is
/// about 15 nodes, so 1,000,000 nodes hold some 65,000 such entries, ten times the largest
/// organisation in the planning benchmark (5,000 repositories), while an alias bomb stops at
/// 100,000 replayed events (a few MB) instead of growing exponentially.
fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = 1_000_000;
    budget.max_events = 2_000_000;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = 100_000;
    // No source snippet in the error: we print our own line, without the file's text.
    options.with_snippet = false;
    options
}

fn parse_yaml(text: &str, origin: &str) -> Result<Vec<Entry>, String> {
    let doc: Doc = serde_saphyr::from_str_with_options(text, yaml_options()).map_err(|e| {
        let at = e.location().map_or(String::new(), |l| {
            format!(" (line {}, column {})", l.line(), l.column())
        });
        if over_limits(&e) {
            format!(
                "{origin}: YAML manifest refused{at}: its aliases, nesting or size exceed the reader's limits"
            )
        } else {
            format!("{origin}: not a YAML manifest{at}: {EXPECTED}")
        }
    })?;
    Ok(entries(doc))
}

/// Whether the YAML reader stopped at one of its limits (an alias bomb, say) rather than at
/// a mistake in the manifest; alias errors and snippets wrap the cause.
fn over_limits(e: &serde_saphyr::Error) -> bool {
    use serde_saphyr::Error as E;
    match e {
        E::Budget { .. }
        | E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => true,
        E::AliasError { error, .. } | E::WithSnippet { error, .. } => over_limits(error),
        _ => false,
    }
}

/// The entries of a JSON or YAML document, unnamed ones named after their URL.
fn entries(doc: Doc) -> Vec<Entry> {
    doc.0
        .into_iter()
        .map(|e| match e {
            RawEntry::Url(url) => Entry {
                name: default_name(&url),
                url,
                size: None,
                include: Vec::new(),
                exclude: Vec::new(),
            },
            RawEntry::Full(r) => Entry {
                name: r
                    .name
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| default_name(&r.url)),
                url: r.url,
                size: r.size,
                include: r.refs.include,
                exclude: r.refs.exclude,
            },
        })
        .collect()
}

fn parse_lines(text: &str, origin: &str) -> Result<Vec<Entry>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split_once('#').map_or(line, |(l, _)| l).trim();
        if line.is_empty() {
            continue;
        }
        let mut words = line.split_whitespace();
        let url = words.next().unwrap_or_default().to_string();
        let mut name = None;
        let mut size = None;
        for w in words {
            if let Some(v) = w.strip_prefix("size=") {
                size = Some(v.parse::<u64>().map_err(|_| {
                    format!(
                        "{origin}:{}: size must be a number of bytes, not '{v}'",
                        n + 1
                    )
                })?);
            } else if name.is_none() {
                name = Some(w.to_string());
            } else {
                return Err(format!(
                    "{origin}:{}: expected '<url> [<name>] [size=<bytes>]'",
                    n + 1
                ));
            }
        }
        out.push(Entry {
            name: name.unwrap_or_else(|| default_name(&url)),
            url,
            size,
            include: Vec::new(),
            exclude: Vec::new(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_with_comments_names_and_sizes() {
        let m = parse(
            "# org\nhttps://github.com/o/a.git\n  git@github.com:o/b  bee size=42 # b\n\n/srv/c\n",
            "m.txt",
        )
        .unwrap();
        let names: Vec<&str> = m.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["github.com/o/a", "bee", "/srv/c"]);
        assert_eq!(m[1].size, Some(42));
        assert_eq!(m[1].url, "git@github.com:o/b");
        assert!(parse("a x y\n", "m").unwrap_err().contains("m:1: expected"));
        assert!(parse("a size=big\n", "m").unwrap_err().contains("size"));
    }

    #[test]
    fn json_forms_and_ref_filters() {
        let m = parse(
            r#"{"repositories": ["https://h/o/a", {"name": "b", "url": "https://h/o/b", "size": 7,
               "refs": {"include": ["refs/heads/*"], "exclude": ["refs/heads/tmp/*"]}}]}"#,
            "m.json",
        )
        .unwrap();
        assert_eq!(m[0].name, "h/o/a");
        let f = m[1].ref_filter().unwrap();
        assert!(f.matches("refs/heads/main"));
        assert!(!f.matches("refs/heads/tmp/x"));
        assert!(!f.matches("refs/tags/v1"));
        assert!(m[0].ref_filter().unwrap().matches("refs/pull/1/head"));
        let err = parse(r#"[{"url": "u", "colour": 1}]"#, "m.json").unwrap_err();
        assert!(err.starts_with("m.json: not a manifest"), "{err}");
        let err = parse(r#"{"repositories": ["u"], "colour": 1}"#, "m.json").unwrap_err();
        assert!(err.starts_with("m.json: not a manifest"), "{err}");
    }

    #[test]
    fn refused_manifests() {
        assert!(
            parse("a\nb a\n", "m")
                .unwrap_err()
                .contains("both named 'a'")
        );
        assert!(
            parse("# nothing\n", "m")
                .unwrap_err()
                .contains("no repositories")
        );
        assert!(
            parse(r#"[{"url": "u", "refs": {"include": ["a[" ]}}]"#, "m")
                .unwrap_err()
                .contains("bad refs.include pattern")
        );
    }

    #[test]
    fn keys_are_safe_and_distinct() {
        let e = |n: &str| Entry {
            name: n.into(),
            url: String::new(),
            size: None,
            include: vec![],
            exclude: vec![],
        };
        assert!(e("github.com/o/a").key().starts_with("github.com_o_a-"));
        assert_ne!(e("o/a").key(), e("o_a").key());
        assert!(!e("../..").key().contains('/'));
    }

    const JSON: &str = r#"{"repositories": [
        "https://h/o/a",
        {"name": "2024", "url": "https://h/o/b", "size": 7,
         "refs": {"include": ["refs/heads/*"], "exclude": ["refs/heads/tmp/*"]}},
        {"name": "on", "url": "git@h:o/c.git", "refs": {"exclude": ["refs/pull/*"]}}
    ]}"#;

    #[test]
    fn yaml_and_json_give_identical_entries() {
        let json = parse(JSON, "m.json").unwrap();
        assert_eq!(json.len(), 3);
        // Block style under `repositories:`, with a comment and the document marker; names
        // that YAML would read as a number and a boolean stay the strings they are in JSON.
        let block = "# org\n---\nrepositories:\n  - https://h/o/a\n  - name: 2024\n    url: https://h/o/b\n    size: 7\n    refs:\n      include: [refs/heads/*]\n      exclude:\n        - refs/heads/tmp/*\n  - name: on\n    url: git@h:o/c.git\n    refs: {exclude: [refs/pull/*]}\n";
        assert_eq!(parse(block, "m.yaml").unwrap(), json);
        // A bare sequence, found by its content under any name; the same with `.yml`.
        let seq = "- https://h/o/a\n- {name: '2024', url: https://h/o/b, size: 7, refs: {include: [refs/heads/*], exclude: [refs/heads/tmp/*]}}\n- {name: 'on', url: 'git@h:o/c.git', refs: {exclude: [refs/pull/*]}}\n";
        assert_eq!(parse(seq, "manifest").unwrap(), json);
        assert_eq!(parse(seq, "m.yml").unwrap(), json);
        // JSON is YAML too: a JSON manifest named .yaml reads the same.
        assert_eq!(parse(JSON, "m.yaml").unwrap(), json);
    }

    #[test]
    fn forms_are_told_apart() {
        assert_eq!(form("# c\nhttps://h/o/a x\n", "m"), Form::Lines);
        assert_eq!(form("/srv/repos/a\n", "m.txt"), Form::Lines);
        assert_eq!(form("  [\"a\"]", "m"), Form::Json);
        assert_eq!(form("\n# c\n---\n- a\n", "m"), Form::Yaml);
        assert_eq!(form("- a\n", "m"), Form::Yaml);
        assert_eq!(form("repositories:\n- a\n", "m"), Form::Yaml);
        assert_eq!(form("a\n", "m.yml"), Form::Yaml);
        // A lines manifest whose URL merely contains a dash stays lines.
        assert_eq!(form("git-server:/o/a\n", "m"), Form::Lines);
    }

    #[test]
    fn bad_yaml_names_file_and_position_not_contents() {
        let secret = "https://user:hunter2@h/o/a";
        let cases = [
            // an unknown key, like the JSON form
            (
                format!("- url: {secret}\n  colour: blue\n"),
                "(line 2, column 3)",
            ),
            // a syntax error
            (format!("- url: [{secret}\n"), "(line 1, column 8)"),
            // an unknown top-level key beside `repositories`
            (
                format!("repositories:\n  - {secret}\nextra: 1\n"),
                "(line 3, column 1)",
            ),
            // an entry that is neither a URL nor a mapping
            (format!("- 42\n- {secret}\n"), "(line 1, column 3)"),
            // a key given twice
            (format!("- url: {secret}\n  url: b\n"), "(line 2, column 3)"),
            // two documents
            (format!("- {secret}\n---\n- b\n"), "(line 3, column 1)"),
        ];
        for (text, at) in cases {
            let err = parse(&text, "org.yaml").unwrap_err();
            assert!(
                err.starts_with(&format!("org.yaml: not a YAML manifest {at}: expected")),
                "{err}"
            );
            assert!(!err.contains("hunter2") && !err.contains('\n'), "{err}");
        }
        assert!(
            parse("", "m.yaml")
                .unwrap_err()
                .starts_with("m.yaml: not a YAML manifest")
        );
        // YAML anchors are fine where they make sense; an alias repeating a whole entry
        // repeats its name, which is refused as for any other duplicate.
        let shared = "- {name: a, url: u1, refs: &r {include: [refs/heads/*]}}\n- {name: b, url: u2, refs: *r}\n";
        let m = parse(shared, "m.yaml").unwrap();
        assert_eq!(m[1].include, ["refs/heads/*"]);
        assert!(
            parse("- &a {url: x}\n- *a\n", "m.yaml")
                .unwrap_err()
                .contains("both named 'x'")
        );
    }

    #[test]
    fn yaml_alias_bomb_is_refused_quickly() {
        // 60 KB that an unlimited reader would expand to 1,000 x 1,000 ref globs (1 M
        // strings): refused at the 100,000-event replay limit, within the reader's time.
        let mut bomb = String::from("- name: r0\n  url: u0\n  refs:\n    include: &g [");
        bomb += &vec!["refs/heads/x"; 1000].join(",");
        bomb += "]\n";
        for i in 1..1000 {
            bomb += &format!("- {{name: r{i}, url: u{i}, refs: {{include: *g}}}}\n");
        }
        let t = std::time::Instant::now();
        let err = parse(&bomb, "bomb.yaml").unwrap_err();
        assert!(
            err.starts_with("bomb.yaml: YAML manifest refused (line "),
            "{err}"
        );
        assert!(err.ends_with("exceed the reader's limits"), "{err}");
        assert!(t.elapsed() < std::time::Duration::from_secs(5));
        // Nested anchors (the classic billion laughs) stop at the first level the manifest's
        // types do not take, before any expansion.
        let mut laughs = String::from("- url: &a [l, l, l, l, l, l, l, l, l]\n");
        for (p, c) in ('a'..'i').zip('b'..'j') {
            laughs +=
                &format!("- url: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n");
        }
        assert!(parse(&laughs, "m.yaml").is_err());
    }

    #[test]
    fn the_kubernetes_configmap_holds_a_manifest_we_read() {
        #[derive(Deserialize)]
        struct ConfigMap {
            data: std::collections::BTreeMap<String, String>,
        }
        let text = include_str!("../../deploy/kubernetes/manifest-configmap.yaml");
        let map: ConfigMap = serde_saphyr::from_str(text).unwrap();
        let m = parse(&map.data["manifest.yaml"], "manifest.yaml").unwrap();
        let names: Vec<&str> = m.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["service-a", "service-b", "infra"]);
        assert_eq!(m[0].size, Some(52_000_000));
        assert!(!m[1].ref_filter().unwrap().matches("refs/heads/tmp/x"));
    }
}
