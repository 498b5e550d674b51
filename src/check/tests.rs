//! Snapshot tests: a TOML input in, the rendered diagnostics out.
