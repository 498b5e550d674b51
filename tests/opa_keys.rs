//! PEM public keys for OPA's bundle signature verification: `keygen` writes
//! FILE.pub.pem, `signers --format pem` prints the declared signers', and an
//! independent JWS implementation (Python's PyJWT) verifies the bundle's
//! `.signatures.json` with that PEM.

mod common;

use base64ct::{Base64UrlUnpadded, Encoding};
use common::{govern_in, Repo};
use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

/// Decodes `token` with PyJWT as an EdDSA JWT verified by `pem`; returns the
/// payload as JSON, or PyJWT's complaint.
fn pyjwt_decode(token: &str, pem: &str) -> Result<serde_json::Value, String> {
    const SCRIPT: &str = "import json, sys\n\
        import jwt\n\
        given = json.load(sys.stdin)\n\
        try:\n    print(json.dumps(jwt.decode(given['token'], given['pem'], algorithms=['EdDSA'])))\n\
        except jwt.InvalidTokenError as e:\n    print('rejected: %r' % e, file=sys.stderr); sys.exit(1)\n";
    let out = common::python(
        SCRIPT,
        &serde_json::json!({"token": token, "pem": pem}),
        "pyjwt cryptography",
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stderr.contains("ModuleNotFoundError") && !stderr.contains("ImportError"),
        "PyJWT is missing: `pip install pyjwt cryptography`\n{stderr}"
    );
    if out.status.success() {
        Ok(serde_json::from_slice(&out.stdout).unwrap())
    } else {
        assert!(stderr.contains("rejected:"), "PyJWT failed: {stderr}");
        Err(stderr)
    }
}

fn bundle_files(path: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let gz = flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap());
    let mut archive = tar::Archive::new(gz);
    let mut files = std::collections::BTreeMap::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.insert(name, bytes);
    }
    files
}

#[test]
fn pyjwt_verifies_the_bundle_signature_with_the_pem_from_keygen() {
    let tmp = tempfile::tempdir().unwrap();
    let key = tmp.path().join("bundle-key");
    let run = govern_in(tmp.path(), &["keygen", "--out", key.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let pem = std::fs::read_to_string(tmp.path().join("bundle-key.pub.pem")).unwrap();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"), "{pem}");
    assert!(pem.ends_with("-----END PUBLIC KEY-----\n"), "{pem}");

    let out = tmp.path().join("dist");
    common::build(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &out,
        &["--sign-bundle", key.to_str().unwrap()],
    );
    let files = bundle_files(&out.join("bundles/opa/bundle.tar.gz"));
    let signatures: serde_json::Value = serde_json::from_slice(&files[".signatures.json"]).unwrap();
    let token = signatures["signatures"][0].as_str().unwrap();

    let payload = pyjwt_decode(token, &pem).expect("PyJWT accepts the token");
    let listed: BTreeSet<&str> = payload["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    let expected: BTreeSet<&str> = files
        .keys()
        .map(String::as_str)
        .filter(|n| *n != ".signatures.json")
        .collect();
    assert_eq!(listed, expected);
    assert!(listed.contains("governance/authz.rego"), "{listed:?}");

    // A payload that lists another hash, under the original signature.
    let parts: Vec<&str> = token.split('.').collect();
    let mut forged = payload.clone();
    forged["files"][0]["hash"] = serde_json::json!("0".repeat(64));
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        Base64UrlUnpadded::encode_string(forged.to_string().as_bytes()),
        parts[2]
    );
    assert!(
        pyjwt_decode(&forged, &pem).is_err(),
        "PyJWT accepted a tampered token"
    );

    let other = tmp.path().join("other-key");
    let run = govern_in(tmp.path(), &["keygen", "--out", other.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let other_pem = std::fs::read_to_string(tmp.path().join("other-key.pub.pem")).unwrap();
    assert!(
        pyjwt_decode(token, &other_pem).is_err(),
        "PyJWT accepted the token with another key"
    );
}

#[test]
fn keygen_never_writes_over_an_existing_pem_and_prints_the_pem_of_a_key() {
    let tmp = tempfile::tempdir().unwrap();
    let key = tmp.path().join("k");
    let pem_path = tmp.path().join("k.pub.pem");
    std::fs::write(&pem_path, "keep me\n").unwrap();
    let run = govern_in(tmp.path(), &["keygen", "--out", key.to_str().unwrap()]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&pem_path).unwrap(), "keep me\n");
    assert!(!key.exists(), "no key without its PEM");

    std::fs::remove_file(&pem_path).unwrap();
    let run = govern_in(tmp.path(), &["keygen", "--out", key.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let written = std::fs::read_to_string(&pem_path).unwrap();
    for of in ["k.pub", "k"] {
        let path = tmp.path().join(of);
        let run = govern_in(
            tmp.path(),
            &["keygen", "--public-pem", path.to_str().unwrap()],
        );
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert_eq!(run.stdout, written, "the PEM of {of}");
    }
}

fn repo_with_signers(signers: &[(&str, &str)]) -> Repo {
    let mut repo = Repo::new();
    let mut settings = String::from(
        "[organization]\nname = \"Pem Corp\"\n\n[policy]\nframeworks = [\"owasp-agentic-top10-2026\"]\n",
    );
    for (id, key) in signers {
        settings.push_str(&format!(
            "\n[[signer]]\nid = \"{id}\"\nteam = \"governance-office\"\npublic-key = \"{key}\"\n"
        ));
    }
    repo.write("governance/governance.toml", &settings);
    repo.write(
        "governance/teams.toml",
        "[[team]]\nid = \"governance-office\"\n",
    );
    repo.commit("Declare governance");
    repo
}

#[test]
fn signers_prints_each_signer_as_pem_after_a_line_naming_it() {
    let keys = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    for name in ["office", "backup"] {
        let key = keys.path().join(name);
        let run = govern_in(keys.path(), &["keygen", "--out", key.to_str().unwrap()]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let public = std::fs::read_to_string(keys.path().join(format!("{name}.pub"))).unwrap();
        lines.push(public.trim().to_string());
    }
    let repo = repo_with_signers(&[("office", &lines[0]), ("backup", &lines[1])]);
    let run = repo.govern(&["--format", "pem", "signers"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let pem =
        |name: &str| std::fs::read_to_string(keys.path().join(format!("{name}.pub.pem"))).unwrap();
    assert_eq!(
        run.stdout,
        format!(
            "# office (governance-office)\n{}\n# backup (governance-office)\n{}",
            pem("office"),
            pem("backup")
        )
    );

    let refused = repo.govern(&["--format", "pem", "check"]);
    assert_eq!(refused.code, Some(2), "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("invalid value 'pem' for '--format <FORMAT>'")
            && refused
                .stderr
                .contains("[possible values: human, json, sarif, github, markdown]"),
        "{}",
        refused.stderr
    );
}

#[test]
fn signers_without_any_signer_exits_1_and_says_how_to_add_one() {
    let repo = repo_with_signers(&[]);
    let out = repo.path().join("allowed_signers");
    for format in ["human", "pem"] {
        let run = repo.govern(&[
            "--format",
            format,
            "signers",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert!(run.stderr.contains("no [[signer]]"), "{}", run.stderr);
        assert!(
            run.stderr.contains("govern keygen --out KEY"),
            "{}",
            run.stderr
        );
        assert!(!out.exists(), "nothing written");
        assert_eq!(run.stdout, "");
    }
}
