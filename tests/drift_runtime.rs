//! Drift of what the bundles enforce beyond tools and identity: an asset's
//! status, a tool's window and its confidence floor.

use govern::check::check;
use govern::drift::changes::{diff, Kind, Severity};
use govern::load::{Body, Input};
use jiff::civil::date;

const TEAMS: &str = "[[team]]\nid = \"product\"\n\n[[team]]\nid = \"ops\"\n";

/// An agent with `status` and one tool with `tool` lines.
fn side(status: &str, tool: &str) -> Vec<Input> {
    let asset = format!(
        "[[asset]]\nid = \"agent\"\nkind = \"agent\"\nenvironment = \"staging\"\n{status}\nowners = {{ accountable = \"product\", operator = \"ops\" }}\n\n[[asset.tool]]\nid = \"search\"\n{tool}\n"
    );
    [
        ("governance/teams.toml", TEAMS.to_string()),
        ("governance/assets.toml", asset),
    ]
    .into_iter()
    .map(|(name, text)| Input {
        name: name.into(),
        is_settings: false,
        body: Body::Bytes(text.into_bytes()),
    })
    .collect()
}

/// The privilege changes from `before` to `after`, as (kind, severity,
/// before, after).
fn changes(before: Vec<Input>, after: Vec<Input>) -> Vec<(Kind, Severity, String, String)> {
    let today = date(2026, 11, 23);
    let (b, a) = (check(before, today), check(after, today));
    assert!(!b.has_errors() && !a.has_errors(), "{:?}", a.diagnostics);
    diff(&b.model, &a.model)
        .into_iter()
        .filter(|c| matches!(c.kind, Kind::PrivilegeWidened | Kind::PrivilegeNarrowed))
        .map(|c| {
            (
                c.kind,
                c.severity,
                c.before.unwrap_or_default(),
                c.after.unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn stopping_an_asset_narrows_and_reactivating_it_widens_at_high() {
    for stopped in ["suspended", "retired"] {
        let status = format!("status = \"{stopped}\"");
        assert_eq!(
            changes(side("", ""), side(&status, "")),
            [(
                Kind::PrivilegeNarrowed,
                Severity::Info,
                "active".into(),
                stopped.into()
            )]
        );
        assert_eq!(
            changes(side(&status, ""), side("status = \"active\"", "")),
            [(
                Kind::PrivilegeWidened,
                Severity::High,
                stopped.into(),
                "active".into()
            )]
        );
    }
    assert!(changes(side("", ""), side("status = \"active\"", "")).is_empty());
}

#[test]
fn a_window_widened_is_widened_and_narrowed_is_narrowed() {
    let december = "from = 2026-12-01\nuntil = 2026-12-31";
    let longer = "from = 2026-11-01\nuntil = 2026-12-31";
    let shorter = "from = 2026-12-01\nuntil = 2026-12-15";
    let cases = [
        (december, "", Kind::PrivilegeWidened),
        (december, longer, Kind::PrivilegeWidened),
        (december, "from = 2026-12-01", Kind::PrivilegeWidened),
        ("", december, Kind::PrivilegeNarrowed),
        (december, shorter, Kind::PrivilegeNarrowed),
    ];
    for (was, now, kind) in cases {
        let got = changes(side("", was), side("", now));
        assert_eq!(got.len(), 1, "{was:?} -> {now:?}: {got:?}");
        assert_eq!(got[0].0, kind, "{was:?} -> {now:?}");
    }
    let got = changes(side("", december), side("", longer));
    assert_eq!(
        (got[0].2.as_str(), got[0].3.as_str()),
        (
            "search: 2026-12-01 to 2026-12-31",
            "search: 2026-11-01 to 2026-12-31"
        )
    );
    assert!(changes(side("", december), side("", december)).is_empty());
}

#[test]
fn a_confidence_floor_lowered_or_dropped_widens() {
    let at = |n: u8| format!("min-confidence = {n}");
    let cases = [
        (at(80), at(60), Kind::PrivilegeWidened),
        (at(80), String::new(), Kind::PrivilegeWidened),
        (at(60), at(80), Kind::PrivilegeNarrowed),
        (String::new(), at(10), Kind::PrivilegeNarrowed),
    ];
    for (was, now, kind) in cases {
        let got = changes(side("", &was), side("", &now));
        assert_eq!(got.len(), 1, "{was:?} -> {now:?}: {got:?}");
        assert_eq!(got[0].0, kind, "{was:?} -> {now:?}");
        assert_eq!(got[0].1, kind.severity(), "{was:?} -> {now:?}");
    }
    assert_eq!(
        changes(side("", &at(80)), side("", &at(60)))[0].3,
        "search: min-confidence 60"
    );
}
