//! RACI outputs: one matrix per asset (activities x teams), the long-form
//! `matrix.csv`, and `teams.md` with what each team carries.

use super::{Error, File, Pieces, Resolved, ResolvedAsset, Templates};
use crate::model::raci::Letter;
use crate::model::Model;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;

#[derive(Default, Serialize)]
struct TeamLoad {
    id: String,
    name: String,
    governance_function: bool,
    accountable: Vec<String>,
    responsible: Vec<String>,
    responsible_count: usize,
    consulted_count: usize,
    informed_count: usize,
}

/// Renders the matrix page of one asset.
fn asset_page(r: &ResolvedAsset<'_>, templates: &Templates) -> Result<(String, String), Error> {
    let asset = r.asset;
    let mut teams: Vec<&str> = r
        .raci
        .iter()
        .flat_map(|row| row.cells.iter().map(|c| c.team.as_str()))
        .collect();
    teams.sort_unstable();
    teams.dedup();
    #[derive(Serialize)]
    struct Activity<'a> {
        id: &'a str,
        title: &'a str,
        cells: Vec<&'static str>,
    }
    let rows: Vec<Activity> = r
        .raci
        .iter()
        .map(|row| {
            // Cells are sorted by team, as the columns are: one walk fills
            // the row.
            let mut cells = row.cells.iter().peekable();
            Activity {
                id: &row.activity.id,
                title: &row.activity.title,
                cells: teams
                    .iter()
                    .map(|t| match cells.next_if(|c| c.team.as_str() == *t) {
                        Some(c) => c.letters_text(),
                        None => "",
                    })
                    .collect(),
            }
        })
        .collect();
    let ctx = minijinja::context! {
        asset => minijinja::context! {
            id => asset.id.value.as_str(), name => asset.name.as_str(),
            kind => asset.kind.value.name(), environment => asset.environment.value.name(),
            risk => asset.risk.value.name(),
        },
        teams => minijinja::Value::from_serialize(&teams),
        activities => minijinja::Value::from_serialize(&rows),
    };
    Ok((
        format!("raci/{}.md", asset.id.value),
        templates.render("raci-asset.md", &ctx)?,
    ))
}

/// Renders `raci/<asset>.md` for every asset, in parallel.
pub fn pages(resolved: &Resolved<'_>, templates: &Templates) -> Result<Vec<File>, Error> {
    resolved
        .assets
        .par_iter()
        .map(|r| asset_page(r, templates).map(|(path, text)| (path, text.into())))
        .collect()
}

/// Rows of `raci/matrix.csv` are rendered in chunks of this many assets,
/// in parallel; the template sees `header` true for the first chunk only.
const MATRIX_CHUNK: usize = 500;

/// Renders `raci/matrix.csv`: one row per letter a team holds for an
/// asset's activity, as [asset, activity, team, role, letter].
pub fn matrix(resolved: &Resolved<'_>, templates: &Templates) -> Result<Vec<File>, Error> {
    let chunks: Vec<String> = resolved
        .assets
        .par_chunks(MATRIX_CHUNK)
        .enumerate()
        .map(|(i, chunk)| {
            let mut rows: Vec<(&str, &str, &str, Cow<'static, str>, &str)> = Vec::new();
            for r in chunk {
                for row in &r.raci {
                    for cell in &row.cells {
                        for (letter, roles) in &cell.letters {
                            let role = match roles.as_slice() {
                                [one] => Cow::Borrowed(one.name()),
                                _ => Cow::Owned(
                                    roles.iter().map(|r| r.name()).collect::<Vec<_>>().join("+"),
                                ),
                            };
                            rows.push((
                                r.asset.id.value.as_str(),
                                &row.activity.id,
                                cell.team.as_str(),
                                role,
                                letter.name(),
                            ));
                        }
                    }
                }
            }
            templates.render(
                "raci-matrix.csv",
                minijinja::context! { header => i == 0, rows => minijinja::Value::from_serialize(&rows) },
            )
        })
        .collect::<Result<_, _>>()?;
    let pieces = if chunks.is_empty() {
        templates
            .render(
                "raci-matrix.csv",
                serde_json::json!({"header": true, "rows": []}),
            )?
            .into()
    } else {
        Pieces(chunks.into_iter().map(String::into_bytes).collect())
    };
    Ok(vec![("raci/matrix.csv".into(), pieces)])
}

/// Renders `raci/teams.md`: what each team is accountable and responsible
/// for, with counts.
pub fn teams(
    model: &Model,
    resolved: &Resolved<'_>,
    templates: &Templates,
) -> Result<Vec<File>, Error> {
    // Millions of cells name a few hundred teams: their loads are found by
    // hash, and sorted by team id once at the end.
    let mut loads: HashMap<&str, TeamLoad> = HashMap::new();
    for r in &resolved.assets {
        let asset = r.asset;
        for row in &r.raci {
            for cell in &row.cells {
                let load = loads.entry(cell.team.as_str()).or_default();
                for (letter, _) in &cell.letters {
                    match letter {
                        Letter::A => {}
                        Letter::R => {
                            load.responsible_count += 1;
                            load.responsible
                                .push(format!("{} ({})", asset.id.value, row.activity.id));
                        }
                        Letter::C => load.consulted_count += 1,
                        Letter::I => load.informed_count += 1,
                    }
                }
            }
        }
        if let Some(a) = &asset.owners.accountable {
            loads
                .entry(a.value.as_str())
                .or_default()
                .accountable
                .push(asset.id.value.0.clone());
        }
    }
    let mut loads: Vec<(&str, TeamLoad)> = loads.into_iter().collect();
    loads.sort_unstable_by_key(|(id, _)| *id);
    let teams: Vec<TeamLoad> = loads
        .into_iter()
        .map(|(id, mut load)| {
            load.id = id.to_string();
            match model.teams.get(id) {
                Some(t) => {
                    load.name = t.name.clone();
                    load.governance_function = model.is_governance_function(t);
                }
                None => load.name = id.to_string(),
            }
            load
        })
        .collect();
    let text = templates.render(
        "raci-teams.md",
        minijinja::context! { teams => minijinja::Value::from_serialize(&teams) },
    )?;
    Ok(vec![("raci/teams.md".into(), text.into())])
}
