//! The privilege changes of one asset between the two sides of a drift:
//! its status, identity and credential lifetime, and each tool's access,
//! decision, window and confidence floor; widened or narrowed.

use super::changes::{Change, Kind};
use crate::model::vocab::{Access, AssetStatus, Decision, IdentityType};
use crate::model::Asset;
use crate::source::{Sp, Span};
use jiff::civil::Date;
use std::collections::BTreeMap;

fn identity_rank(t: Option<IdentityType>) -> u8 {
    match t {
        Some(IdentityType::Workload) => 0,
        Some(IdentityType::Jit) => 1,
        None => 2,
        Some(IdentityType::StaticSecret) => 3,
        Some(IdentityType::SharedHuman) | Some(IdentityType::None) => 4,
    }
}

/// Looser decisions rank higher: deny < step-up < allow.
fn decision_rank(d: Decision) -> u8 {
    match d {
        Decision::Deny => 0,
        Decision::StepUp => 1,
        Decision::Allow => 2,
    }
}

/// Says when a tool's grant holds: "always", "from D", "until D" or "D to D".
fn window(t: &crate::model::Tool) -> String {
    match (&t.from, &t.until) {
        (None, None) => "always".into(),
        (Some(f), None) => format!("from {}", f.value),
        (None, Some(u)) => format!("until {}", u.value),
        (Some(f), Some(u)) => format!("{} to {}", f.value, u.value),
    }
}

pub fn privileges(b: &Asset, a: &Asset, out: &mut Vec<Change>) {
    let id = a.id.value.as_str();
    let mut push = |wider: bool,
                    message: String,
                    before: Option<String>,
                    after: Option<String>,
                    span: Span| {
        let kind = if wider {
            Kind::PrivilegeWidened
        } else {
            Kind::PrivilegeNarrowed
        };
        out.push(
            Change::new(kind, message)
                .asset(id)
                .values(before, after)
                .to(span),
        );
    };
    let tool_span = |tool: &str| {
        a.tools
            .iter()
            .find(|t| t.id.value == tool)
            .map_or(a.id.span, |t| t.span)
    };
    let identity_span = a.identity.as_ref().map_or(a.id.span, |i| i.span);
    let tools = |x: &Asset| -> BTreeMap<String, (Access, Decision)> {
        x.tools
            .iter()
            .map(|t| (t.id.value.clone(), (t.access.value, t.decision.value)))
            .collect()
    };
    let (tb, ta) = (tools(b), tools(a));
    let show = |(access, decision): &(Access, Decision)| format!("{access}, {decision}");
    for (tool, now) in &ta {
        match tb.get(tool) {
            None => push(
                true,
                format!("`{id}` may now call tool `{tool}`"),
                None,
                Some(format!("{tool}: {}", show(now))),
                tool_span(tool),
            ),
            Some(was) if was != now => {
                let wider = now.0 > was.0 || decision_rank(now.1) > decision_rank(was.1);
                let narrower = now.0 < was.0 || decision_rank(now.1) < decision_rank(was.1);
                if wider || narrower {
                    push(
                        wider,
                        format!(
                            "tool `{tool}` of `{id}` went from {} to {}",
                            show(was),
                            show(now)
                        ),
                        Some(format!("{tool}: {}", show(was))),
                        Some(format!("{tool}: {}", show(now))),
                        tool_span(tool),
                    );
                }
            }
            Some(_) => {}
        }
    }
    for (tool, was) in &tb {
        if !ta.contains_key(tool) {
            push(
                false,
                format!("`{id}` may no longer call tool `{tool}`"),
                Some(format!("{tool}: {}", show(was))),
                None,
                a.id.span,
            );
        }
    }
    if b.status.value != a.status.value {
        push(
            a.status.value == AssetStatus::Active,
            format!("`{id}` went from {} to {}", b.status.value, a.status.value),
            Some(b.status.value.to_string()),
            Some(a.status.value.to_string()),
            a.status.span,
        );
    }
    for now in &a.tools {
        let tool = now.id.value.as_str();
        let Some(was) = b.tools.iter().find(|t| t.id.value == tool) else {
            continue;
        };
        let (wb, wa) = (window(was), window(now));
        if wb != wa {
            let day = |d: &Option<Sp<Date>>| d.as_ref().map(|d| d.value);
            // No bound is the widest: no `from` starts first, no `until` ends last.
            let (fb, fa, ub, ua) = (
                day(&was.from),
                day(&now.from),
                day(&was.until),
                day(&now.until),
            );
            let starts_earlier = match (fa, fb) {
                (None, Some(_)) => true,
                (Some(x), Some(y)) => x < y,
                _ => false,
            };
            let ends_later = match (ua, ub) {
                (None, Some(_)) => true,
                (Some(x), Some(y)) => x > y,
                _ => false,
            };
            let wider = starts_earlier || ends_later;
            push(
                wider,
                format!("the grant of tool `{tool}` of `{id}` went from {wb} to {wa}"),
                Some(format!("{tool}: {wb}")),
                Some(format!("{tool}: {wa}")),
                now.span,
            );
        }
        let (cb, ca) = (
            was.min_confidence.as_ref().map(|c| c.value),
            now.min_confidence.as_ref().map(|c| c.value),
        );
        if cb != ca {
            let floor = |c: Option<u8>| {
                c.map_or("no confidence floor".to_string(), |c| {
                    format!("min-confidence {c}")
                })
            };
            push(
                ca.unwrap_or(0) < cb.unwrap_or(0),
                format!(
                    "tool `{tool}` of `{id}` went from {} to {}",
                    floor(cb),
                    floor(ca)
                ),
                Some(format!("{tool}: {}", floor(cb))),
                Some(format!("{tool}: {}", floor(ca))),
                now.span,
            );
        }
    }
    let kind = |x: &Asset| {
        x.identity
            .as_ref()
            .and_then(|i| i.kind.as_ref().map(|k| k.value))
    };
    let (kb, ka) = (kind(b), kind(a));
    if identity_rank(kb) != identity_rank(ka) {
        let name =
            |k: Option<IdentityType>| k.map_or("undeclared".to_string(), |k| k.name().to_string());
        push(
            identity_rank(ka) > identity_rank(kb),
            format!(
                "identity of `{id}` changed from {} to {}",
                name(kb),
                name(ka)
            ),
            Some(name(kb)),
            Some(name(ka)),
            identity_span,
        );
    }
    let ttl = |x: &Asset| {
        x.identity
            .as_ref()
            .and_then(|i| i.max_ttl.as_ref().map(|t| t.value))
    };
    if let (Some(was), Some(now)) = (ttl(b), ttl(a)) {
        if was != now {
            push(
                now > was,
                format!("credential lifetime of `{id}` changed from {was} to {now}"),
                Some(was.to_string()),
                Some(now.to_string()),
                identity_span,
            );
        }
    }
}
