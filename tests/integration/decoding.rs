//! Decoded values and offline checksums, end to end: a real repository, the real hook, real
//! history, and the machine formats naming the decoding.

use serde_json::Value;

use crate::util::{TestRepo, b64, ours};

fn secret_manifest(password: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: billing-db\ntype: Opaque\ndata:\n  username: {}\n  DB_PASSWORD: {}\n",
        b64("billing_rw"),
        b64(password)
    )
}

fn json_findings(out: &crate::util::Output) -> Vec<Value> {
    let doc: Value = serde_json::from_str(&out.stdout_str()).expect("JSON document");
    doc["findings"].as_array().cloned().unwrap_or_default()
}

#[test]
fn kubernetes_secret_data_is_decoded_and_points_at_the_encoded_value() {
    let repo = TestRepo::new(ours());
    assert_eq!(repo.secrets(&["--register", "common"]).code, 0);
    let encoded = b64("Zr8Kq2Lm7Vx4Np!w");
    repo.write("k8s/db-secret.yaml", secret_manifest("Zr8Kq2Lm7Vx4Np!w"));
    repo.write("k8s/placeholder.yaml", secret_manifest("changeme"));

    let out = repo.secrets(&[
        "--scan",
        "--format",
        "json",
        "k8s/db-secret.yaml",
        "k8s/placeholder.yaml",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    let findings = json_findings(&out);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(f["path"], "k8s/db-secret.yaml");
    assert_eq!(f["line"], 8);
    assert_eq!(f["decoding"], "base64");
    // The columns are those of the encoded value on its line.
    let line = format!("  DB_PASSWORD: {encoded}");
    let col = line.find(&encoded).unwrap() + 1;
    assert_eq!(f["column"], col);
    assert_eq!(f["end_column"], col + encoded.len());

    let out = repo.secrets(&["--scan", "--format", "sarif", "k8s/db-secret.yaml"]);
    let doc: Value = serde_json::from_str(&out.stdout_str()).unwrap();
    assert_eq!(
        doc["runs"][0]["results"][0]["properties"]["decoding"],
        "base64"
    );

    // The human report prints the line as it is in the file.
    let out = repo.secrets(&["--scan", "k8s/db-secret.yaml"]);
    assert!(
        out.stderr_str()
            .starts_with(&format!("k8s/db-secret.yaml:8:{line}\n")),
        "{}",
        out.stderr_str()
    );

    // The hook blocks the commit; history finds it after a --no-verify commit.
    repo.secrets(&["--install"]);
    repo.stage(&["k8s/db-secret.yaml"]);
    assert_eq!(repo.commit("db secret").code, 1);
    assert_eq!(
        repo.git(&["commit", "-q", "--no-verify", "-m", "db"]).code,
        0
    );
    let out = repo.secrets(&["--scan-history", "--format", "json"]);
    let findings = json_findings(&out);
    assert!(
        findings
            .iter()
            .any(|f| f["decoding"] == "base64" && f["line"] == 8),
        "{findings:#?}"
    );
}

#[test]
fn basic_auth_header_hides_a_token_and_a_placeholder_stays_quiet() {
    let repo = TestRepo::new(ours());
    assert_eq!(repo.secrets(&["--register", "common"]).code, 0);
    // A GitLab token as the password of a Basic header: found once decoded.
    let token_header = format!(
        "curl -H 'Authorization: Basic {}' https://gitlab.acme.io/api/v4/projects\n",
        b64("ci:glpat-Vq7tR2mZx9LkP4sWbN3c")
    );
    let placeholder = format!(
        "curl -H 'Authorization: Basic {}' https://gitlab.acme.io/api/v4/projects\n",
        b64("user:changeme")
    );
    repo.write("token.sh", &token_header);
    repo.write("placeholder.sh", &placeholder);
    let out = repo.secrets(&["--scan", "--format", "json", "token.sh", "placeholder.sh"]);
    let findings = json_findings(&out);
    let rules: Vec<(&str, &str, Option<&str>)> = findings
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap(),
                f["rule"]["id"].as_str().unwrap(),
                f["decoding"].as_str(),
            )
        })
        .collect();
    assert!(
        rules
            .iter()
            .any(|(p, r, d)| *p == "token.sh" && r.starts_with("gitlab") && *d == Some("base64")),
        "{rules:?}"
    );
    assert!(
        rules.iter().all(|(p, _, _)| *p != "placeholder.sh"),
        "{rules:?}"
    );
}

/// A token of GitHub's format: 30 base62 characters and the CRC-32 of them in base62. The
/// CRC is computed here bit by bit, independently of the crate the engine uses.
fn checksummed(prefix: &str, random: &str) -> String {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in random.as_bytes() {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    let mut n = !crc;
    const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut check = [b'0'; 6];
    for slot in check.iter_mut().rev() {
        *slot = B62[(n % 62) as usize];
        n /= 62;
    }
    format!("{prefix}{random}{}", std::str::from_utf8(&check).unwrap())
}

#[test]
fn checksums_drop_look_alikes_and_lift_confidence() {
    let repo = TestRepo::new(ours());
    let good = checksummed("ghp_", "hT4nW8qZ2vK6mR1xL9cB5dF3gJ7pS0");
    // The same token with its last checksum digit changed.
    let mut bad = good.clone();
    let last = bad.pop().unwrap();
    bad.push(if last == 'a' { 'b' } else { 'a' });
    repo.write(
        "tokens.toml",
        r#"
[[rule]]
id = "t.gh"
description = "GitHub-format token"
pattern = '(ghp_[A-Za-z0-9]{36})'
secret_group = 1
confidence = "medium"
checksum = "github-crc32"
"#,
    );
    assert_eq!(
        repo.secrets(&["--register", "tokens.toml"]).code,
        0,
        "register"
    );
    repo.write("good.env", format!("GH={good}\n"));
    repo.write("bad.env", format!("GH={bad}\n"));
    let out = repo.secrets(&["--scan", "--format", "json", "good.env", "bad.env"]);
    let findings = json_findings(&out);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["path"], "good.env");
    assert_eq!(findings[0]["rule"]["confidence"], "high");

    // The built-in GitHub rule drops the look-alike too.
    assert_eq!(repo.secrets(&["--register", "common"]).code, 0);
    let out = repo.secrets(&["--scan", "--format", "json", "bad.env"]);
    assert_eq!(json_findings(&out).len(), 0, "{}", out.stdout_str());
    let out = repo.secrets(&["--scan", "--format", "json", "good.env"]);
    assert!(
        json_findings(&out)
            .iter()
            .any(|f| f["rule"]["id"] == "github.pat-classic"),
        "{}",
        out.stdout_str()
    );
}

/// A SealedSecret's `encryptedData:` values are ciphertext (safe in Git by design): the
/// generic YAML rule, which reports a plain `password: <value>`, is quiet on them, while the
/// same value under a plain key of another manifest is still reported.
#[test]
fn sealed_secret_ciphertext_is_not_a_credential() {
    let repo = TestRepo::new(ours());
    assert_eq!(repo.secrets(&["--register", "common"]).code, 0);
    // Ciphertext-shaped: what kubeseal writes starts with the 2-byte length of the
    // RSA-encrypted session key (0x0200 for a 4096-bit key: base64 "AgA...").
    let mut raw = vec![0x02u8, 0x00];
    let mut x: u32 = 0x9e37_79b9;
    for _ in 0..300 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        raw.push((x >> 24) as u8);
    }
    let cipher = {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        raw.chunks(3)
            .flat_map(|c| {
                let n = c
                    .iter()
                    .enumerate()
                    .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
                (0..4).map(move |i| {
                    if i <= c.len() {
                        A[(n >> (18 - 6 * i) & 63) as usize] as char
                    } else {
                        '='
                    }
                })
            })
            .collect::<String>()
    };
    repo.write(
        "k8s/sealed.yaml",
        format!(
            "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n  encryptedData:\n    password: {cipher}\n"
        ),
    );
    repo.write(
        "k8s/plain.yaml",
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  password: tGSU8po!799NksnR\n",
    );
    let out = repo.secrets(&[
        "--scan",
        "--format",
        "json",
        "k8s/sealed.yaml",
        "k8s/plain.yaml",
    ]);
    let findings = json_findings(&out);
    let paths: Vec<&str> = findings.iter().filter_map(|f| f["path"].as_str()).collect();
    assert_eq!(paths, ["k8s/plain.yaml"], "{findings:#?}");
}
