//! Passwords people choose, in the places whose syntax says "password", end to end: a real
//! repository, the real `--scan`, the machine format. The values are words and digits with
//! far less entropy than a token (the held-out corpus of issue 12 missed them all before the
//! `password` filter), next to the placeholders that must stay quiet in the same places.

use serde_json::Value;

use crate::util::{TestRepo, b64, ours};

/// (path, line) of every finding of a JSON `--scan` of `paths`.
fn found(repo: &TestRepo, paths: &[&str]) -> Vec<(String, u64)> {
    let mut args = vec!["--scan", "--format", "json"];
    args.extend_from_slice(paths);
    let out = repo.secrets(&args);
    assert!(out.code <= 1, "{}", out.stderr_str());
    let doc: Value = serde_json::from_str(&out.stdout_str()).expect("JSON document");
    let mut v: Vec<(String, u64)> = doc["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

#[test]
fn chosen_passwords_are_found_where_the_syntax_says_password() {
    let repo = TestRepo::new(ours());
    assert_eq!(repo.secrets(&["--register", "common"]).code, 0);
    let files: &[(&str, String, u64)] = &[
        (
            "conf/hive-site.xml",
            "<configuration>\n  <property>\n    <name>javax.jdo.option.ConnectionPassword</name>\n    <value>maplequartzlantern</value>\n  </property>\n</configuration>\n".into(),
            4,
        ),
        (
            "App/Info.plist",
            "<plist version=\"1.0\">\n<dict>\n\t<key>STRIPE_SECRET_KEY</key>\n\t<string>Q1y3GQsMpSscDlkrCaqx9vJupc94tnwl</string>\n</dict>\n</plist>\n".into(),
            4,
        ),
        (".netrc", "machine git.acme.io login ci password emberwillowquartz\n".into(), 1),
        ("pip.conf", "[global]\nindex-url = https://ci:Autumn2023@pypi.acme.io/simple/\n".into(), 2),
        (
            "deploy/api.service",
            "[Service]\nEnvironment=\"REDIS_PASSWORD=Maple?7harbor\"\n".into(),
            2,
        ),
        (
            "k8s/secret.yaml",
            format!("apiVersion: v1\nkind: Secret\ntype: Opaque\ndata:\n  SMTP_PASS: {}\n", b64("Harbor2021!")),
            5,
        ),
        ("bin/htpasswd.sh", "htpasswd -b -c /etc/nginx/.htpasswd ops copper41_copper\n".into(), 1),
    ];
    for (path, text, _) in files {
        repo.write(path, text);
    }
    let paths: Vec<&str> = files.iter().map(|f| f.0).collect();
    let want: Vec<(String, u64)> = {
        let mut w: Vec<(String, u64)> = files.iter().map(|f| (f.0.to_string(), f.2)).collect();
        w.sort();
        w
    };
    assert_eq!(found(&repo, &paths), want);

    // The same places holding placeholders, references and masks: nothing.
    let quiet: &[(&str, String)] = &[
        (
            "conf/core-site.xml",
            "<property>\n  <name>fs.s3a.secret.key</name>\n  <value>${env.S3_SECRET}</value>\n</property>\n".into(),
        ),
        (".netrc.sample", "machine git.acme.io login ci password changeme\n".into()),
        ("pip.sample.conf", "index-url = https://user:password@pypi.acme.io/simple/\n".into()),
        ("deploy/worker.service", "Environment=\"REDIS_PASSWORD=${REDIS_PASSWORD}\"\n".into()),
        (
            "k8s/placeholder.yaml",
            format!("kind: Secret\ndata:\n  SMTP_PASS: {}\n", b64("password123")),
        ),
        ("logs/app.log", "2025-03-02T10:14:07Z DEBUG config loaded smtp_password=[FILTERED]\n".into()),
        ("docs/keys.md", "| `token` | `AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX` |\n".into()),
    ];
    for (path, text) in quiet {
        repo.write(path, text);
    }
    let paths: Vec<&str> = quiet.iter().map(|f| f.0).collect();
    assert_eq!(found(&repo, &paths), vec![]);
}
