//! `report.html` opened in headless Chromium: it loads without console
//! errors, needs nothing from outside the file, shows the key numbers of
//! the same build and lists everything its cards count, marks loads and
//! trust scores against the policy, and reads on a phone as on a desktop.
//! Chromium must be installed (`apt-get install chromium`).

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The day [`common::build`] checks the rules against.
const TODAY: &str = "2026-11-23";

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
    open_in(page, None)
}

/// Opens `page` headless in a window of `size` (width, height), or the
/// default window.
fn open_in(page: &Path, size: Option<(u32, u32)>) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().unwrap();
    let mut command = Command::new(chromium());
    if let Some((width, height)) = size {
        command.arg(format!("--window-size={width},{height}"));
    }
    let out = command
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

    // The section lists what `govern escalations` lists for the same day.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listed = common::govern_in(root, &["escalations", "--format", "json"]).json();
    let items: Vec<&Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["items"].as_array().unwrap())
        .collect();
    let escalations = items.len();
    assert!(escalations > 0, "the example escalates something");
    let start = dom
        .find("<section id=\"escalations\">")
        .expect("an escalations section");
    let section = &dom[start..start + dom[start..].find("</section>").unwrap()];
    let rows: Vec<&str> = section.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), escalations, "one row per item: {section}");
    let row_of = |item: &Value| {
        let message = item["message"].as_str().unwrap().replace('`', "");
        rows.iter()
            .position(|r| r.contains(&message))
            .unwrap_or_else(|| panic!("`{message}` is not in the section"))
    };
    // One list, most urgent first: no date, then the most days overdue.
    let urgency = |i: &Value| (!i["due"].is_null(), -i["overdue_days"].as_i64().unwrap());
    let mut by_row: Vec<(usize, (bool, i64))> =
        items.iter().map(|i| (row_of(i), urgency(i))).collect();
    by_row.sort();
    let order: Vec<(bool, i64)> = by_row.into_iter().map(|(_, u)| u).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "rows come most urgent first");
    assert!(
        dom.contains("<code>secops</code> as control-owner"),
        "who acts"
    );
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

/// Measures the page it is appended to, with every `<details>` open as a
/// reader may open them, and writes the measurements as JSON into the
/// `#measure` element of the page that frames it.
const MEASURE: &str = r#"<script>
(function () {
  var all = function (root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); };
  all(document, 'details').forEach(function (d) { d.open = true; });
  var root = document.documentElement;
  var view = root.clientWidth;
  var scroller = function (el) {
    for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      var o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') { return p; }
    }
    return null;
  };
  var name = function (el) {
    var at = el.parentElement && el.parentElement.closest('[id]');
    return el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + (at ? ' in #' + at.id : '');
  };
  var tables = all(document, 'table').map(function (t) {
    var s = scroller(t);
    return { table: name(t), right: (s || t).getBoundingClientRect().right, scroller: !!s, scrolls: !!s && s.scrollWidth > s.clientWidth };
  });
  var overflowing = all(document, 'body *').filter(function (el) {
    return !scroller(el) && el.getBoundingClientRect().right > view + 0.5;
  }).map(name).slice(0, 10);
  var cards = all(document, 'a.card').map(function (c) {
    var list = document.querySelector(c.getAttribute('href'));
    return { card: c.querySelector('.l').textContent, shown: Number(c.querySelector('.n').textContent), listed: list ? all(list, 'tbody tr').length : null };
  });
  var heat = all(document, '#heatmap .heat').map(function (h) {
    var list = h.nextElementSibling;
    var rows = list && list.tagName === 'DETAILS' ? all(list, 'tbody tr') : [];
    var squares = all(h, 'a');
    return {
      framework: h.previousElementSibling.textContent,
      squares: squares.length,
      listed: rows.map(function (r) { return r.cells[0].textContent; }),
      linked: squares.every(function (a, i) { return document.getElementById(a.getAttribute('href').slice(1)) === rows[i]; })
    };
  });
  parent.document.getElementById('measure').textContent = JSON.stringify({
    innerWidth: innerWidth, clientWidth: view, scrollWidth: root.scrollWidth,
    tables: tables, overflowing: overflowing, cards: cards, heat: heat
  });
})();
</script>"#;

/// Lays `report` out in a viewport of `width` x `height` CSS pixels and
/// returns what [`MEASURE`] found there. Headless Chromium never makes its
/// window narrower than 500 pixels, so the page is framed in an iframe of
/// exactly that size, in a window of that size; `srcdoc` keeps the frame
/// of the same origin, so that its script can write into the host page.
fn measure(report: &Path, width: u32, height: u32) -> Value {
    let html = std::fs::read_to_string(report).unwrap();
    let at = html.rfind("</body>").expect("the report has a body");
    let page = format!("{}{MEASURE}\n{}", &html[..at], &html[at..]);
    let framed = page.replace('&', "&amp;").replace('"', "&quot;");
    let host = format!(
        "<!doctype html><html><body style=\"margin: 0\"><pre id=\"measure\" hidden></pre>\
         <iframe style=\"display: block; border: 0; width: {width}px; height: {height}px\" srcdoc=\"{framed}\"></iframe>\
         </body></html>"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("host.html");
    std::fs::write(&path, host).unwrap();
    let (dom, console) = open_in(&path, Some((width, height)));
    assert!(console.is_empty(), "console messages: {console:#?}");
    let start = dom.find("id=\"measure\"").expect("the host page");
    let text = &dom[start..];
    let text = &text[text.find('>').unwrap() + 1..text.find("</pre>").unwrap()];
    let json = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: the page measured `{json}`"))
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_report_fits_a_phone_and_a_desktop_and_lists_what_it_counts() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    build(&dist);
    let model = read_json(&dist.join("model.json"));
    let page = dist.join("report.html");
    for (width, height) in [(390, 844), (1280, 800)] {
        let m = measure(&page, width, height);
        assert_eq!(
            m["innerWidth"], width,
            "the page was laid out {} wide, not {width}",
            m["innerWidth"]
        );
        let view = m["clientWidth"].as_f64().unwrap();
        assert!(
            m["scrollWidth"].as_f64().unwrap() <= view,
            "at {width} px the page scrolls sideways ({} > {view}); wider than the page: {}",
            m["scrollWidth"],
            m["overflowing"]
        );
        let tables = m["tables"].as_array().unwrap();
        for t in tables {
            assert!(
                t["scroller"] == true || t["right"].as_f64().unwrap() <= view + 0.5,
                "at {width} px {t} sticks out of the page"
            );
        }
        if width == 390 {
            assert!(
                tables.iter().any(|t| t["scrolls"] == true),
                "at 390 px no table is wider than its card, so nothing tested the scrolling: {tables:#?}"
            );
        }

        let cards = m["cards"].as_array().unwrap();
        assert_eq!(cards.len(), 7, "{cards:#?}");
        for card in cards {
            assert_eq!(
                card["shown"], card["listed"],
                "at {width} px the card counts what its list does not show: {card}"
            );
        }
        let card = |label: &str| {
            cards
                .iter()
                .find(|c| c["card"] == label)
                .unwrap_or_else(|| panic!("no {label} card"))["shown"]
                .as_u64()
                .unwrap() as usize
        };
        for key in ["assets", "teams", "controls", "exceptions"] {
            assert_eq!(
                card(key),
                model[key].as_array().unwrap().len(),
                "{key} card"
            );
        }
        assert!(card("exceptions") > 0, "the example has exceptions");

        let heat = m["heat"].as_array().unwrap();
        let frameworks = model["policy"]["frameworks"].as_array().unwrap();
        assert_eq!(heat.len(), frameworks.len());
        for (map, id) in heat.iter().zip(frameworks) {
            let mapping = read_json(&dist.join(format!("mapping/{}.json", id.as_str().unwrap())));
            let requirements = mapping["requirements"].as_array().unwrap();
            let leaves: Vec<&Value> = requirements
                .iter()
                .filter(|r| !requirements.iter().any(|c| c["parent"] == r["id"]))
                .map(|r| &r["id"])
                .collect();
            let listed: Vec<&Value> = map["listed"].as_array().unwrap().iter().collect();
            assert_eq!(
                listed, leaves,
                "{id}: the heat map's list under a click is not its leaf requirements"
            );
            assert_eq!(map["squares"].as_u64().unwrap() as usize, leaves.len());
            assert_eq!(
                map["linked"], true,
                "{id}: a square links elsewhere than its row"
            );
        }
    }
}

/// The cells of one table row of `dom`, found by its id: each with its
/// class attribute and its inner HTML.
fn row<'d>(dom: &'d str, id: &str) -> Vec<(&'d str, &'d str)> {
    let start = dom
        .find(&format!("<tr id=\"{id}\""))
        .unwrap_or_else(|| panic!("no row {id}"));
    let row = &dom[start..start + dom[start..].find("</tr>").unwrap()];
    row.split("<td")
        .skip(1)
        .map(|td| {
            let open = td.find('>').unwrap();
            let class = td[..open]
                .split("class=\"")
                .nth(1)
                .map_or("", |c| &c[..c.find('"').unwrap()]);
            (class, &td[open + 1..td.find("</td>").unwrap()])
        })
        .collect()
}

/// The class and inner HTML of the cell of `row` whose class has `token`.
fn cell<'d>(row: &[(&'d str, &'d str)], token: &str) -> (&'d str, &'d str) {
    *row.iter()
        .find(|(class, _)| class.split(' ').any(|c| c == token))
        .unwrap_or_else(|| panic!("no {token} cell in {row:?}"))
}

/// The width in percent that the load bar of `row` is drawn at.
fn bar_width(row: &[(&str, &str)]) -> f64 {
    let (_, html) = cell(row, "load-cell");
    let style = html.split("style=\"width: ").nth(1).expect("a bar width");
    style[..style.find('%').unwrap()].parse().unwrap()
}

#[test]
fn exceptions_loads_and_trust_scores_are_shown_against_their_dates_and_limits() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    build(&dist);
    let model = read_json(&dist.join("model.json"));
    let (dom, console) = open(&dist.join("report.html"));
    assert!(console.is_empty(), "console messages: {console:#?}");

    let today: jiff::civil::Date = TODAY.parse().unwrap();
    let exceptions = model["exceptions"].as_array().unwrap();
    for e in exceptions {
        let id = e["id"].as_str().unwrap();
        let cells = row(&dom, &format!("exception-{id}"));
        assert_eq!(
            cell(&cells, "asset").1,
            e["asset"].as_str().unwrap(),
            "{id}"
        );
        assert_eq!(
            cell(&cells, "control").1,
            format!("<code>{}</code>", e["control"].as_str().unwrap()),
            "{id}"
        );
        assert_eq!(
            cell(&cells, "approver").1,
            e["approved-by"].as_str().unwrap(),
            "{id}"
        );
        let expires: jiff::civil::Date = e["expires"].as_str().unwrap().parse().unwrap();
        assert_eq!(cell(&cells, "expires").1, expires.to_string(), "{id}");
        let left = today.until(expires).unwrap().get_days();
        assert_eq!(cell(&cells, "days-left").1, format!("{left} days"), "{id}");
    }
    let cells = row(&dom, "exception-EXC-2026-014");
    assert_eq!(
        cell(&cells, "days-left").1,
        "53 days",
        "2026-11-23 to 2027-01-15"
    );

    let limit = model["policy"]["max-accountable"].as_f64().unwrap();
    assert_eq!(limit, 25.0);
    let mut accountable: std::collections::BTreeMap<&str, f64> = Default::default();
    for a in model["assets"].as_array().unwrap() {
        *accountable
            .entry(a["owners"]["accountable"].as_str().unwrap())
            .or_default() += 1.0;
    }
    for team in model["teams"].as_array().unwrap() {
        let id = team["id"].as_str().unwrap();
        let load = accountable.get(id).copied().unwrap_or(0.0);
        let drawn = bar_width(&row(&dom, &format!("team-{id}")));
        let want = (load / limit * 100.0).min(100.0);
        assert!(
            (drawn - want).abs() < 0.1,
            "{id}: {load} of {limit} drawn at {drawn}%, not {want}%"
        );
    }
    assert_eq!(
        bar_width(&row(&dom, "team-support-product")),
        24.0,
        "6 of 25"
    );

    let policy = model["policy"]["trust-threshold"].as_u64().unwrap();
    let mut marked = 0;
    for a in model["assets"].as_array().unwrap() {
        let Some(score) = a["trust"]["score"].as_u64() else {
            continue;
        };
        let threshold = a["trust"]["threshold"].as_u64().unwrap_or(policy);
        let id = a["id"].as_str().unwrap();
        let (class, html) = cell(&row(&dom, &format!("asset-{id}")), "trust");
        let below = score < threshold;
        let text = format!("below threshold {threshold}");
        assert_eq!(
            class.contains("below-threshold"),
            below,
            "{id}: {score} of {threshold}: {class}"
        );
        assert_eq!(
            html.contains(&text),
            below,
            "{id}: {score} of {threshold}: {html}"
        );
        marked += usize::from(below);
    }
    assert_eq!(marked, 1, "the example has one score under its threshold");
    let (_, html) = cell(&row(&dom, "asset-support-triage-agent"), "trust");
    assert!(
        html.starts_with("62 ") && html.contains("below threshold 70"),
        "{html}"
    );
    let (class, html) = cell(&row(&dom, "asset-billing-agent"), "trust");
    assert_eq!(
        (class, html),
        ("num trust", "78"),
        "78 is over its own threshold 75"
    );
}

#[test]
fn loads_over_the_limit_fill_the_bar_and_say_so_and_expired_exceptions_count_back() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("governance"),
        &repo.join("governance"),
    );
    let edit = |path: &str, from: &str, to: &str| {
        let path = repo.join(path);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{} has no `{from}`", path.display());
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "governance/governance.toml",
        "max-accountable = 25",
        "max-accountable = 4",
    );
    edit(
        "governance/governance.toml",
        "[rules]\n",
        "[rules]\nexception-expired = \"warning\"\n",
    );
    // Under its own threshold of 75, over the policy's 70.
    edit(
        "governance/assets/payments.toml",
        "score = 78\nassessed = 2026-11-01\nthreshold = 75",
        "score = 74\nassessed = 2026-11-01\nthreshold = 75",
    );
    let dist = dir.path().join("dist");
    let run = common::govern_on(
        dir.path(),
        "2027-01-20",
        &[
            "--repo",
            repo.to_str().unwrap(),
            "build",
            "--out",
            dist.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let (dom, console) = open(&dist.join("report.html"));
    assert!(console.is_empty(), "console messages: {console:#?}");

    for (team, accountable, width, over) in [
        ("support-product", "6", 100.0, true),
        ("payments-product", "5", 100.0, true),
        ("engineering", "4", 100.0, false),
        ("people-ops", "2", 50.0, false),
    ] {
        let cells = row(&dom, &format!("team-{team}"));
        assert_eq!(cells[1].1, accountable, "{team}");
        assert_eq!(bar_width(&cells), width, "{team}");
        let (_, bar) = cell(&cells, "load-cell");
        assert_eq!(bar.contains("class=\"load over\""), over, "{team}: {bar}");
        assert_eq!(
            cells[0].1.contains("over the limit of 4"),
            over,
            "{team}: {}",
            cells[0].1
        );
    }

    let days = |id: &str| {
        cell(&row(&dom, &format!("exception-{id}")), "days-left")
            .1
            .to_string()
    };
    assert!(
        days("EXC-2026-014").contains(">expired 5 days ago<"),
        "{}",
        days("EXC-2026-014")
    );
    assert_eq!(days("EXC-2026-019"), "11 days");
    assert_eq!(days("EXC-2026-011"), "39 days");

    let (class, html) = cell(&row(&dom, "asset-billing-agent"), "trust");
    assert!(class.contains("below-threshold"), "{class}");
    assert!(html.contains("below threshold 75"), "{html}");
}
