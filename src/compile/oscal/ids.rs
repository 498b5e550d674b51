//! The UUIDs of the OSCAL documents: version 5 (SHA-1, name-based), so the
//! same declarations give the same UUIDs on every build and machine.
//!
//! The namespace of an organisation is the v5 UUID of its name
//! (`[organization] name`) in [`GOVERN`]; each object's UUID is the v5 UUID
//! of its kind and ids in that namespace, `/` between them: `component/ASSET`,
//! `control-implementation/ASSET/FRAMEWORK`,
//! `implemented-requirement/ASSET/FRAMEWORK/REQUIREMENT`, `party/TEAM`,
//! `component-definition` and `catalog/FRAMEWORK`. Entity ids hold no `/`
//! and the requirement id comes last, so two objects never share a name.

use uuid::Uuid;

/// govern's own namespace: the v5 UUID of `urn:govern:oscal` in the URL
/// namespace of RFC 9562.
pub fn govern() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:govern:oscal")
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
            namespace: Uuid::new_v5(&govern(), organization.as_bytes()),
        }
    }

    /// The UUID of the object named by `parts`, joined with `/`.
    pub fn uuid(&self, parts: &[&str]) -> Uuid {
        let mut name = Vec::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                name.push(b'/');
            }
            name.extend_from_slice(part.as_bytes());
        }
        Uuid::new_v5(&self.namespace, &name)
    }

    /// [`Ids::uuid`] in its hyphenated lowercase form.
    pub fn text(&self, parts: &[&str]) -> String {
        self.uuid(parts).hyphenated().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_5_and_depend_on_every_part() {
        let ids = Ids::of("Acme Corp");
        let a = ids.uuid(&["component", "billing-agent"]);
        assert_eq!(a.get_version_num(), 5);
        assert_eq!(
            a,
            Ids::of("Acme Corp").uuid(&["component", "billing-agent"])
        );
        assert_ne!(a, ids.uuid(&["component", "billing-agents"]));
        assert_ne!(a, Ids::of("Other").uuid(&["component", "billing-agent"]));
        // Kinds name different objects of the same ids.
        assert_ne!(a, ids.uuid(&["party", "billing-agent"]));
        assert_eq!(
            ids.text(&["component", "billing-agent"]),
            a.hyphenated().to_string()
        );
    }
}
