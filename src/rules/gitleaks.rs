//! Loading a gitleaks configuration (`[[rules]]` with `regex`, `keywords`, `entropy`,
//! `secretGroup`, `path`, allowlists) as a registry, so teams can bring their existing rules.
//!
//! gitleaks patterns are Go RE2, which the regex crate reads as is for practical purposes.
//! What has no equivalent here (composite `required` rules, commit allowlists, `extend` of
//! gitleaks' own defaults, path-only rules, line-targeted allowlists) is refused with an error
//! naming the rule and the key, rather than dropped.

use toml::Value;

use crate::rules::{AllowedSpec, RegistryFile, RuleSpec};

type Problem = (Option<String>, String);

/// Whether `text` looks like a gitleaks config: a `[[rules]]` array and no `[[rule]]`.
pub fn is_gitleaks_config(text: &str) -> bool {
    match text.parse::<toml::Table>() {
        Ok(t) => t.get("rules").is_some_and(Value::is_array) && t.get("rule").is_none(),
        Err(_) => false,
    }
}

fn strings(v: Option<&Value>, what: &str, rule: &Option<String>) -> Result<Vec<String>, Problem> {
    match v {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| (rule.clone(), format!("{what} must be a list of strings")))
            })
            .collect(),
        Some(_) => Err((rule.clone(), format!("{what} must be a list of strings"))),
    }
}

/// Allowlist tables (`allowlist = {..}` or `[[allowlists]]`) as our allowed entries.
fn allowlists(
    table: &toml::Table,
    rule: &Option<String>,
    out: &mut Vec<AllowedSpec>,
) -> Result<(), Problem> {
    let mut lists: Vec<&toml::Table> = Vec::new();
    if let Some(v) = table.get("allowlist") {
        lists.push(
            v.as_table()
                .ok_or_else(|| (rule.clone(), "allowlist must be a table".to_string()))?,
        );
    }
    if let Some(Value::Array(items)) = table.get("allowlists") {
        for i in items {
            lists.push(
                i.as_table()
                    .ok_or_else(|| (rule.clone(), "allowlists must be tables".to_string()))?,
            );
        }
    }
    let rules: Vec<String> = rule.iter().cloned().collect();
    for list in lists {
        for key in list.keys() {
            match key.as_str() {
                "description" | "regexes" | "stopwords" | "paths" | "condition" => {}
                "regexTarget" => {
                    if list
                        .get(key)
                        .and_then(Value::as_str)
                        .is_some_and(|t| t != "secret")
                    {
                        return Err((
                            rule.clone(),
                            "allowlist regexTarget other than \"secret\" cannot be translated"
                                .into(),
                        ));
                    }
                }
                other => {
                    return Err((
                        rule.clone(),
                        format!("allowlist key '{other}' cannot be translated"),
                    ));
                }
            }
        }
        if list
            .get("condition")
            .and_then(Value::as_str)
            .is_some_and(|c| c.eq_ignore_ascii_case("AND"))
        {
            return Err((
                rule.clone(),
                "allowlist condition = \"AND\" cannot be translated".into(),
            ));
        }
        for regex in strings(list.get("regexes"), "allowlist.regexes", rule)? {
            out.push(AllowedSpec {
                pattern: regex,
                description: String::new(),
                rules: rules.clone(),
                paths: Vec::new(),
                path_regex: None,
            });
        }
        for word in strings(list.get("stopwords"), "allowlist.stopwords", rule)? {
            out.push(AllowedSpec {
                pattern: format!("(?i){}", regex::escape(&word)),
                description: String::new(),
                rules: rules.clone(),
                paths: Vec::new(),
                path_regex: None,
            });
        }
        for path in strings(list.get("paths"), "allowlist.paths", rule)? {
            out.push(AllowedSpec {
                pattern: String::new(),
                description: String::new(),
                rules: rules.clone(),
                paths: Vec::new(),
                path_regex: Some(path),
            });
        }
    }
    Ok(())
}

/// Translate a gitleaks config into a registry.
pub(crate) fn translate(text: &str) -> Result<RegistryFile, Problem> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| (None, e.message().to_string()))?;
    for key in table.keys() {
        match key.as_str() {
            "title" | "description" | "rules" | "allowlist" | "allowlists" | "minVersion" => {}
            "extend" => {
                return Err((
                    None,
                    "[extend] cannot be translated: gitleaks' default rules are not bundled (use `git secrets --register common`)".into(),
                ));
            }
            other => return Err((None, format!("key '{other}' cannot be translated"))),
        }
    }
    let mut rules = Vec::new();
    let mut allowed = Vec::new();
    allowlists(&table, &None, &mut allowed)?;
    for item in table
        .get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let t = item
            .as_table()
            .ok_or_else(|| (None, "rules must be tables".to_string()))?;
        let id = t.get("id").and_then(Value::as_str).map(str::to_string);
        let Some(id_str) = id.clone() else {
            return Err((None, "a rule has no id".into()));
        };
        for key in t.keys() {
            match key.as_str() {
                "id" | "description" | "regex" | "secretGroup" | "entropy" | "keywords"
                | "path" | "tags" | "allowlist" | "allowlists" => {}
                other => return Err((id.clone(), format!("key '{other}' cannot be translated"))),
            }
        }
        let Some(regex) = t.get("regex").and_then(Value::as_str) else {
            return Err((
                id.clone(),
                "rules without a regex (path-only rules) cannot be translated".into(),
            ));
        };
        let secret_group = match t.get("secretGroup") {
            None => None,
            Some(Value::Integer(g)) if *g > 0 => Some(*g as usize),
            Some(Value::Integer(_)) => None,
            Some(_) => return Err((id.clone(), "secretGroup must be an integer".into())),
        };
        let min_entropy = match t.get("entropy") {
            None => None,
            Some(Value::Float(f)) => Some(*f),
            Some(Value::Integer(i)) => Some(*i as f64),
            Some(_) => return Err((id.clone(), "entropy must be a number".into())),
        };
        let keywords = strings(t.get("keywords"), "keywords", &id)?;
        rules.push(RuleSpec {
            id: id_str,
            description: t
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            pattern: regex.to_string(),
            syntax: Default::default(),
            keywords: (!keywords.is_empty()).then_some(keywords),
            severity: None,
            confidence: Default::default(),
            secret_group,
            min_entropy,
            filter: None,
            checksum: None,
            paths: Vec::new(),
            path_regex: t.get("path").and_then(Value::as_str).map(str::to_string),
            references: Vec::new(),
            examples: Vec::new(),
            negative_examples: Vec::new(),
            lazy_examples: None,
            lazy_pattern: None,
            lazy_multiline: None,
            keyword_anchor: None,
            keywords_in_every_match: false,
        });
        allowlists(t, &id, &mut allowed)?;
    }
    Ok(RegistryFile {
        pack: None,
        rules,
        allowed,
        families: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::RuleSet;

    #[test]
    fn loads_a_gitleaks_config() {
        let set = RuleSet::from_toml(
            r#"
title = "team rules"
[[rules]]
id = "team-token"
description = "Team token"
regex = '''(?i)team_token\s*=\s*['"]?(tt_[a-z0-9]{20})'''
secretGroup = 1
entropy = 3.0
keywords = ["team_token"]
[rules.allowlist]
stopwords = ["dummy"]
[allowlist]
paths = ['''(^|/)testdata/''']
"#,
            "gitleaks.toml",
        )
        .unwrap();
        let hits = set.scan(b"team_token = tt_a8f3k2m9x7q1w5e4r6t0", Some(b"src/a.rs"));
        assert_eq!(hits.len(), 1);
        assert!(
            set.scan(
                b"team_token = tt_a8f3k2m9x7q1w5e4r6t0",
                Some(b"testdata/a.rs")
            )
            .is_empty()
        );
        assert!(
            set.scan(b"team_token = tt_dummyk2m9x7q1w5e4r6t0", Some(b"a.rs"))
                .is_empty()
        );
    }

    #[test]
    fn refuses_what_it_cannot_translate() {
        let err = |t: &str| RuleSet::from_toml(t, "g.toml").unwrap_err().to_string();
        assert_eq!(
            err("[[rules]]\nid = \"a\"\nregex = \"x\"\n[[rules.required]]\nid = \"b\"\n"),
            "g.toml: rule 'a': key 'required' cannot be translated"
        );
        assert!(
            err("[extend]\nuseDefault = true\n[[rules]]\nid = \"a\"\nregex = \"x\"\n")
                .contains("[extend] cannot be translated")
        );
        assert_eq!(
            err("[[rules]]\nid = \"a\"\npath = '''\\.pem$'''\n"),
            "g.toml: rule 'a': rules without a regex (path-only rules) cannot be translated"
        );
        assert_eq!(
            err("[[rules]]\nid = \"a\"\nregex = \"x\"\n[rules.allowlist]\ncommits = [\"abc\"]\n"),
            "g.toml: rule 'a': allowlist key 'commits' cannot be translated"
        );
    }
}
