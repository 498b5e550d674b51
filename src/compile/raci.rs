//! RACI outputs: one page per asset (each activity with the teams that hold
//! a letter in it), the long-form `matrix.csv`, and `teams.md` with what
//! each team carries.

use super::templates::rows::Rows;
use super::templates::{csv_field, md_cell};
use super::{stream, whole, Error, Made, Resolved, ResolvedAsset, Store, Templates};
use crate::model::raci::Letter;
use crate::model::Model;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;

#[derive(Debug, Default, Serialize)]
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

/// The path of the long-form matrix.
pub const MATRIX: &str = "raci/matrix.csv";

/// The template of the long-form matrix, which a repository may replace.
const MATRIX_TEMPLATE: &str = "raci-matrix.csv";

/// One team's letters in one activity of a page.
#[derive(Serialize)]
struct Held<'a> {
    team: &'a str,
    letters: &'static str,
}

/// One activity of a page.
#[derive(Serialize)]
struct Activity<'a> {
    id: &'a str,
    title: &'a str,
    letters: Vec<Held<'a>>,
    /// One cell per team of `teams`, empty where the team holds no
    /// letter: the grid that templates written before `letters` read.
    #[serde(skip_serializing_if = "Option::is_none")]
    cells: Option<Vec<&'static str>>,
}

/// Renders the page of one asset: each activity with the teams that hold a
/// letter in it and their letters, teams in id order.
fn asset_page(
    r: &ResolvedAsset<'_>,
    templates: &Templates,
    grid: bool,
) -> Result<(String, String), Error> {
    let asset = r.asset;
    let raci = r.raci();
    let mut teams: Vec<&str> = raci
        .iter()
        .flat_map(|row| row.cells.iter().map(|c| c.team.as_str()))
        .collect();
    teams.sort_unstable();
    teams.dedup();
    let rows: Vec<Activity> = raci
        .iter()
        .map(|row| Activity {
            id: &row.activity.id,
            title: &row.activity.title,
            letters: row
                .cells
                .iter()
                .map(|c| Held {
                    team: c.team.as_str(),
                    letters: c.letters_text(),
                })
                .collect(),
            cells: grid.then(|| {
                // Cells are sorted by team, as the columns are: one walk
                // fills the row.
                let mut cells = row.cells.iter().peekable();
                teams
                    .iter()
                    .map(|t| match cells.next_if(|c| c.team.as_str() == *t) {
                        Some(c) => c.letters_text(),
                        None => "",
                    })
                    .collect()
            }),
        })
        .collect();
    let path = format!("raci/{}.md", asset.id.value);
    if !grid {
        return Ok((path, page_text(r, &rows)));
    }
    let ctx = minijinja::context! {
        asset => minijinja::context! {
            id => asset.id.value.as_str(), name => asset.name.as_str(),
            kind => asset.kind.value.name(), environment => asset.environment.value.name(),
            risk => asset.risk.value.name(),
        },
        teams => minijinja::Value::from_serialize(&teams),
        activities => minijinja::Value::from_serialize(&rows),
    };
    Ok((path, templates.render("raci-asset.md", &ctx)?))
}

/// The page of one asset, byte for byte what the built-in template renders
/// from `rows`.
fn page_text(r: &ResolvedAsset<'_>, rows: &[Activity<'_>]) -> String {
    let a = r.asset;
    let mut out = format!(
        "# RACI: {} (`{}`)\n\n{}, {}, risk {}.\nA: accountable, R: responsible, C: consulted, I: informed.\n\n| Activity | Teams and their letters |\n|---|---|\n",
        md_cell(&a.name),
        a.id.value,
        a.kind.value.name(),
        a.environment.value.name(),
        a.risk.value.name(),
    );
    for row in rows {
        out.push_str("| ");
        out.push_str(&md_cell(row.title));
        out.push_str(" |");
        for (i, held) in row.letters.iter().enumerate() {
            out.push(' ');
            out.push_str(&md_cell(held.team));
            out.push(' ');
            out.push_str(held.letters);
            if i + 1 < row.letters.len() {
                out.push(',');
            }
        }
        out.push_str(" |\n");
    }
    out
}

/// Pages are rendered this many at a time, in parallel, then written in
/// order from one thread: files of one folder made from several threads
/// contend on the folder.
const PAGE_BATCH: usize = 256;

/// Renders `raci/<asset>.md` for every asset and stores each page.
pub(super) fn pages<S: Store>(
    resolved: &Resolved<'_>,
    templates: &Templates,
    store: &S,
) -> Result<Made<S::Kept>, Error> {
    // The built-in page is written directly; an override is rendered, and
    // may still read the sparse grid of old.
    let grid = templates.is_overridden("raci-asset.md");
    let mut made = Vec::with_capacity(resolved.assets.len());
    for batch in resolved.assets.chunks(PAGE_BATCH) {
        let rendered: Vec<Result<(String, String), Error>> = batch
            .par_iter()
            .map(|r| asset_page(r, templates, grid))
            .collect();
        for page in rendered {
            let (path, text) = page?;
            made.push(whole(store, &path, text.as_bytes())?);
        }
    }
    Ok(made)
}

/// Rows of `raci/matrix.csv` are written in chunks of this many assets,
/// in parallel; a template that replaces the built-in one sees `header`
/// true for the first chunk only.
const MATRIX_CHUNK: usize = 500;

/// Writes `raci/matrix.csv` into `w`: one row per letter a team holds for
/// an asset's activity, as [asset, activity, team, role, letter]. The
/// built-in layout is written directly, byte for byte what the built-in
/// template renders; a repository's own `raci-matrix.csv` is rendered
/// chunk by chunk.
pub fn matrix(
    resolved: &Resolved<'_>,
    templates: &Templates,
    w: &mut dyn Write,
) -> Result<(), Error> {
    if !templates.is_overridden(MATRIX_TEMPLATE) {
        w.write_all(b"asset,activity,team,role,letter\n")?;
        return stream(&resolved.assets, MATRIX_CHUNK, w, |_, chunk, out| {
            for_each_row(chunk, |asset, activity, team, role, letter| {
                for (i, field) in [asset, activity, team].into_iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(csv_field(field).as_bytes());
                }
                out.push(b',');
                out.extend_from_slice(role.as_bytes());
                out.push(b',');
                out.extend_from_slice(letter.as_bytes());
                out.push(b'\n');
            });
            Ok(())
        });
    }
    if resolved.assets.is_empty() {
        let text = templates.render(
            MATRIX_TEMPLATE,
            serde_json::json!({"header": true, "rows": []}),
        )?;
        w.write_all(text.as_bytes())?;
        return Ok(());
    }
    stream(&resolved.assets, MATRIX_CHUNK, w, |first, chunk, out| {
        let mut rows: Vec<(&str, &str, &str, Cow<'static, str>, &str)> = Vec::new();
        for_each_row(chunk, |asset, activity, team, role, letter| {
            rows.push((asset, activity, team, role, letter));
        });
        let text = templates.render(
            MATRIX_TEMPLATE,
            minijinja::context! { header => first, rows => minijinja::Value::from_serialize(&rows) },
        )?;
        out.extend_from_slice(text.as_bytes());
        Ok(())
    })
}

/// Calls `row` with each row of the matrix of `assets`, in order: asset,
/// activity, team, the roles behind the letter joined by `+`, and the
/// letter.
fn for_each_row<'a>(
    assets: &'a [ResolvedAsset<'a>],
    mut row: impl FnMut(&'a str, &'a str, &'a str, Cow<'static, str>, &'static str),
) {
    for r in assets {
        for line in &r.raci() {
            for cell in &line.cells {
                for (letter, roles) in &cell.letters {
                    let role = match roles.as_slice() {
                        [one] => Cow::Borrowed(one.name()),
                        _ => {
                            Cow::Owned(roles.iter().map(|r| r.name()).collect::<Vec<_>>().join("+"))
                        }
                    };
                    row(
                        r.asset.id.value.as_str(),
                        line.activity.id.as_str(),
                        cell.team.as_str(),
                        role,
                        letter.name(),
                    );
                }
            }
        }
    }
}

/// Writes `raci/teams.md` into `w`: what each team is accountable and responsible
/// for, with counts.
pub fn teams(
    model: &Model,
    resolved: &Resolved<'_>,
    templates: &Templates,
    w: &mut dyn Write,
) -> Result<(), Error> {
    // Millions of cells name a few hundred teams: their loads are found by
    // hash, and sorted by team id once at the end.
    let mut loads: HashMap<&str, TeamLoad> = HashMap::new();
    for r in &resolved.assets {
        let asset = r.asset;
        for row in &r.raci() {
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
    // Each team's lists are made into template values as the page reads
    // them, and the page goes straight into `w`.
    Ok(templates.render_to(
        "raci-teams.md",
        minijinja::context! { teams => Rows::value(teams) },
        w,
    )?)
}
