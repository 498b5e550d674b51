//! The decision table: requests against `tests/fixtures/bundles/` and what
//! both engines must decide, with the messages OPA must give.

use super::engines::Outcome;
use serde_json::{json, Value};

/// 2026-11-18T...Z: a moment while the fixture's exception holds.
pub const NOW: i64 = 1_795_000_000;
/// The last second of 2026-12-31, the day the exception expires.
pub const LAST_SECOND: i64 = 1_798_761_599;
/// 2027-01-01T00:00:00Z: the exception has lapsed.
pub const LAPSED: i64 = 1_798_761_600;
/// 2026-12-01T00:00:00Z: the windowed tools' grant starts.
pub const START: i64 = 1_796_083_200;
/// 2027-01-01T00:00:00Z: the windowed tools' grant, through 2026-12-31, ends.
pub const END: i64 = 1_798_761_600;

pub const PAY: &str = "spiffe://test.example/pay-agent";
pub const EXCEPTED: &str = "spiffe://test.example/excepted-agent";
pub const INJECTION: &str = r#"x"]) || true; permit (principal, action, resource); //"#;

/// The check each control of the fixture turns on.
fn check_of(control: &str) -> &'static str {
    match control {
        "ALLOWLIST" => "tool-allowlist",
        "STEP-UP" => "step-up",
        "TTL-A" | "TTL-B" => "credential-ttl",
        "WORKLOAD-ID" => "workload-identity",
        "TRUST" => "trust-threshold",
        "CONFIDENCE" => "confidence",
        other => panic!("no control {other} in the fixture"),
    }
}

pub fn allow() -> Outcome {
    Outcome {
        allow: true,
        step_up: false,
        reasons: vec![],
    }
}

pub fn deny(controls: &[&str]) -> Outcome {
    let mut reasons: Vec<(String, Option<String>)> = controls
        .iter()
        .map(|c| (check_of(c).to_string(), Some(c.to_string())))
        .collect();
    reasons.sort();
    Outcome {
        allow: false,
        step_up: false,
        reasons,
    }
}

pub fn step_up(control: &str) -> Outcome {
    Outcome {
        step_up: true,
        ..deny(&[control])
    }
}

fn denied_by(check: &str) -> Outcome {
    Outcome {
        allow: false,
        step_up: false,
        reasons: vec![(check.to_string(), None)],
    }
}

pub fn unknown() -> Outcome {
    denied_by("known-asset")
}

pub fn stopped() -> Outcome {
    denied_by("status")
}

pub struct Case {
    pub name: &'static str,
    pub input: Value,
    pub expect: Outcome,
    /// Messages OPA's reasons must hold, each as a whole message.
    pub says: Vec<&'static str>,
}

impl Case {
    fn says(mut self, messages: &[&'static str]) -> Case {
        self.says = messages.to_vec();
        self
    }
}

pub fn request(
    asset: &str,
    tool: &str,
    credential: Value,
    approval: impl Into<Value>,
    now: i64,
) -> Value {
    json!({"asset": asset, "tool": tool, "credential": credential, "approval": approval.into(), "now": now})
}

/// An approval by `team` at `at`.
pub fn by(team: &str, at: i64) -> Value {
    json!({"by": team, "at": at})
}

/// `request` stating a confidence.
fn confident(mut request: Value, confidence: i64) -> Value {
    request["confidence"] = json!(confidence);
    request
}

/// `request` without its approval key.
fn unapproved(mut request: Value) -> Value {
    request.as_object_mut().unwrap().remove("approval");
    request
}

pub fn workload(ttl: i64, spiffe: &str) -> Value {
    json!({"type": "workload", "ttl_seconds": ttl, "spiffe_id": spiffe})
}

pub fn credential(kind: &str, ttl: i64) -> Value {
    json!({"type": kind, "ttl_seconds": ttl})
}

fn case(name: &'static str, input: Value, expect: Outcome) -> Case {
    Case {
        name,
        input,
        expect,
        says: Vec::new(),
    }
}

pub fn table() -> Vec<Case> {
    let mut table = checks();
    table.extend(approvals());
    table.extend(windows());
    table.extend(confidence());
    table.extend(status());
    table
}

/// The checks of SPEC section 4 on their own.
fn checks() -> Vec<Case> {
    let good = || workload(600, PAY);
    let pay =
        |tool, credential, approval: Value| request("pay-agent", tool, credential, approval, NOW);
    let shaky = |tool, credential| request("shaky-agent", tool, credential, false, NOW);
    let odd = |tool, credential| request("odd-mcp", tool, credential, false, NOW);
    let excepted = |spiffe, approval: Value, now| {
        request(
            "excepted-agent",
            "refunds.create",
            workload(60, spiffe),
            approval,
            now,
        )
    };
    vec![
        case(
            "declared read tool",
            pay("invoices.read", good(), json!(false)),
            allow(),
        ),
        case(
            "deny tool",
            pay("customers.delete", good(), by("iam", NOW)),
            deny(&["ALLOWLIST"]),
        ),
        case(
            "undeclared tool",
            pay("wire.transfer", good(), by("iam", NOW)),
            deny(&["ALLOWLIST"]),
        ),
        case(
            "ttl one over max-ttl, first control by id",
            pay("invoices.read", workload(901, PAY), json!(false)),
            deny(&["TTL-A"]),
        ),
        case(
            "ttl exactly max-ttl",
            pay("invoices.read", workload(900, PAY), json!(false)),
            allow(),
        ),
        case(
            "static secret",
            pay(
                "invoices.read",
                json!({"type": "static-secret", "ttl_seconds": 60, "spiffe_id": PAY}),
                json!(false),
            ),
            deny(&["WORKLOAD-ID"]),
        ),
        case(
            "wrong spiffe id",
            pay(
                "invoices.read",
                workload(600, "spiffe://test.example/other"),
                json!(false),
            ),
            deny(&["WORKLOAD-ID"]),
        ),
        case(
            "jit credential with the spiffe id",
            pay(
                "invoices.read",
                json!({"type": "jit", "ttl_seconds": 60, "spiffe_id": PAY}),
                json!(false),
            ),
            allow(),
        ),
        case(
            "workload credential without spiffe id",
            pay("invoices.read", credential("workload", 60), json!(false)),
            deny(&["WORKLOAD-ID"]),
        ),
        case(
            "step-up and long ttl: not step-up only",
            pay("refunds.create", workload(3600, PAY), json!(false)),
            deny(&["STEP-UP", "TTL-A"]),
        ),
        case(
            "deny tool and shared human",
            pay(
                "customers.delete",
                credential("shared-human", 60),
                json!(false),
            ),
            deny(&["ALLOWLIST", "WORKLOAD-ID"]),
        ),
        case(
            "low trust reads",
            shaky("invoices.read", credential("workload", 3600)),
            allow(),
        ),
        case(
            "no spiffe-id declared: any spiffe id",
            shaky("invoices.read", workload(60, "spiffe://anything")),
            allow(),
        ),
        case(
            "low trust writes",
            shaky("invoices.update", credential("workload", 60)),
            deny(&["TRUST"]),
        ),
        case(
            "low trust, undeclared tool counts as a write",
            shaky("invoices.delete", credential("jit", 60)),
            deny(&["ALLOWLIST", "TRUST"]),
        ),
        case(
            "no max-ttl: policy max-credential-ttl",
            shaky("invoices.read", credential("workload", 3601)),
            deny(&["TTL-A"]),
        ),
        case(
            "low trust, shared human",
            shaky("invoices.read", credential("shared-human", 60)),
            deny(&["WORKLOAD-ID"]),
        ),
        case(
            "exception holds",
            excepted(EXCEPTED, json!(false), NOW),
            allow(),
        ),
        case(
            "exception holds through its last second",
            excepted(EXCEPTED, json!(false), LAST_SECOND),
            allow(),
        ),
        case(
            "exception lapsed",
            excepted(EXCEPTED, json!(false), LAPSED),
            step_up("STEP-UP"),
        ),
        case(
            "exception lapsed, approved",
            excepted(EXCEPTED, by("iam", LAPSED - 60), LAPSED),
            allow(),
        ),
        case(
            "exception covers only its control",
            excepted(PAY, json!(false), NOW),
            deny(&["WORKLOAD-ID"]),
        ),
        case(
            "quote in a tool name",
            odd("quote\".read", credential("jit", 300)),
            allow(),
        ),
        case(
            "backslash in a tool name",
            odd("back\\slash.read", credential("jit", 300)),
            allow(),
        ),
        case(
            "newline in a tool name",
            odd("new\nline.read", credential("jit", 300)),
            allow(),
        ),
        case(
            "unicode tool name",
            odd("ツール.read", credential("jit", 300)),
            allow(),
        ),
        case(
            "injection attempt is just a denied tool",
            odd(INJECTION, credential("jit", 300)),
            deny(&["ALLOWLIST"]),
        ),
        case(
            "prefix of a hostile name is not declared",
            odd("quote", credential("jit", 300)),
            deny(&["ALLOWLIST"]),
        ),
        case(
            "mcp server ttl",
            odd("ツール.read", credential("jit", 301)),
            deny(&["TTL-A"]),
        ),
        case(
            "no workload-identity check on the mcp server",
            odd("ツール.read", credential("static-secret", 60)),
            allow(),
        ),
        case(
            "no check on a dataset",
            request(
                "plain-dataset",
                "anything.write",
                credential("static-secret", 999_999),
                false,
                NOW,
            ),
            allow(),
        ),
        case(
            "unknown asset",
            request("ghost", "invoices.read", good(), by("iam", NOW), NOW),
            unknown(),
        ),
        case(
            "asset ids are exact",
            request("Pay-Agent", "invoices.read", good(), false, NOW),
            unknown(),
        ),
        case(
            "hostile asset id",
            request("pay-agent\" || true", "invoices.read", good(), false, NOW),
            unknown(),
        ),
    ]
}

/// A step-up call of the pay agent at [`NOW`], with its workload identity
/// and `approval`.
pub fn refund(approval: Value) -> Value {
    request(
        "pay-agent",
        "refunds.create",
        workload(600, PAY),
        approval,
        NOW,
    )
}

/// Who approved a step-up call, and when.
fn approvals() -> Vec<Case> {
    let staging = |asset, approval: Value| {
        request(
            asset,
            "refunds.create",
            credential("workload", 60),
            approval,
            NOW,
        )
    };
    vec![
        case(
            "approved by the approver",
            refund(by("iam", NOW - 60)),
            allow(),
        ),
        case(
            "approved at the second of the request",
            refund(by("iam", NOW)),
            allow(),
        ),
        case(
            "approved exactly approval-ttl ago",
            refund(by("iam", NOW - 900)),
            allow(),
        ),
        case(
            "approval one second too old",
            refund(by("iam", NOW - 901)),
            step_up("STEP-UP"),
        )
        .says(&["approval is 901 seconds old, over 15m"]),
        case(
            "approval minutes too old",
            refund(by("iam", NOW - 2400)),
            step_up("STEP-UP"),
        )
        .says(&["approval is 40 minutes old, over 15m"]),
        case(
            "approval from the future",
            refund(by("iam", NOW + 1)),
            step_up("STEP-UP"),
        )
        .says(&["approval is dated 1s after the request"]),
        case(
            "approved by the operator",
            refund(by("ops", NOW - 60)),
            step_up("STEP-UP"),
        )
        .says(&[
            "approved by the operator `ops`",
            "approved by `ops`, not by the approver `iam`",
        ]),
        case(
            "approved by the accountable owner, not the approver",
            refund(by("owner", NOW - 60)),
            step_up("STEP-UP"),
        )
        .says(&["approved by `owner`, not by the approver `iam`"]),
        case(
            "`true` names no approver",
            refund(json!(true)),
            step_up("STEP-UP"),
        )
        .says(&["the approval names no approver"]),
        case(
            "`false` is no approval",
            refund(json!(false)),
            step_up("STEP-UP"),
        )
        .says(&["tool `refunds.create` needs a human approval"]),
        case(
            "no approval key",
            unapproved(refund(json!(false))),
            step_up("STEP-UP"),
        )
        .says(&["tool `refunds.create` needs a human approval"]),
        case(
            "approved by the operator, long ttl: not step-up only",
            request(
                "pay-agent",
                "refunds.create",
                workload(3600, PAY),
                by("ops", NOW),
                NOW,
            ),
            deny(&["STEP-UP", "TTL-A"]),
        ),
        case(
            "no approver: the accountable owner approves",
            staging("unassigned-agent", by("owner", NOW - 60)),
            allow(),
        ),
        case(
            "no approver: another team does not",
            staging("unassigned-agent", by("iam", NOW - 60)),
            step_up("STEP-UP"),
        )
        .says(&["approved by `iam`, not by the approver `owner`"]),
        case(
            "no approver: the operator does not",
            staging("unassigned-agent", by("ops", NOW - 60)),
            step_up("STEP-UP"),
        ),
        case(
            "approver who operates: their approval never counts",
            staging("self-approved-agent", by("ops", NOW - 60)),
            step_up("STEP-UP"),
        )
        .says(&["approved by the operator `ops`"]),
        case(
            "approver who operates: nor anyone else's",
            staging("self-approved-agent", by("owner", NOW - 60)),
            step_up("STEP-UP"),
        )
        .says(&["approved by `owner`, not by the approver `ops`"]),
    ]
}

/// A second before and after each edge of a tool's window.
fn windows() -> Vec<Case> {
    let report = |now| request("pay-agent", "reports.read", workload(600, PAY), false, now);
    let bulk = |approval: Value, now| {
        request(
            "pay-agent",
            "refunds.bulk",
            workload(600, PAY),
            approval,
            now,
        )
    };
    let open_ended = |tool, now| request("pay-agent", tool, workload(600, PAY), false, now);
    let shaky = |now| {
        request(
            "shaky-agent",
            "reports.read",
            credential("workload", 60),
            false,
            now,
        )
    };
    vec![
        case(
            "window: a second before it opens",
            report(START - 1),
            deny(&["ALLOWLIST"]),
        )
        .says(&["tool `reports.read` is not declared for asset `pay-agent`"]),
        case("window: the second it opens", report(START), allow()),
        case("window: its last second", report(END - 1), allow()),
        case(
            "window: the second it closes",
            report(END),
            deny(&["ALLOWLIST"]),
        ),
        case(
            "window: an approval does not open a closed window",
            bulk(by("iam", START - 61), START - 1),
            deny(&["ALLOWLIST"]),
        ),
        case(
            "window: open, step-up applies",
            bulk(json!(false), START),
            step_up("STEP-UP"),
        ),
        case(
            "window: open, approved",
            bulk(by("iam", END - 61), END - 1),
            allow(),
        ),
        case(
            "window: closed, no step-up to ask for",
            bulk(json!(false), END),
            deny(&["ALLOWLIST"]),
        ),
        case(
            "window: under trust, before it opens a read counts as a write",
            shaky(START - 1),
            deny(&["ALLOWLIST", "TRUST"]),
        ),
        case("window: under trust, open", shaky(START), allow()),
        case(
            "from only: a second before",
            open_ended("preview.read", START - 1),
            deny(&["ALLOWLIST"]),
        ),
        case(
            "from only: the second it opens",
            open_ended("preview.read", START),
            allow(),
        ),
        case(
            "from only: years later",
            open_ended("preview.read", END + 400_000_000),
            allow(),
        ),
        case(
            "until only: long before",
            open_ended("legacy.read", 0),
            allow(),
        ),
        case(
            "until only: its last second",
            open_ended("legacy.read", START - 1),
            allow(),
        ),
        case(
            "until only: the second it closes",
            open_ended("legacy.read", START),
            deny(&["ALLOWLIST"]),
        ),
        case("window: under trust, last second", shaky(END - 1), allow()),
        case(
            "window: under trust, closed",
            shaky(END),
            deny(&["ALLOWLIST", "TRUST"]),
        ),
    ]
}

/// The confidence floor of a tool.
fn confidence() -> Vec<Case> {
    let search =
        |approval: Value| request("pay-agent", "kb.search", workload(600, PAY), approval, NOW);
    vec![
        case(
            "confidence absent",
            search(json!(false)),
            step_up("CONFIDENCE"),
        )
        .says(&[
            "tool `kb.search` needs confidence 80 or a human approval, and the request states none",
        ]),
        case(
            "confidence one under the floor",
            confident(search(json!(false)), 79),
            step_up("CONFIDENCE"),
        )
        .says(&["confidence 79 is under 80: tool `kb.search` needs a human approval"]),
        case(
            "confidence zero",
            confident(search(json!(false)), 0),
            step_up("CONFIDENCE"),
        ),
        case(
            "confidence at the floor",
            confident(search(json!(false)), 80),
            allow(),
        ),
        case(
            "confidence full",
            confident(search(json!(false)), 100),
            allow(),
        ),
        case(
            "confidence under the floor, approved",
            confident(search(by("iam", NOW - 60)), 79),
            allow(),
        ),
        case(
            "confidence absent, approved",
            search(by("iam", NOW - 60)),
            allow(),
        ),
        case(
            "confidence under the floor, approved by the operator",
            confident(search(by("ops", NOW - 60)), 79),
            step_up("CONFIDENCE"),
        )
        .says(&[
            "approved by the operator `ops`",
            "approved by `ops`, not by the approver `iam`",
        ]),
        case(
            "confidence under the floor and long ttl: not step-up only",
            confident(
                request("pay-agent", "kb.search", workload(3600, PAY), false, NOW),
                79,
            ),
            deny(&["CONFIDENCE", "TTL-A"]),
        ),
        case(
            "confidence on a tool without a floor",
            confident(
                request("pay-agent", "invoices.read", workload(600, PAY), false, NOW),
                1,
            ),
            allow(),
        ),
        case(
            "confidence does not replace a step-up approval",
            confident(
                request(
                    "pay-agent",
                    "refunds.create",
                    workload(600, PAY),
                    false,
                    NOW,
                ),
                100,
            ),
            step_up("STEP-UP"),
        ),
        case(
            "no confidence check on the mcp server",
            request("odd-mcp", "ツール.read", credential("jit", 60), false, NOW),
            allow(),
        ),
    ]
}

/// Suspended and retired assets, with every check on (agents) and off
/// (datasets).
fn status() -> Vec<Case> {
    let mut cases = Vec::new();
    for (asset, says) in [
        ("suspended-agent", "asset `suspended-agent` is suspended"),
        ("retired-agent", "asset `retired-agent` is retired"),
    ] {
        cases.push(
            case(
                "stopped agent, a request every check allows",
                request(
                    asset,
                    "invoices.read",
                    credential("workload", 60),
                    by("iam", NOW - 60),
                    NOW,
                ),
                stopped(),
            )
            .says(&[says]),
        );
        cases.push(case(
            "stopped agent, a request every check denies: one reason",
            request(
                asset,
                "wire.transfer",
                credential("shared-human", 999_999),
                true,
                NOW,
            ),
            stopped(),
        ));
    }
    for asset in ["suspended-dataset", "retired-dataset"] {
        cases.push(case(
            "stopped dataset, no check on",
            request(
                asset,
                "anything.read",
                credential("workload", 60),
                false,
                NOW,
            ),
            stopped(),
        ));
    }
    cases
}

/// The owners every decision for `asset` names.
pub fn owners(asset: &str) -> Value {
    let teams = |accountable: &str,
                 approver: Option<&str>,
                 operator: Option<&str>,
                 revoker: Option<&str>| {
        json!({"accountable": accountable, "approver": approver, "operator": operator, "revoker": revoker})
    };
    match asset {
        "pay-agent" | "shaky-agent" | "excepted-agent" | "odd-mcp" | "suspended-agent"
        | "retired-agent" => teams("owner", Some("iam"), Some("ops"), Some("iam")),
        "unassigned-agent" => teams("owner", None, Some("ops"), Some("iam")),
        "self-approved-agent" => teams("owner", Some("ops"), Some("ops"), Some("iam")),
        "plain-dataset" | "suspended-dataset" | "retired-dataset" => {
            teams("owner", None, None, None)
        }
        _ => json!({"accountable": null, "approver": null, "operator": null, "revoker": null}),
    }
}
