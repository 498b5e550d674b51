//! The framework catalogs shipped with govern, and the crosswalks their
//! publishers state between them, embedded in the binary. A repository
//! catalog or crosswalk with the same id replaces a built-in one.

/// Every built-in catalog and crosswalk: its file name and text.
pub const BUILTIN_CATALOGS: &[(&str, &str)] = &[
    (
        "frameworks/csa-maestro.toml",
        include_str!("../../frameworks/csa-maestro.toml"),
    ),
    (
        "frameworks/eu-ai-act.toml",
        include_str!("../../frameworks/eu-ai-act.toml"),
    ),
    (
        "frameworks/iso-iec-42001-2023.toml",
        include_str!("../../frameworks/iso-iec-42001-2023.toml"),
    ),
    (
        "frameworks/nist-ai-rmf-1.0.toml",
        include_str!("../../frameworks/nist-ai-rmf-1.0.toml"),
    ),
    (
        "frameworks/nist-csf-2.0.toml",
        include_str!("../../frameworks/nist-csf-2.0.toml"),
    ),
    (
        "frameworks/owasp-agentic-threats-mitigations.toml",
        include_str!("../../frameworks/owasp-agentic-threats-mitigations.toml"),
    ),
    (
        "frameworks/owasp-agentic-top10-2026.toml",
        include_str!("../../frameworks/owasp-agentic-top10-2026.toml"),
    ),
    (
        "frameworks/owasp-nhi-top10-2025.toml",
        include_str!("../../frameworks/owasp-nhi-top10-2025.toml"),
    ),
    (
        "frameworks/crosswalks/csa-maestro-to-threats-mitigations.toml",
        include_str!("../../frameworks/crosswalks/csa-maestro-to-threats-mitigations.toml"),
    ),
    (
        "frameworks/crosswalks/owasp-agentic-top10-2026-to-threats-mitigations.toml",
        include_str!(
            "../../frameworks/crosswalks/owasp-agentic-top10-2026-to-threats-mitigations.toml"
        ),
    ),
    (
        "frameworks/crosswalks/owasp-nhi-top10-2025-to-owasp-agentic-top10-2026.toml",
        include_str!(
            "../../frameworks/crosswalks/owasp-nhi-top10-2025-to-owasp-agentic-top10-2026.toml"
        ),
    ),
    (
        "frameworks/crosswalks/owasp-nhi-top10-2025-to-threats-mitigations.toml",
        include_str!(
            "../../frameworks/crosswalks/owasp-nhi-top10-2025-to-threats-mitigations.toml"
        ),
    ),
];
