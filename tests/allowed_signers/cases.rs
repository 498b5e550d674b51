//! The cases of the differential suite: each an allowed_signers text, the
//! identity, verify time and zone, and whether the signature is accepted.

use super::Case;

const T0: &str = "20260615120000Z";
const CET: &str = "CET-1CEST,M3.5.0,M10.5.0/3";

/// Identity `office` at 2026-06-15T12:00:00Z under TZ=UTC.
const fn case(name: &'static str, text: &'static str, accepted: bool) -> Case {
    at(name, text, "office", T0, "UTC", accepted)
}

const fn at(
    name: &'static str,
    text: &'static str,
    identity: &'static str,
    time: &'static str,
    tz: &'static str,
    accepted: bool,
) -> Case {
    Case {
        name,
        text,
        identity,
        time,
        tz,
        accepted,
    }
}

pub const CASES: &[Case] = &[
    case("plain line", "office {KEY}\n", true),
    case("no final newline", "office {KEY}", true),
    case("comment, blank and white lines first", "# signers\n\n \t\noffice {KEY} team:ops\n", true),
    case("principal list", "a,office,b {KEY}\n", true),
    case("list without the identity", "a,b {KEY}\n", false),
    case("identity is case-sensitive", "Office {KEY}\n", false),
    case("pattern *", "* {KEY}\n", true),
    case("pattern off*", "off* {KEY}\n", true),
    case("pattern ?ffice", "?ffice {KEY}\n", true),
    case("negated identity", "!office,* {KEY}\n", false),
    case("negated other name", "!other,* {KEY}\n", true),
    case("negation only", "!other {KEY}\n", false),
    case("quoted principal", "\"office\" {KEY}\n", true),
    at("quoted principal with a space", "\"office hq\" {KEY}\n", "office hq", T0, "UTC", true),
    case("unterminated quoted principal", "\"office {KEY}\n", false),
    case("principal only", "office\n", false),
    case("namespace govern-baseline", "office namespaces=\"govern-baseline\" {KEY}\n", true),
    case("namespace git", "office namespaces=\"git\" {KEY}\n", false),
    case("namespace gov*", "office namespaces=\"gov*\" {KEY}\n", true),
    case("namespaces git,govern-baseline", "office namespaces=\"git,govern-baseline\" {KEY}\n", true),
    case("namespace negated", "office namespaces=\"!govern-baseline,*\" {KEY}\n", false),
    case("namespace with a space", "office namespaces=\"git, govern-baseline\" {KEY}\n", false),
    case("upper-case NAMESPACES git", "office NAMESPACES=\"git\" {KEY}\n", false),
    case("upper-case NAMESPACES ours", "office NAMESPACES=\"govern-baseline\" {KEY}\n", true),
    case("valid-after past", "office valid-after=\"20250101\" {KEY}\n", true),
    case("valid-after future", "office valid-after=\"20270101\" {KEY}\n", false),
    case("valid-after the very second", "office valid-after=\"20260615120000Z\" {KEY}\n", true),
    case("valid-after a second later", "office valid-after=\"20260615120001Z\" {KEY}\n", false),
    case("valid-after the epoch is invalid", "office valid-after=\"19700101Z\" {KEY}\n", false),
    case("valid-before past", "office valid-before=\"20260101\" {KEY}\n", false),
    case("valid-before future", "office valid-before=\"20270101\" {KEY}\n", true),
    case("valid-before the very second", "office valid-before=\"20260615120000Z\" {KEY}\n", true),
    case("valid-before a second earlier", "office valid-before=\"20260615115959Z\" {KEY}\n", false),
    case("valid-before UTC suffix", "office valid-before=\"20260615120000UTC\" {KEY}\n", true),
    case("valid-before 12 digits", "office valid-before=\"202606151200Z\" {KEY}\n", true),
    case("valid-before 12 digits earlier", "office valid-before=\"202606151159Z\" {KEY}\n", false),
    case("valid-before date only", "office valid-before=\"20260615Z\" {KEY}\n", false),
    case("valid-before 10 digits", "office valid-before=\"2026061512Z\" {KEY}\n", false),
    case("valid-before with spaces in fields", "office valid-before=\"2026 616Z\" {KEY}\n", true),
    case("valid-before unquoted", "office valid-before=20270101 {KEY}\n", false),
    case("valid-before before valid-after", "office valid-after=\"20260101\",valid-before=\"20250101\" {KEY}\n", false),
    at("day overflow 20260231", "office valid-before=\"20260231Z\" {KEY}\n", "office", "20260302120000Z", "UTC", true),
    at("day overflow 20260229 as valid-after", "office valid-after=\"20260229Z\" {KEY}\n", "office", "20260228235959Z", "UTC", false),
    case("month 13", "office valid-before=\"20261301Z\" {KEY}\n", false),
    case("unknown option", "office no-touch-required {KEY}\n", false),
    case("duplicate option", "office namespaces=\"govern-baseline\",namespaces=\"git\" {KEY}\n", false),
    case("trailing comma", "office namespaces=\"govern-baseline\", {KEY}\n", false),
    case("empty clauses", "office ,,namespaces=\"govern-baseline\" {KEY}\n", true),
    case("cert-authority with our key", "office cert-authority {KEY}\n", false),
    case("the other key", "office {OTHER}\n", false),
    case("the other key, then ours", "office {OTHER}\noffice {KEY}\n", true),
    case("an ECDSA line before a good line", "office {EC}\noffice {KEY}\n", true),
    case("a key type that does not match its blob", "office ssh-rsa {KEY}\n", false),
    case("a malformed line before a good line", "office namespaces=\"git {KEY}\noffice {KEY}\n", true),
    case("a good line after a refusing line", "office namespaces=\"git\" {KEY}\noffice {KEY}\n", true),
    case("an expired line before a good line", "office valid-before=\"20260101\" {KEY}\n* {KEY}\n", true),
    case("CRLF line endings", "# signers\r\noffice {KEY}\r\n", true),
    case("CRLF with options and comment", "office namespaces=\"git\" {KEY} x\r\noffice namespaces=\"govern-baseline\" {KEY} team:x\r\n", true),
    case("leading white space", "  \toffice {KEY}\n", true),
    case("a NUL ends the line", "office {KEY}\0 trailing\n", true),
    case("a NUL inside the principals", "office\0 {KEY}\n", false),
    case("local time under TZ=UTC", "office valid-before=\"20260615120000\" {KEY}\n", true),
    case("local time under TZ=UTC, earlier", "office valid-before=\"20260615115959\" {KEY}\n", false),
    at("local time under JST-9", "office valid-before=\"20260615210000\" {KEY}\n", "office", T0, "JST-9", true),
    at("local time under JST-9, earlier", "office valid-before=\"20260615205959\" {KEY}\n", "office", T0, "JST-9", false),
    at("lower-case z under JST-9 is UTC", "office valid-before=\"20260615200000z\" {KEY}\n", "office", T0, "JST-9", true),
    at("CET summer reads standard time", "office valid-before=\"20260615130000\" {KEY}\n", "office", T0, CET, true),
    at("CET summer, a second earlier", "office valid-before=\"20260615125959\" {KEY}\n", "office", T0, CET, false),
    at("CET winter", "office valid-before=\"20260115130000\" {KEY}\n", "office", "20260115120000Z", CET, true),
    at("CET winter, a second earlier", "office valid-before=\"20260115125959\" {KEY}\n", "office", "20260115120000Z", CET, false),
    at("CET spring gap", "office valid-before=\"202603290230\" {KEY}\n", "office", "20260329013000Z", CET, true),
    at("CET spring gap, a second later", "office valid-before=\"202603290230\" {KEY}\n", "office", "20260329013001Z", CET, false),
    at("CET autumn fold", "office valid-before=\"202610250230\" {KEY}\n", "office", "20261025013000Z", CET, true),
    at("CET autumn fold, a second later", "office valid-before=\"202610250230\" {KEY}\n", "office", "20261025013001Z", CET, false),
    at("Europe/Berlin summer", "office valid-after=\"20260615130000\" {KEY}\n", "office", T0, "Europe/Berlin", true),
    at("Europe/Berlin summer, a second early", "office valid-after=\"20260615130000\" {KEY}\n", "office", "20260615115959Z", "Europe/Berlin", false),
];
