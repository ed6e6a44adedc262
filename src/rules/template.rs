//! Filling a family's templates: shared by [`super::family`] and `build.rs`, which writes the
//! gate facts of the providers whose patterns it can spell at build time (see
//! `builtin_literals.rs`), so both must fill a template the same way, byte for byte.

/// After a token: not a letter, digit, `_` or `-` (which would make it a longer word).
pub const GENERIC_END: &str = "(?:[^A-Za-z0-9_-]|$)";

/// A provider's `secret` regex as a family's pattern holds it: case-sensitive whatever the
/// template's flags (a template's `(?i)` is for the name, not the token).
pub fn given_secret(secret: &str) -> String {
    format!("(?-i:{secret})")
}

/// `template` with each `{name}` of `vars` replaced by its value (values are not scanned
/// again); any other `{` stays as it is (regex repetitions such as `{0,30}`).
pub fn substitute(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let var = after.find('}').and_then(|close| {
            let name = &after[..close];
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match var {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A line of a family's `providers_text`, `id | name | key=value | ...` (fields separated by
/// space, bar, space): its id, its name and its fields as trimmed `(key, value)` pairs, each an
/// error naming the field when it is not `key=value`; or an error when there is no name.
#[allow(clippy::type_complexity)]
pub fn provider_line(
    line: &str,
) -> Result<
    (
        &str,
        &str,
        impl Iterator<Item = Result<(&str, &str), String>>,
    ),
    String,
> {
    let mut parts = line.split(" | ");
    let id = parts.next().unwrap_or("").trim();
    let name = parts
        .next()
        .ok_or("expected `id | name | key=value...`")?
        .trim();
    let fields = parts.map(|field| {
        field
            .split_once('=')
            .map(|(key, value)| (key.trim(), value.trim()))
            .ok_or_else(|| format!("'{}' is not key=value", field.trim()))
    });
    Ok((id, name, fields))
}
