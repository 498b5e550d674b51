//! `govern build --sign-bundle KEY`: the OPA bundle carries a
//! `.signatures.json` whose EdDSA JWT verifies and lists every file.

mod common;

use base64ct::{Base64UrlUnpadded, Encoding};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::Command;

fn write_key(path: &Path) -> VerifyingKey {
    let pair = ssh_key::private::Ed25519Keypair::from_seed(&[7u8; 32]);
    let public = VerifyingKey::from_bytes(&pair.public.0).unwrap();
    let key = ssh_key::PrivateKey::from(pair);
    std::fs::write(
        path,
        key.to_openssh(ssh_key::LineEnding::LF).unwrap().as_bytes(),
    )
    .unwrap();
    public
}

fn untar(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let gz = flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap());
    let mut archive = tar::Archive::new(gz);
    let mut files = BTreeMap::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.insert(name, bytes);
    }
    files
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// OPA hashes JSON files over their compact form with sorted keys; govern
/// writes them with sorted keys, so parsing and re-serializing compactly
/// gives that form.
fn opa_hash(name: &str, bytes: &[u8]) -> String {
    if name.ends_with(".json") || name.ends_with(".manifest") {
        let value: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        hex(&Sha256::digest(
            serde_json::to_string(&value).unwrap().as_bytes(),
        ))
    } else {
        hex(&Sha256::digest(bytes))
    }
}

#[test]
fn a_signed_bundle_lists_every_file_and_its_signature_verifies() {
    let tmp = tempfile::tempdir().unwrap();
    let key = tmp.path().join("bundle-key");
    let public = write_key(&key);
    let out = tmp.path().join("dist");
    common::build(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &out,
        &["--sign-bundle", key.to_str().unwrap()],
    );

    let files = untar(&out.join("bundles/opa/bundle.tar.gz"));
    let signatures: serde_json::Value = serde_json::from_slice(&files[".signatures.json"]).unwrap();
    let jwt = signatures["signatures"][0].as_str().unwrap();
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: serde_json::Value =
        serde_json::from_slice(&Base64UrlUnpadded::decode_vec(parts[0]).unwrap()).unwrap();
    assert_eq!(header["alg"], "EdDSA");
    let signature =
        Signature::from_slice(&Base64UrlUnpadded::decode_vec(parts[2]).unwrap()).unwrap();
    let signed = format!("{}.{}", parts[0], parts[1]);
    public
        .verify(signed.as_bytes(), &signature)
        .expect("the JWT verifies");

    let payload: serde_json::Value =
        serde_json::from_slice(&Base64UrlUnpadded::decode_vec(parts[1]).unwrap()).unwrap();
    let listed: BTreeMap<String, String> = payload["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["algorithm"], "SHA-256");
            (
                f["name"].as_str().unwrap().to_string(),
                f["hash"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: BTreeMap<String, String> = files
        .iter()
        .filter(|(name, _)| name.as_str() != ".signatures.json")
        .map(|(name, bytes)| (name.clone(), opa_hash(name, bytes)))
        .collect();
    assert_eq!(listed, expected);

    let mut tampered = signed.into_bytes();
    tampered[10] ^= 1;
    assert!(public.verify(&tampered, &signature).is_err());
}

#[test]
fn a_key_that_is_not_a_key_is_refused_with_exit_3() {
    let tmp = tempfile::tempdir().unwrap();
    let key = tmp.path().join("not-a-key");
    std::fs::write(&key, "hello").unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_govern"))
        .args([
            "--repo",
            env!("CARGO_MANIFEST_DIR"),
            "--today",
            "2026-11-23",
        ])
        .args([
            "build",
            "--out",
            tmp.path().join("dist").to_str().unwrap(),
            "--sign-bundle",
        ])
        .arg(&key)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&run.stderr).contains("not an OpenSSH private key"));
    assert!(!tmp.path().join("dist").exists());
}
