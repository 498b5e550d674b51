//! The UUIDs of the OSCAL documents: version 5 (SHA-1, name-based), so the
//! same declarations give the same UUIDs on every build and machine.
//!
//! The namespace of an organisation is the v5 UUID of its name
//! (`[organization] name`) in [`govern`]'s. In it, the documents and the
//! objects they share are named by kind and id: `component-definition`,
//! `component/ASSET`, `party/TEAM`, `catalog/FRAMEWORK`. What belongs to a
//! component is named in the namespace of what holds it: a control
//! implementation is its framework's id in the namespace of its component,
//! an implemented requirement its requirement's id in the namespace of its
//! control implementation. Entity ids hold no `/`, so no two names meet;
//! and a requirement's UUID hashes a short name, one SHA-1 block.

use sha1::{Digest, Sha1};
use uuid::Uuid;

/// The version 5 UUID of `name` in `namespace`, as RFC 9562 defines it:
/// `uuid`'s `new_v5`, with a SHA-1 that uses the processor's SHA
/// instructions where it has them (a large export makes millions).
fn v5(namespace: &Uuid, name: &[u8]) -> Uuid {
    let digest = Sha1::new()
        .chain_update(namespace.as_bytes())
        .chain_update(name)
        .finalize();
    let mut bytes = [0; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_sha1_bytes(bytes).into_uuid()
}

/// govern's own namespace: the v5 UUID of `urn:govern:oscal` in the URL
/// namespace of RFC 9562.
pub fn govern() -> Uuid {
    v5(&Uuid::NAMESPACE_URL, b"urn:govern:oscal")
}

/// The UUIDs of one organisation's documents.
#[derive(Clone, Copy)]
pub struct Ids {
    namespace: Uuid,
}

impl Ids {
    /// The namespace of the organisation called `organization`.
    pub fn of(organization: &str) -> Self {
        Ids {
            namespace: v5(&govern(), organization.as_bytes()),
        }
    }

    /// The UUID of the object of `kind` and `id` (none for a document).
    pub fn uuid(&self, kind: &str, id: Option<&str>) -> Uuid {
        match id {
            None => v5(&self.namespace, kind.as_bytes()),
            Some(id) => v5(&self.namespace, format!("{kind}/{id}").as_bytes()),
        }
    }
}

/// The UUID of what `parent` holds under `name`.
pub fn within(parent: &Uuid, name: &str) -> Uuid {
    v5(parent, name.as_bytes())
}

/// Appends `uuid` as a JSON string, hyphenated, lowercase.
pub fn put(out: &mut Vec<u8>, uuid: &Uuid) {
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    out.push(b'"');
    out.extend_from_slice(uuid.hyphenated().encode_lower(&mut text).as_bytes());
    out.push(b'"');
}

/// Appends `"uuid":` and `uuid`.
pub fn field(out: &mut Vec<u8>, uuid: &Uuid) {
    out.extend_from_slice(b"\"uuid\":");
    put(out, uuid);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_those_of_the_uuid_crate() {
        // Names of every length around SHA-1's 64-byte blocks, and bytes
        // beyond ASCII.
        let mut namespace = Uuid::NAMESPACE_URL;
        for n in 0..200 {
            let name: Vec<u8> = (0..n).map(|i| (i * 37 + n) as u8).collect();
            let ours = v5(&namespace, &name);
            assert_eq!(ours, Uuid::new_v5(&namespace, &name), "{n} bytes");
            namespace = ours;
        }
        assert_eq!(
            govern(),
            Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:govern:oscal")
        );
    }

    #[test]
    fn uuids_are_version_5_and_depend_on_every_part() {
        let ids = Ids::of("Acme Corp");
        let a = ids.uuid("component", Some("billing-agent"));
        assert_eq!(a.get_version_num(), 5);
        assert_eq!(
            a,
            Ids::of("Acme Corp").uuid("component", Some("billing-agent"))
        );
        assert_ne!(a, ids.uuid("component", Some("billing-agents")));
        assert_ne!(a, Ids::of("Other").uuid("component", Some("billing-agent")));
        // Kinds name different objects of the same ids.
        assert_ne!(a, ids.uuid("party", Some("billing-agent")));
        assert_eq!(a, Uuid::new_v5(&ids.namespace, b"component/billing-agent"));
        let held = within(&a, "nist-csf-2.0");
        assert_eq!(held.get_version_num(), 5);
        assert_ne!(
            held,
            within(&ids.uuid("component", Some("other")), "nist-csf-2.0")
        );
        let mut out = Vec::new();
        field(&mut out, &held);
        assert_eq!(
            out,
            format!("\"uuid\":\"{}\"", held.hyphenated()).into_bytes()
        );
    }
}
