//! A differential suite: real `ssh-keygen -Y verify` and
//! `govern::sign::allowed::Signers::decide` on the same allowed_signers
//! files, identities, verify times and time zones. Every case states the
//! outcome it expects, so both cannot pass by being wrong the same way.

#[path = "allowed_signers/cases.rs"]
mod cases;

use base64ct::{Base64, Encoding};
use govern::sign::allowed::{Signers, NAMESPACE};
use jiff::tz::TimeZone;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One allowed_signers file and how it is verified. `{KEY}`, `{OTHER}`
/// and `{EC}` in `text` stand for the signing key, a second Ed25519 key
/// and an ECDSA key, as `type base64` pairs.
pub struct Case {
    pub name: &'static str,
    pub text: &'static str,
    pub identity: &'static str,
    /// `-Overify-time`, as `YYYYMMDDHHMMSSZ`.
    pub time: &'static str,
    /// The `TZ` both sides run under.
    pub tz: &'static str,
    pub accepted: bool,
}

struct Keys {
    dir: tempfile::TempDir,
    key: String,
    other: String,
    ec: String,
    blob: Vec<u8>,
}

fn ssh_keygen(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new("ssh-keygen")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("this suite needs OpenSSH's ssh-keygen (apt-get install openssh-client)")
}

fn public(dir: &Path, kind: &str, name: &str) -> String {
    let out = ssh_keygen(&["-q", "-t", kind, "-N", "", "-C", name, "-f", name], dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = std::fs::read_to_string(dir.join(format!("{name}.pub"))).unwrap();
    line.split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

fn keys() -> Keys {
    let dir = tempfile::tempdir().unwrap();
    let key = public(dir.path(), "ed25519", "key");
    let other = public(dir.path(), "ed25519", "other");
    let ec = public(dir.path(), "ecdsa", "ec");
    std::fs::write(dir.path().join("msg"), b"a release manifest\n").unwrap();
    let out = ssh_keygen(
        &["-Y", "sign", "-n", NAMESPACE, "-f", "key", "msg"],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let blob = Base64::decode_vec(key.split(' ').nth(1).unwrap()).unwrap();
    Keys {
        dir,
        key,
        other,
        ec,
        blob,
    }
}

fn zone(tz: &str) -> TimeZone {
    if tz == "UTC" {
        return TimeZone::UTC;
    }
    TimeZone::get(tz)
        .or_else(|_| TimeZone::posix(tz))
        .unwrap_or_else(|e| panic!("TZ={tz}: {e}"))
}

fn seconds(time: &str) -> u64 {
    let t = jiff::fmt::strtime::parse("%Y%m%d%H%M%SZ", time)
        .and_then(|t| t.to_datetime())
        .and_then(|d| d.to_zoned(TimeZone::UTC))
        .unwrap_or_else(|e| panic!("{time}: {e}"));
    u64::try_from(t.timestamp().as_second()).unwrap()
}

fn openssh(keys: &Keys, file: &Path, case: &Case) -> bool {
    let dir = keys.dir.path();
    Command::new("ssh-keygen")
        .args(["-Y", "verify", "-f"])
        .arg(file)
        .args(["-I", case.identity, "-n", NAMESPACE, "-s", "msg.sig"])
        .arg(format!("-Overify-time={}", case.time))
        .env("TZ", case.tz)
        .current_dir(dir)
        .stdin(std::fs::File::open(dir.join("msg")).unwrap())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("ssh-keygen runs")
        .success()
}

#[test]
fn govern_decides_every_case_as_ssh_keygen_does() {
    let keys = keys();
    let mut failures = Vec::new();
    for (i, case) in cases::CASES.iter().enumerate() {
        let text = case
            .text
            .replace("{KEY}", &keys.key)
            .replace("{OTHER}", &keys.other)
            .replace("{EC}", &keys.ec);
        let file: PathBuf = keys.dir.path().join(format!("allowed_signers_{i}"));
        std::fs::write(&file, &text).unwrap();
        let ssh = openssh(&keys, &file, case);
        let signers = Signers::parse("allowed_signers", text.as_bytes(), &zone(case.tz));
        let decided = signers.decide(
            &keys.blob,
            Some(case.identity),
            NAMESPACE,
            seconds(case.time),
        );
        let ours = decided.is_ok();
        if ssh != ours || ours != case.accepted {
            let why = match &decided {
                Ok(a) => format!("accepted by {}", a.origin),
                Err(r) => format!("refused: {r}; {:?}", r.others()),
            };
            failures.push(format!(
                "{}: ssh-keygen {ssh}, govern {ours} ({why}), expected {}\n  -I {} at {} TZ={}\n  {text:?}",
                case.name, case.accepted, case.identity, case.time, case.tz
            ));
        }
    }
    assert!(cases::CASES.len() >= 40);
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree:\n{}",
        failures.len(),
        cases::CASES.len(),
        failures.join("\n")
    );
}
