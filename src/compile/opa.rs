//! The OPA bundle: `.manifest`, `governance/data.json` and
//! `governance/authz.rego`, packed into a deterministic `bundle.tar.gz`
//! (sorted entries, fixed metadata, gzip without a timestamp).
//!
//! The Rego policy is the same text for every repository; everything that
//! varies lives in data.json, so no id can ever break or inject policy code.

use super::runtime::{AssetRuntime, Runtime};
use super::{json, Error, Provenance, Templates};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;

/// Where data.json sits in the bundle: after every other file, by name.
const DATA: &str = "governance/data.json";

/// The bundle's files other than data.json.
fn small_files(
    provenance: &Provenance,
    templates: &Templates,
) -> Result<BTreeMap<String, Vec<u8>>, Error> {
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
    files.insert(
        "governance/authz.rego".to_string(),
        templates.render("authz.rego", ())?.into_bytes(),
    );
    Ok(files)
}

/// Writes `data.json` straight from the runtime data, keys sorted: a file
/// for OPA, laid out one asset a line.
fn write_data(runtime: &Runtime, w: &mut dyn Write) -> std::io::Result<()> {
    #[derive(serde::Serialize)]
    struct Data<'a> {
        /// As declared, for messages.
        approval_ttl: String,
        approval_ttl_seconds: u64,
        assets: BTreeMap<&'a str, &'a AssetRuntime<'a>>,
    }
    let data = Data {
        approval_ttl: runtime.approval_ttl.to_string(),
        approval_ttl_seconds: runtime.approval_ttl.as_secs(),
        assets: runtime.assets.iter().map(|r| (r.id, r)).collect(),
    };
    json::lines(&mut *w, &data, 0, 2)?;
    w.write_all(b"\n")
}

/// Writes the unsigned bundle into `w`, byte for byte the tar of its files
/// packed in memory, without holding data.json.
pub fn write_unsigned(
    runtime: &Runtime,
    provenance: &Provenance,
    templates: &Templates,
    w: &mut dyn Write,
) -> Result<(), Error> {
    let small = small_files(provenance, templates)?;
    write_bundle(runtime, &small, w)
}

/// Writes the bundle signed with `key` into `w`, its `.signatures.json`
/// listing every other file with its [`signature_hash`], without holding
/// data.json: its hash is taken asset by asset ([`data_hash`]).
pub fn write_signed(
    runtime: &Runtime,
    provenance: &Provenance,
    templates: &Templates,
    key: &ed25519_dalek::SigningKey,
    w: &mut dyn Write,
) -> Result<(), Error> {
    let mut small = small_files(provenance, templates)?;
    let mut hashes: Vec<(String, String)> = small
        .iter()
        .map(|(path, bytes)| (path.clone(), signature_hash(path, bytes)))
        .collect();
    hashes.push((DATA.to_string(), data_hash(runtime)?));
    hashes.sort();
    small.insert(".signatures.json".into(), signed(&hashes, key));
    write_bundle(runtime, &small, w)
}

/// Writes the bundle of `small` and data.json into `w`. data.json sorts
/// after every other file, and is written twice, once to count its bytes
/// for its tar header and once into the archive.
fn write_bundle(
    runtime: &Runtime,
    small: &BTreeMap<String, Vec<u8>>,
    w: &mut dyn Write,
) -> Result<(), Error> {
    let mut count = Count(0);
    write_data(runtime, &mut count)?;
    let mut tar = packer(w);
    for (path, bytes) in small {
        append(&mut tar, path, bytes)?;
    }
    let mut header = header(count.0);
    header.set_path(DATA)?;
    header.set_cksum();
    // Serializing makes many small writes; gzip compresses in blocks.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, tar.get_mut());
    out.write_all(header.as_bytes())?;
    write_data(runtime, &mut out)?;
    let tail = (512 - count.0 % 512) % 512;
    out.write_all(&[0; 512][..tail as usize])?;
    // Only the buffer is written out: flushing gzip itself would end a
    // deflate block early and change the archive's bytes.
    out.into_inner().map_err(|e| e.into_error())?;
    tar.into_inner()?.finish()?;
    Ok(())
}

/// Returns [`signature_hash`] of data.json, the canonical JSON of what
/// [`write_data`] writes, hashed asset by asset without holding the file
/// or its tree: the keys in their canonical order are `approval_ttl`,
/// `approval_ttl_seconds` and `assets`, whose entries go by id.
fn data_hash(runtime: &Runtime) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    let assets: BTreeMap<&str, &AssetRuntime<'_>> =
        runtime.assets.iter().map(|r| (r.id, r)).collect();
    let mut hasher = Sha256::new();
    let mut text = String::from("{\"approval_ttl\":");
    go_string(&runtime.approval_ttl.to_string(), &mut text);
    text.push_str(&format!(
        ",\"approval_ttl_seconds\":{},\"assets\":{{",
        runtime.approval_ttl.as_secs()
    ));
    for (i, (id, asset)) in assets.into_iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        go_string(id, &mut text);
        text.push(':');
        canonical(&serde_json::to_value(asset)?, &mut text);
        hasher.update(text.as_bytes());
        text.clear();
    }
    text.push_str("}}");
    hasher.update(text.as_bytes());
    Ok(super::manifest::hex(&hasher.finalize()))
}

/// Counts the bytes written through it.
struct Count(u64);

impl Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A tar of fixed metadata, gzipped without a timestamp, into `w`.
fn packer<W: Write>(w: W) -> tar::Builder<flate2::write::GzEncoder<W>> {
    let gz = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(w, flate2::Compression::new(3));
    let mut tar = tar::Builder::new(gz);
    tar.mode(tar::HeaderMode::Deterministic);
    tar
}

/// The header of one regular file of `size` bytes, metadata fixed.
fn header(size: u64) -> tar::Header {
    let mut header = tar::Header::new_ustar();
    header.set_size(size);
    header.set_mode(0o644);
    header.set_mtime(0);
    header.set_uid(0);
    header.set_gid(0);
    header.set_entry_type(tar::EntryType::Regular);
    header
}

fn append<W: Write>(tar: &mut tar::Builder<W>, path: &str, bytes: &[u8]) -> std::io::Result<()> {
    tar.append_data(&mut header(bytes.len() as u64), path, bytes)
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

/// Writes `s` as OPA's hash writes a string: Go's `encoding/json` with
/// HTML escaping off, which since Go 1.22 writes backspace and form feed
/// as `\b` and `\f`, and the other controls as lowercase `\u00xx`.
fn go_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
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

/// `.signatures.json` for the files `hashes` names, in path order, each
/// with its [`signature_hash`].
fn signed(hashes: &[(String, String)], key: &ed25519_dalek::SigningKey) -> Vec<u8> {
    use base64ct::{Base64UrlUnpadded, Encoding};
    use ed25519_dalek::Signer;
    let listed: Vec<Value> = hashes
        .iter()
        .map(|(path, hash)| json!({"name": path, "hash": hash, "algorithm": "SHA-256"}))
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
    use crate::compile::fixtures::{outcome, repos};

    #[test]
    fn strings_are_written_as_gos_encoding_json_writes_them() {
        // Go's encoder, HTML escaping off: two-character escapes for the
        // quote, the backslash and \b \f \n \r \t, `\u00xx` in lowercase
        // for the other controls and for U+2028 and U+2029, and every other
        // character (`<`, `>`, `&`, DEL among them) as itself.
        let short = [
            (0x08, "\\b"),
            (0x09, "\\t"),
            (0x0a, "\\n"),
            (0x0c, "\\f"),
            (0x0d, "\\r"),
        ];
        for code in 0u32..0x20 {
            let c = char::from_u32(code).unwrap();
            let want = match short.iter().find(|(k, _)| *k == code) {
                Some((_, escape)) => escape.to_string(),
                None => format!("\\u{code:04x}"),
            };
            let mut out = String::new();
            go_string(&c.to_string(), &mut out);
            assert_eq!(out, format!("\"{want}\""), "U+{code:04X}");
        }
        let mut out = String::new();
        go_string("a\"b\\c<>&\u{7f}\u{2028}\u{2029}é", &mut out);
        assert_eq!(out, "\"a\\\"b\\\\c<>&\u{7f}\\u2028\\u2029é\"");
    }

    /// The files of the bundle, by path inside the archive.
    fn files(
        runtime: &Runtime,
        provenance: &Provenance,
        templates: &Templates,
    ) -> Result<BTreeMap<String, Vec<u8>>, Error> {
        let mut files = small_files(provenance, templates)?;
        let mut data = Vec::new();
        write_data(runtime, &mut data)?;
        files.insert(DATA.to_string(), data);
        Ok(files)
    }

    /// Packs `files` into a gzipped tar with fixed metadata, entries sorted.
    fn archive(files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
        let mut tar = packer(Vec::new());
        for (path, bytes) in files {
            // Writing into memory cannot fail; paths are our own, short and relative.
            append(&mut tar, path, bytes).expect("writing a tar entry into memory");
        }
        let gz = tar.into_inner().expect("finishing a tar in memory");
        let mut out = gz.finish().expect("finishing gzip in memory");
        out.flush().expect("flushing memory");
        out
    }

    /// Builds `.signatures.json`: one JWT signed with EdDSA whose payload lists
    /// every file of the bundle with its SHA-256.
    fn signatures(files: &BTreeMap<String, Vec<u8>>, key: &ed25519_dalek::SigningKey) -> Vec<u8> {
        let hashes: Vec<(String, String)> = files
            .iter()
            .filter(|(path, _)| path.as_str() != ".signatures.json")
            .map(|(path, bytes)| (path.clone(), signature_hash(path, bytes)))
            .collect();
        signed(&hashes, key)
    }

    /// For the example and the bundles fixture, unsigned and signed: the
    /// bundle written without holding data.json is byte for byte the one
    /// packed from its files in memory, and data.json's hash taken asset by
    /// asset is the one taken over the whole file.
    #[test]
    fn streamed_bundles_are_the_bundles_packed_in_memory() {
        let templates = Templates::with(Vec::new()).unwrap();
        let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
        let provenance = Provenance::default_dirty();
        for repo in repos() {
            let outcome = outcome(&repo);
            let resolved = super::super::resolve(&outcome.model);
            let runtime = super::super::runtime::all(&outcome.model, &resolved);
            let mut files = files(&runtime, &provenance, &templates).unwrap();
            assert_eq!(
                data_hash(&runtime).unwrap(),
                signature_hash(DATA, &files[DATA])
            );
            let mut unsigned = Vec::new();
            write_unsigned(&runtime, &provenance, &templates, &mut unsigned).unwrap();
            assert!(unsigned == archive(&files), "{}", repo.display());
            let signatures = signatures(&files, &key);
            files.insert(".signatures.json".into(), signatures);
            let mut signed = Vec::new();
            write_signed(&runtime, &provenance, &templates, &key, &mut signed).unwrap();
            assert!(signed == archive(&files), "{}", repo.display());
            assert!(signed != unsigned);
        }
    }

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
