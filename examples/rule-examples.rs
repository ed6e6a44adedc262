//! Prints every rule of the built-in packs with its examples, one JSON object a line
//! (`{"pack", "id", "examples"}`), after families are expanded: `scripts/quality` scores
//! these, and a `[[family]]` provider's examples exist only once the family is expanded
//! (Python's TOML reader sees the family's templates, not its ~950 rules).
//!
//!     cargo run --release --example rule-examples

use git_secrets::report;
use git_secrets::rules::{BUILTIN_PACKS, RuleSet};

fn main() -> std::process::ExitCode {
    let mut out = String::new();
    for (pack, _) in BUILTIN_PACKS {
        let set = match RuleSet::builtin(pack) {
            Some(Ok(set)) => set,
            Some(Err(e)) => {
                report::err(format!("rule-examples: pack '{pack}': {e}\n").as_bytes());
                return std::process::ExitCode::FAILURE;
            }
            None => continue,
        };
        for rule in set.rules() {
            let line = serde_json::json!({
                "pack": pack,
                "id": rule.id,
                "examples": rule.examples(),
            });
            out.push_str(&line.to_string());
            out.push('\n');
        }
    }
    report::out(out.as_bytes());
    std::process::ExitCode::SUCCESS
}
