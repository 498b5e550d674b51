//! Keys and signatures: reading Ed25519 keys in OpenSSH format, signing
//! OPA bundles and releases of the baseline, and verifying a release
//! against a trust anchor as OpenSSH would.

pub mod allowed;
pub mod anchor;
pub mod bounded;
pub mod keys;
pub mod manifest;
pub mod release;
pub mod tree;
pub mod verify;
