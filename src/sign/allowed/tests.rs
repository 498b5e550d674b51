//! Tests of the trust anchor as a whole: decision order, the messages a
//! refusal gives, and `[[signer]]` entries decided through their rendering.

use super::*;

const KEY: &str = "AAAAC3NzaC1lZDI1NTE5AAAAIGm0gqyvBR6K7BeBQyObyA1m+RcK4c5zEsJmtA9kmYq1";

fn blob() -> Vec<u8> {
    key::b64_pton(KEY.as_bytes()).unwrap()
}

/// 2026-06-15T12:00:00Z.
const NOW: u64 = 1_781_524_800;

fn decide(text: &str, identity: Option<&str>) -> Result<Accepted, Refused> {
    let text = text.replace("{KEY}", &format!("ssh-ed25519 {KEY}"));
    Signers::parse("allowed_signers", text.as_bytes(), &TimeZone::UTC).decide(
        &blob(),
        identity,
        NAMESPACE,
        NOW,
    )
}

fn refused(text: &str, identity: Option<&str>) -> Refused {
    decide(text, identity).unwrap_err()
}

#[test]
fn the_first_passing_line_accepts_and_names_the_signer() {
    let a = decide(
        "# x\nops namespaces=\"git\" {KEY}\noffice {KEY} team:gov\n",
        None,
    )
    .unwrap();
    assert_eq!(a.origin, "allowed_signers:3");
    assert_eq!(a.team.as_deref(), Some("gov"));
    assert_eq!(a.signer(None), "office");
    let any = decide("* {KEY}\n", Some("office")).unwrap();
    assert_eq!(any.signer(Some("office")), "office");
    assert_eq!(any.signer(None), "key listed for `*` (allowed_signers:1)");
}

#[test]
fn a_refusal_names_the_first_line_that_listed_the_key() {
    let r = refused(
        "x bogus {KEY}\nops namespaces=\"git\" {KEY}\nops valid-before=\"20260101Z\" {KEY}\n",
        None,
    );
    assert!(r.to_string().starts_with("key SHA256:"), "{r}");
    assert!(
        r.to_string().ends_with(
            "is not permitted for namespace govern-baseline (allowed_signers:2 allows git)"
        ),
        "{r}"
    );
    assert_eq!(
        r.others(),
        [
            "allowed_signers:1 was skipped: unknown key option",
            "key of ops expired at 2026-01-01T00:00:01Z (allowed_signers:3 valid-before)",
        ]
    );
}

#[test]
fn each_cause_has_its_message() {
    let says = |text: &str, identity: Option<&str>| refused(text, identity).to_string();
    assert_eq!(
        says("ops valid-after=\"20270101Z\" {KEY}\n", None),
        "key of ops is not valid until 2027-01-01T00:00:00Z (allowed_signers:1 valid-after)"
    );
    let ca = says("ops cert-authority {KEY}\n", None);
    assert!(
        ca.contains("listed only as a certificate authority (allowed_signers:1 cert-authority)"),
        "{ca}"
    );
    assert!(says("a,b {KEY}\n", Some("office"))
        .ends_with("is not listed for identity office (allowed_signers:1 lists a,b)"));
    let none = refused("x {KEY}x\nother namespaces=\"git\n", None);
    let text = none.to_string();
    assert!(
        text.starts_with("key SHA256:") && text.ends_with("is not in allowed_signers"),
        "{text}"
    );
    assert_eq!(
        none.others(),
        [
            "allowed_signers:1 was skipped: invalid key",
            "allowed_signers:2 was skipped: invalid options"
        ]
    );
}

#[test]
fn an_unlisted_identity_hides_a_malformed_line_as_openssh_reads_no_further() {
    let r = refused("a bogus {KEY}\n", Some("office"));
    assert!(r.others().is_empty(), "{:?}", r.others());
}

fn declared(expires: Option<Date>) -> Declared {
    Declared {
        id: "ops-2026".into(),
        team: "governance-office".into(),
        public_key: format!("ssh-ed25519 {KEY} ops@example"),
        expires,
        origin: "governance/governance.toml:14 at HEAD~1".into(),
    }
}

#[test]
fn render_writes_both_namespaces_and_the_last_second_of_the_expires_day() {
    let text = render(&[declared(Some(Date::constant(2027, 6, 30))), declared(None)]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with('#'));
    assert_eq!(
        lines[1],
        format!("ops-2026 namespaces=\"govern-baseline,git\",valid-before=\"20270630235959Z\" ssh-ed25519 {KEY} team:governance-office")
    );
    assert_eq!(
        lines[2],
        format!(
            "ops-2026 namespaces=\"govern-baseline,git\" ssh-ed25519 {KEY} team:governance-office"
        )
    );
    let hostile = Declared {
        id: "a b\nc".into(),
        ..declared(None)
    };
    assert_eq!(
        render(&[hostile]).lines().count(),
        2,
        "an id cannot add lines"
    );
}

#[test]
fn a_declared_signer_is_valid_through_its_expires_day() {
    let signers = Signers::from_declared(&[declared(Some(Date::constant(2027, 6, 30)))]);
    let last = 1_814_399_999; // 2027-06-30T23:59:59Z
    for namespace in [NAMESPACE, GIT_NAMESPACE] {
        let a = signers.decide(&blob(), None, namespace, last).unwrap();
        assert_eq!(a.team.as_deref(), Some("governance-office"));
        assert_eq!(a.signer(None), "ops-2026");
    }
    let r = signers
        .decide(&blob(), None, NAMESPACE, last + 1)
        .unwrap_err();
    assert_eq!(
        r.to_string(),
        "key of ops-2026 expired on 2027-06-30 (governance/governance.toml:14 expires at HEAD~1)"
    );
    assert!(!signers.is_empty());
    assert!(Signers::from_declared(&[]).is_empty());
    assert!(Signers::parse("f", b"# only\nx bogus\n", &TimeZone::UTC).is_empty());
}

#[test]
fn hostile_bytes_never_panic() {
    let inputs: [&[u8]; 6] = [
        b"\xff\xfe \"\\\"\n",
        b"a \"",
        b"a valid-before=\"\xff\xff\xff\xff\xff\xff\xff\xff\" ssh-ed25519 =",
        b"a ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA/////w==",
        b"\0\0\n\n\r\r",
        b"* namespaces=\"*\",valid-after=\"99991231235961Z\" ssh-ed25519 AAAA",
    ];
    for input in inputs {
        let s = Signers::parse("f", input, &TimeZone::UTC);
        assert!(s.decide(&blob(), Some("x"), NAMESPACE, u64::MAX).is_err());
    }
}

#[test]
fn without_an_identity_a_line_that_lists_nobody_refuses() {
    for principals in ["!office", "!*", "!x,!y", "\"\""] {
        let r = refused(&format!("{principals} {{KEY}}\n"), None);
        assert!(
            r.to_string().contains("is listed for no identity"),
            "{principals}: {r}"
        );
    }
    for principals in ["*", "!office,*", "a,!b"] {
        assert!(
            decide(&format!("{principals} {{KEY}}\n"), None).is_ok(),
            "{principals}"
        );
    }
    assert!(!refused("!office {KEY}\n", None).is_unlisted());
    assert!(refused("", None).is_unlisted());
}
