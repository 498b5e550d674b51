//! The key field of an allowed_signers line, read as OpenSSH's
//! `sshkey_read` does: a key type name, spaces or tabs, a base64 blob
//! decoded by the ISC `b64_pton` (white space inside is skipped), and a
//! blob whose type is the named one.
//!
//! Ed25519 blobs are checked in full (a 32-byte key, nothing after it);
//! other types only by their leading name, since they can never equal an
//! Ed25519 signing key and only the line's reason would differ.

/// The key type names OpenSSH 9.2p1 knows (`peek_type_nid`), each with the
/// plain type its blob must carry.
const TYPES: &[(&str, &str)] = &[
    ("ssh-ed25519", "ssh-ed25519"),
    (
        "ssh-ed25519-cert-v01@openssh.com",
        "ssh-ed25519-cert-v01@openssh.com",
    ),
    ("sk-ssh-ed25519@openssh.com", "sk-ssh-ed25519@openssh.com"),
    (
        "sk-ssh-ed25519-cert-v01@openssh.com",
        "sk-ssh-ed25519-cert-v01@openssh.com",
    ),
    ("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256"),
    ("ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384"),
    ("ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521"),
    (
        "ecdsa-sha2-nistp256-cert-v01@openssh.com",
        "ecdsa-sha2-nistp256-cert-v01@openssh.com",
    ),
    (
        "ecdsa-sha2-nistp384-cert-v01@openssh.com",
        "ecdsa-sha2-nistp384-cert-v01@openssh.com",
    ),
    (
        "ecdsa-sha2-nistp521-cert-v01@openssh.com",
        "ecdsa-sha2-nistp521-cert-v01@openssh.com",
    ),
    (
        "sk-ecdsa-sha2-nistp256@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    ),
    (
        "webauthn-sk-ecdsa-sha2-nistp256@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    ),
    (
        "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
        "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
    ),
    ("ssh-rsa", "ssh-rsa"),
    ("rsa-sha2-256", "ssh-rsa"),
    ("rsa-sha2-512", "ssh-rsa"),
    (
        "ssh-rsa-cert-v01@openssh.com",
        "ssh-rsa-cert-v01@openssh.com",
    ),
    (
        "rsa-sha2-256-cert-v01@openssh.com",
        "ssh-rsa-cert-v01@openssh.com",
    ),
    (
        "rsa-sha2-512-cert-v01@openssh.com",
        "ssh-rsa-cert-v01@openssh.com",
    ),
    ("ssh-dss", "ssh-dss"),
    (
        "ssh-dss-cert-v01@openssh.com",
        "ssh-dss-cert-v01@openssh.com",
    ),
];

/// A key read from a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Read<'a> {
    /// The decoded public key blob.
    pub blob: Vec<u8>,
    /// What follows the key, after spaces and tabs: the comment.
    pub rest: &'a [u8],
}

fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

/// Reads `type blob` at the start of `cp`; `None` where `sshkey_read`
/// fails.
pub fn read(cp: &[u8]) -> Option<Read<'_>> {
    let space = cp.iter().position(|&c| is_blank(c))?;
    let (_, plain) = TYPES
        .iter()
        .find(|(name, _)| name.as_bytes() == &cp[..space])?;
    let after = &cp[space..];
    let start = after.iter().position(|&c| !is_blank(c))?;
    let after = &after[start..];
    let end = after
        .iter()
        .position(|&c| is_blank(c))
        .unwrap_or(after.len());
    let blob = b64_pton(&after[..end])?;
    let rest = &after[end..];
    let rest = &rest[rest
        .iter()
        .position(|&c| !is_blank(c))
        .unwrap_or(rest.len())..];
    let mut r = Reader(&blob);
    if r.string()? != plain.as_bytes() {
        return None;
    }
    if *plain == "ssh-ed25519" && (r.string()?.len() != 32 || !r.0.is_empty()) {
        return None;
    }
    Some(Read { blob, rest })
}

/// SSH wire-format strings.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn string(&mut self) -> Option<&'a [u8]> {
        let len = u32::from_be_bytes(self.0.get(..4)?.try_into().ok()?) as usize;
        let s = self.0.get(4..4usize.checked_add(len)?)?;
        self.0 = &self.0[4 + len..];
        Some(s)
    }
}

/// Decodes base64 as the ISC `b64_pton` that OpenSSH uses: white space is
/// skipped anywhere, padding must be complete and the unused bits zero.
pub fn b64_pton(src: &[u8]) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    let mut out = Vec::new();
    let (mut state, mut acc, mut i) = (0u8, 0u32, 0);
    let mut padded = false;
    while i < src.len() {
        let c = src[i];
        i += 1;
        if space(c) {
            continue;
        }
        if c == b'=' {
            padded = true;
            break;
        }
        let pos = ALPHABET.iter().position(|&a| a == c)? as u32;
        acc = (acc << 6) | pos;
        state = (state + 1) % 4;
        if state == 0 {
            out.extend_from_slice(&acc.to_be_bytes()[1..]);
            acc = 0;
        }
    }
    let rest_blank = |from: usize| src[from..].iter().all(|&c| space(c));
    if !padded {
        return (state == 0).then_some(out);
    }
    match state {
        2 => {
            let next = src[i..].iter().position(|&c| !space(c))? + i;
            if src[next] != b'=' || !rest_blank(next + 1) || acc & 0xf != 0 {
                return None;
            }
            out.push((acc >> 4) as u8);
        }
        3 => {
            if !rest_blank(i) || acc & 0x3 != 0 {
                return None;
            }
            out.extend_from_slice(&((acc >> 2) as u16).to_be_bytes());
        }
        _ => return None,
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "AAAAC3NzaC1lZDI1NTE5AAAAIGm0gqyvBR6K7BeBQyObyA1m+RcK4c5zEsJmtA9kmYq1";

    #[test]
    fn decodes_as_b64_pton() {
        assert_eq!(b64_pton(b"Zm9v").unwrap(), b"foo");
        assert_eq!(b64_pton(b"Zm8=").unwrap(), b"fo");
        assert_eq!(b64_pton(b"Zg==").unwrap(), b"f");
        assert_eq!(b64_pton(b"Zm\r\n9v\n").unwrap(), b"foo");
        assert_eq!(b64_pton(b"Zg= =\n").unwrap(), b"f");
        assert_eq!(b64_pton(b"").unwrap(), b"");
        assert!(b64_pton(b"Zg=").is_none());
        assert!(b64_pton(b"Zh==").is_none(), "unused bits must be zero");
        assert!(b64_pton(b"Zm9").is_none());
        assert!(b64_pton(b"Zm9v=").is_none());
        assert!(b64_pton(b"Zg==x").is_none());
        assert!(b64_pton(b"Zm-v").is_none());
    }

    #[test]
    fn reads_a_typed_key_and_leaves_the_comment() {
        let line = format!("ssh-ed25519 {KEY} team:x\n");
        let read = read(line.as_bytes()).unwrap();
        assert_eq!(read.rest, b"team:x\n");
        assert_eq!(read.blob.len(), 51);
        assert!(super::read(format!("ssh-ed25519 {KEY}\r\n").as_bytes()).is_some());
        assert!(super::read(format!("ssh-rsa {KEY}").as_bytes()).is_none());
        assert!(super::read(format!("ssh-ed25519\t\t{KEY}").as_bytes()).is_some());
        assert!(super::read(b"ssh-ed25519").is_none());
        assert!(super::read(b"ssh-ed25519 ").is_none());
        assert!(super::read(b"ssh-ed25519 AAAA").is_none());
        assert!(super::read(format!("nonsense {KEY}").as_bytes()).is_none());
    }
}
