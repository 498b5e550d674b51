//! `report.html` opened in headless Chromium: it loads without console
//! errors, needs nothing from outside the file, and shows the key numbers of
//! the same build. Chromium must be installed (`apt-get install chromium`).

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> PathBuf {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::var("PATH").unwrap_or_default().split(':') {
            let path = Path::new(dir).join(name);
            if path.is_file() {
                return path;
            }
        }
    }
    panic!("the report test needs headless Chromium: apt-get install chromium");
}

/// Opens `page` headless and returns its DOM after scripts ran, and every
/// console message the page logged.
fn open(page: &Path) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let console = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    (String::from_utf8(out.stdout).unwrap(), console)
}

fn build(out: &Path) {
    common::build(Path::new(env!("CARGO_MANIFEST_DIR")), out, &[]);
}

#[test]
fn the_console_check_sees_errors() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("broken.html");
    std::fs::write(
        &page,
        "<p>x</p><script>console.error('boom'); missing();</script>",
    )
    .unwrap();
    let (_, console) = open(&page);
    assert!(console.iter().any(|l| l.contains("boom")), "{console:?}");
    assert!(
        console.iter().any(|l| l.contains("missing is not defined")),
        "{console:?}"
    );
}

#[test]
fn the_report_loads_cleanly_and_shows_the_key_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    build(&dist);
    let html = std::fs::read_to_string(dist.join("report.html")).unwrap();
    for outside in [
        "src=\"http",
        "href=\"http",
        "<link ",
        "<script src",
        "url(http",
        "@import",
    ] {
        assert!(
            !html.contains(outside),
            "report.html loads `{outside}` from outside"
        );
    }

    let (dom, console) = open(&dist.join("report.html"));
    assert!(console.is_empty(), "console messages: {console:#?}");

    let model: Value =
        serde_json::from_str(&std::fs::read_to_string(dist.join("model.json")).unwrap()).unwrap();
    let count = |key: &str| model[key].as_array().map_or(0, Vec::len);
    assert!(
        dom.contains(&format!("id=\"count-assets\">{}<", count("assets"))),
        "asset count"
    );
    assert!(
        dom.contains(&format!("id=\"count-teams\">{}<", count("teams"))),
        "team count"
    );
    assert!(
        dom.contains(&format!("id=\"count-controls\">{}<", count("controls"))),
        "control count"
    );

    let frameworks = model["policy"]["frameworks"].as_array().unwrap();
    assert_eq!(frameworks.len(), 5);
    let mut gaps = 0;
    for id in frameworks {
        let id = id.as_str().unwrap();
        let mapping: Value = serde_json::from_str(
            &std::fs::read_to_string(dist.join(format!("mapping/{id}.json"))).unwrap(),
        )
        .unwrap();
        let summary = &mapping["summary"];
        gaps += summary["gaps"].as_u64().unwrap();
        let row_start = dom
            .find(&format!("id=\"coverage-{id}\""))
            .unwrap_or_else(|| panic!("no coverage row for {id}"));
        let row = &dom[row_start..row_start + dom[row_start..].find("</tr>").unwrap()];
        let percent = format!("<strong>{}%</strong>", summary["percent"]);
        assert!(row.contains(&percent), "{id}: no {percent} in {row}");
        assert!(
            row.contains(&format!("<td class=\"num\">{}</td>", summary["total"])),
            "{id} total"
        );
    }
    assert!(
        dom.contains(&format!("id=\"count-gaps\">{gaps}<")),
        "gap count {gaps}"
    );

    let findings: Value =
        serde_json::from_str(&std::fs::read_to_string(dist.join("findings.json")).unwrap())
            .unwrap();
    let escalations = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            [
                "finding-escalation",
                "finding-retest-overdue",
                "trust-below-threshold",
            ]
            .contains(&d["code"].as_str().unwrap())
        })
        .count();
    assert!(escalations > 0, "the example escalates something");
    assert!(dom.contains(&format!("id=\"count-escalations\">{escalations}<")));
    assert!(
        dom.contains("F-2026-031"),
        "the open high finding is listed"
    );
    assert!(
        dom.contains("id=\"team-payments-product\""),
        "owners and load"
    );
}
