//! The OPA bundle: `.manifest`, `governance/data.json` and
//! `governance/authz.rego`, packed into a deterministic `bundle.tar.gz`
//! (sorted entries, fixed metadata, gzip without a timestamp).
//!
//! The Rego policy is the same text for every repository; everything that
//! varies lives in data.json, so no id can ever break or inject policy code.

use super::runtime::AssetRuntime;
use super::{json, Error, Provenance, Templates};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;

/// The files of the bundle, by path inside the archive.
pub fn files(
    runtimes: &[AssetRuntime],
    provenance: &Provenance,
    templates: &Templates,
) -> Result<BTreeMap<String, Vec<u8>>, Error> {
    let assets: BTreeMap<&str, &AssetRuntime> = runtimes.iter().map(|r| (r.id, r)).collect();
    let revision = provenance
        .commit
        .clone()
        .unwrap_or_else(|| "worktree".into());
    let manifest = json!({
        "revision": revision,
        "roots": ["governance"],
        "rego_version": 1,
        "metadata": {
            "generator": "govern",
            "version": env!("CARGO_PKG_VERSION"),
            "commit": provenance.commit,
        },
    });
    let mut files = BTreeMap::new();
    files.insert(".manifest".to_string(), json::value_bytes(manifest));
    files.insert("governance/data.json".to_string(), data_json(&assets));
    files.insert(
        "governance/authz.rego".to_string(),
        templates.render("authz.rego", ())?.into_bytes(),
    );
    Ok(files)
}

/// `data.json`, written straight from the runtime data, keys sorted: a file
/// for OPA, laid out one asset a line.
fn data_json(assets: &BTreeMap<&str, &AssetRuntime>) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Data<'a> {
        assets: &'a BTreeMap<&'a str, &'a AssetRuntime<'a>>,
    }
    json::lines_bytes(&Data { assets }, 2)
}

/// Packs `files` into a gzipped tar with fixed metadata, entries sorted.
pub fn archive(files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let gz = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    tar.mode(tar::HeaderMode::Deterministic);
    for (path, bytes) in files {
        let mut header = tar::Header::new_ustar();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        header.set_entry_type(tar::EntryType::Regular);
        // Writing into memory cannot fail; paths are our own, short and relative.
        tar.append_data(&mut header, path, bytes.as_slice())
            .expect("writing a tar entry into memory");
    }
    let gz = tar.into_inner().expect("finishing a tar in memory");
    let mut out = gz.finish().expect("finishing gzip in memory");
    out.flush().expect("flushing memory");
    out
}

/// Returns the hex SHA-256 of a bundle file as OPA computes it for
/// signatures: JSON files and `.manifest` over their canonical JSON (keys
/// sorted, no whitespace), every other file over its bytes.
pub fn signature_hash(path: &str, bytes: &[u8]) -> String {
    let structured = path.ends_with(".json") || path.ends_with(".manifest");
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value) if structured => {
            let mut text = String::new();
            canonical(&value, &mut text);
            super::manifest::sha256_hex(text.as_bytes())
        }
        _ => super::manifest::sha256_hex(bytes),
    }
}

/// Writes `value` as OPA's bundle hasher does: sorted keys, no whitespace,
/// strings escaped as Go's JSON encoder escapes them without HTML escaping.
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_string(key, out);
                out.push(':');
                canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        Value::String(s) => go_string(s, out),
        other => out.push_str(&other.to_string()),
    }
}

fn go_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Builds `.signatures.json`: one JWT signed with EdDSA whose payload lists
/// every file of the bundle with its SHA-256.
pub fn signatures(files: &BTreeMap<String, Vec<u8>>, key: &ed25519_dalek::SigningKey) -> Vec<u8> {
    use base64ct::{Base64UrlUnpadded, Encoding};
    use ed25519_dalek::Signer;
    let listed: Vec<Value> = files
        .iter()
        .filter(|(path, _)| path.as_str() != ".signatures.json")
        .map(|(path, bytes)| {
            json!({"name": path, "hash": signature_hash(path, bytes), "algorithm": "SHA-256"})
        })
        .collect();
    let header = json!({"alg": "EdDSA", "typ": "JWT"});
    let payload = json!({"files": listed});
    let encode = |v: &Value| Base64UrlUnpadded::encode_string(v.to_string().as_bytes());
    let signing_input = format!("{}.{}", encode(&header), encode(&payload));
    let signature = key.sign(signing_input.as_bytes());
    let jwt = format!(
        "{signing_input}.{}",
        Base64UrlUnpadded::encode_string(&signature.to_bytes())
    );
    json::value_bytes(json!({ "signatures": [jwt] }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_matches_opa_hashing() {
        let value: Value =
            serde_json::from_str(r#"{"b": [1, "x\ny"], "a": {"<&>": null, "t": true}}"#).unwrap();
        let mut text = String::new();
        canonical(&value, &mut text);
        assert_eq!(text, r#"{"a":{"<&>":null,"t":true},"b":[1,"x\ny"]}"#);
    }

    #[test]
    fn structured_files_hash_over_canonical_json_and_others_over_bytes() {
        let pretty = b"{\n  \"roots\": [\"governance\"]\n}\n";
        let compact = br#"{"roots":["governance"]}"#;
        assert_eq!(
            signature_hash(".manifest", pretty),
            crate::compile::manifest::sha256_hex(compact)
        );
        assert_eq!(
            signature_hash("governance/authz.rego", pretty),
            crate::compile::manifest::sha256_hex(pretty)
        );
    }
}
