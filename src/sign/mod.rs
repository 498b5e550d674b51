//! Keys and signatures: reading Ed25519 keys in OpenSSH format, for signing
//! OPA bundles and releases of the baseline.

pub mod keys;
