//! `mapping/`: the model's framework coverage rendered as a summary and,
//! for each framework, Markdown, CSV and JSON. What counts as covered is
//! decided in [`crate::model::coverage`]; this module only writes it out.

use super::{json, Error, File, Templates};
use crate::model::coverage::{FrameworkCoverage, Status, Summary};
use crate::model::Model;
use rayon::prelude::*;

/// `mapping/`: the summary, and each framework as Markdown, CSV and JSON,
/// the frameworks rendered in parallel.
pub(super) fn files(
    model: &Model,
    coverage: &[FrameworkCoverage],
    templates: &Templates,
) -> Result<Vec<File>, Error> {
    let summary = templates.render(
        "summary.md",
        serde_json::json!({
            "organization": model.settings.organization,
            "frameworks": coverage,
        }),
    )?;
    let per_framework: Vec<Result<[File; 3], Error>> = coverage
        .par_iter()
        .map(|f| {
            // Converted to a template value once, for both templates.
            let ctx = minijinja::context! { framework => minijinja::Value::from_serialize(f) };
            Ok([
                (
                    format!("mapping/{}.md", f.framework),
                    templates.render("framework.md", &ctx)?.into(),
                ),
                (
                    format!("mapping/{}.csv", f.framework),
                    templates.render("framework.csv", &ctx)?.into(),
                ),
                (
                    format!("mapping/{}.json", f.framework),
                    framework_json(f).into(),
                ),
            ])
        })
        .collect();
    let mut files = vec![("mapping/summary.md".to_string(), summary.into())];
    for result in per_framework {
        files.extend(result?);
    }
    Ok(files)
}

/// The JSON shape of SPEC section 8 for one framework, fields in name
/// order, as [`json::bytes`] needs.
fn framework_json(f: &FrameworkCoverage<'_>) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Requirement<'a> {
        assets: &'a [&'a str],
        controls: &'a [&'a str],
        id: &'a str,
        parent: Option<&'a str>,
        status: Status,
        title: &'a str,
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
                id: r.id,
                parent: r.parent,
                status: r.status,
                title: r.title,
            })
            .collect(),
        summary: &f.summary,
        version: f.version,
    };
    json::bytes(&document)
}
