//! The manifest of an organisation audit: which repositories, under which names, which refs.
//!
//! Two forms, told apart by the first non-blank character:
//!
//! * lines: `<url-or-path> [<name>] [size=<bytes>]`, `#` starts a comment;
//! * JSON (`[` or `{`): an array, or `{"repositories": [...]}`, of URLs or objects
//!   `{"name", "url", "size", "refs": {"include": [globs], "exclude": [globs]}}`.
//!
//! YAML is not read: its full grammar needs a parser we do not depend on, and a subset that
//! silently misreads a valid file would drop repositories from an audit. A `.yaml`/`.yml`
//! manifest is refused with a message saying to use JSON or lines.

use std::collections::HashMap;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

/// One repository of the manifest.
#[derive(Debug, Clone)]
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

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonDoc {
    List(Vec<JsonEntry>),
    Object { repositories: Vec<JsonEntry> },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonEntry {
    Url(String),
    Full(JsonRepo),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonRepo {
    name: Option<String>,
    url: String,
    size: Option<u64>,
    #[serde(default)]
    refs: JsonRefs,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct JsonRefs {
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
}

/// The default name of a repository: its canonical form (host and path, no credentials,
/// transport or `.git`).
fn default_name(url: &str) -> String {
    crate::formats::canonical_repository(url)
}

/// Parse manifest `text`; `origin` names the file in messages.
pub(crate) fn parse(text: &str, origin: &str) -> Result<Vec<Entry>, String> {
    if origin.ends_with(".yaml") || origin.ends_with(".yml") {
        return Err(format!(
            "{origin}: YAML manifests are not supported; write the manifest as JSON or as one URL a line"
        ));
    }
    let entries = match text.trim_start().chars().next() {
        Some('[' | '{') => parse_json(text, origin)?,
        _ => parse_lines(text, origin)?,
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

fn parse_json(text: &str, origin: &str) -> Result<Vec<Entry>, String> {
    let doc: JsonDoc = serde_json::from_str(text).map_err(|e| {
        format!(
            "{origin}: not a manifest (line {}, column {}): expected an array of URLs or of {{\"name\", \"url\", \"size\", \"refs\"}} objects",
            e.line(),
            e.column()
        )
    })?;
    let list = match doc {
        JsonDoc::List(l) | JsonDoc::Object { repositories: l } => l,
    };
    Ok(list
        .into_iter()
        .map(|e| match e {
            JsonEntry::Url(url) => Entry {
                name: default_name(&url),
                url,
                size: None,
                include: Vec::new(),
                exclude: Vec::new(),
            },
            JsonEntry::Full(r) => Entry {
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
        .collect())
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
        assert!(parse("- url: x\n", "m.yaml").unwrap_err().contains("YAML"));
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
}
