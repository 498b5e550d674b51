//! `mapping/`: the model's framework coverage rendered as a summary and,
//! for each framework, Markdown, CSV and JSON. What counts as covered is
//! decided in [`crate::model::coverage`]; this module only writes it out.

use super::templates::csv_field;
use super::{json, whole, Error, Made, Store, Templates};
use crate::model::coverage::{FrameworkCoverage, Row, Status, Summary, Via};
use crate::model::Model;
use rayon::prelude::*;

/// `mapping/`: the summary, and each framework as Markdown, CSV and JSON,
/// each file stored as soon as it is rendered. The frameworks are rendered
/// in parallel and their files made from this thread, in order.
pub(super) fn files<S: Store>(
    model: &Model,
    coverage: &[FrameworkCoverage],
    templates: &Templates,
    store: &S,
) -> Result<Made<S::Kept>, Error> {
    // The built-in templates read no list of assets, which at scale are
    // most of the coverage: they get counts, and overrides everything.
    let summary = if templates.is_overridden("summary.md") {
        templates.render(
            "summary.md",
            serde_json::json!({"organization": model.settings.organization, "frameworks": coverage}),
        )?
    } else {
        let frameworks: Vec<_> = coverage.iter().map(|f| view(f, false)).collect();
        templates.render(
            "summary.md",
            serde_json::json!({"organization": model.settings.organization, "frameworks": frameworks}),
        )?
    };
    let full = ["framework.md", "framework.csv"]
        .iter()
        .any(|name| templates.is_overridden(name));
    let mut made = vec![whole(store, "mapping/summary.md", summary.as_bytes())?];
    // A few frameworks at a time: their files can be large.
    for batch in coverage.chunks(rayon::current_num_threads().max(1)) {
        let rendered: Vec<Result<[Rendered; 3], Error>> = batch
        .par_iter()
        .map(|f| {
            // Converted to a template value once, for both templates.
            let ctx = minijinja::context! { framework => minijinja::Value::from_serialize(view(f, full)) };
            let csv = match templates.is_overridden("framework.csv") {
                true => templates.render("framework.csv", &ctx)?.into_bytes(),
                false => framework_csv(f),
            };
            Ok([
                (
                    format!("mapping/{}.md", f.framework),
                    templates.render("framework.md", &ctx)?.into_bytes(),
                ),
                (format!("mapping/{}.csv", f.framework), csv),
                (format!("mapping/{}.json", f.framework), framework_json(f)),
            ])
        })
        .collect();
        for files in rendered {
            for (path, bytes) in files? {
                made.push(whole(store, &path, &bytes)?);
            }
        }
    }
    Ok(made)
}

/// One rendered file: path and bytes.
type Rendered = (String, Vec<u8>);

/// What the mapping templates see of one framework: its coverage, each
/// requirement with `asset_count`, and with its `assets` only when `assets`
/// (a repository's own template may read them).
fn view<'a>(f: &'a FrameworkCoverage<'a>, assets: bool) -> FrameworkView<'a> {
    FrameworkView {
        framework: f.framework,
        name: f.name,
        version: f.version,
        summary: &f.summary,
        requirements: f
            .requirements
            .iter()
            .map(|r| RowView {
                row: r,
                asset_count: r.assets.len(),
                assets: assets.then_some(r.assets.as_slice()),
            })
            .collect(),
    }
}

#[derive(serde::Serialize)]
struct FrameworkView<'a> {
    framework: &'a str,
    name: &'a str,
    version: Option<&'a str>,
    summary: &'a Summary,
    requirements: Vec<RowView<'a>>,
}

/// A requirement as the templates see it.
struct RowView<'a> {
    row: &'a Row<'a>,
    asset_count: usize,
    assets: Option<&'a [&'a str]>,
}

impl serde::Serialize for RowView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let r = self.row;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", r.id)?;
        map.serialize_entry("title", r.title)?;
        map.serialize_entry("parent", &r.parent)?;
        map.serialize_entry("kind", &r.kind)?;
        map.serialize_entry("depth", &r.depth)?;
        map.serialize_entry("leaf", &r.leaf)?;
        map.serialize_entry("status", &r.status)?;
        map.serialize_entry("derived", &r.derived)?;
        map.serialize_entry("via", &r.via)?;
        map.serialize_entry("controls", &r.controls)?;
        map.serialize_entry("asset_count", &self.asset_count)?;
        if let Some(assets) = self.assets {
            map.serialize_entry("assets", assets)?;
        }
        map.end()
    }
}

/// `mapping/<framework>.csv` as the built-in template lays it out, byte for
/// byte, written without the template: the asset lists are long.
fn framework_csv(f: &FrameworkCoverage<'_>) -> Vec<u8> {
    let mut out = b"requirement,parent,title,status,controls,assets\n".to_vec();
    for r in &f.requirements {
        let fields = [
            csv_field(r.id),
            csv_field(r.parent.unwrap_or("")),
            csv_field(r.title),
            r.status.name().into(),
            csv_field(&r.controls.join(" ")).into_owned().into(),
            csv_field(&r.assets.join(" ")).into_owned().into(),
        ];
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(field.as_bytes());
        }
        out.push(b'\n');
    }
    out
}

/// The JSON shape of SPEC section 8 for one framework, fields in name
/// order, as [`json::lines_bytes`] needs: one requirement a line, its
/// controls and assets on it.
fn framework_json(f: &FrameworkCoverage<'_>) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Requirement<'a> {
        assets: &'a [&'a str],
        controls: &'a [&'a str],
        /// Only where the status comes from crosswalks alone.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        derived: bool,
        id: &'a str,
        parent: Option<&'a str>,
        status: Status,
        title: &'a str,
        /// Only where a crosswalk reached the requirement.
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        via: &'a [Via<'a>],
    }
    #[derive(serde::Serialize)]
    struct Document<'a> {
        framework: &'a str,
        requirements: Vec<Requirement<'a>>,
        summary: &'a Summary,
        version: Option<&'a str>,
    }
    let document = Document {
        framework: f.framework,
        requirements: f
            .requirements
            .iter()
            .map(|r| Requirement {
                assets: &r.assets,
                controls: &r.controls,
                derived: r.derived,
                id: r.id,
                parent: r.parent,
                status: r.status,
                title: r.title,
                via: &r.via,
            })
            .collect(),
        summary: &f.summary,
        version: f.version,
    };
    json::lines_bytes(&document, 2)
}
