//! Keys and signatures: reading Ed25519 keys in OpenSSH format, for signing
//! OPA bundles and releases of the baseline.

pub mod allowed;
pub mod keys;
pub mod release;
