//! Raw declarations -> model: fills defaults, rejects duplicate ids, resolves
//! every reference (teams, assets, controls, `framework:requirement`) and
//! finds reference cycles. Every structural problem is reported; entities
//! without an id are dropped, everything else is kept.
//!
//! [`entities`] builds teams, assets, controls, exceptions and findings;
//! [`catalogs`] the frameworks and their requirements; [`settings`] the
//! settings of governance.toml; [`references`] reports what names nothing;
//! [`cycles`] finds every loop with one depth-first search.

mod catalogs;
mod crosswalks;
mod cycles;
mod entities;
mod references;
mod settings;

use crate::diag::{Code, Diagnostic, Diags};
use crate::load::raw::{self, Content};
use crate::model::*;
use crate::source::{Sp, Span};

/// Builds the model from every parsed file; what the files declare is
/// read, not taken, as the other side of a drift may share it.
pub fn resolve(files: &[raw::File], diags: &mut Diags) -> Model {
    let mut decls = Vec::new();
    let mut catalogs = Vec::new();
    let mut crosswalks = Vec::new();
    let mut settings_raw = None;
    let mut settings_file = None;
    for file in files {
        match &*file.content {
            Content::Declarations(d) => {
                if let Some(s) = &d.settings {
                    settings_raw = Some(s);
                    settings_file = Some(file.file);
                }
                decls.push((file.file, d));
            }
            Content::Catalog(c) => catalogs.push((file.builtin, &**c)),
            Content::Crosswalk(c) => crosswalks.push((file.builtin, &**c)),
        }
    }
    let frameworks = catalogs::frameworks(catalogs, diags);
    let mut model = Model {
        crosswalks: crosswalks::crosswalks(crosswalks, &frameworks, diags),
        frameworks,
        ..Model::default()
    };
    for (file, d) in &decls {
        for t in &d.teams {
            entities::add_team(&mut model, *file, t, diags);
        }
    }
    for (file, d) in &decls {
        for a in &d.assets {
            entities::add_asset(&mut model, *file, a, diags);
        }
        for c in &d.controls {
            entities::add_control(&mut model, *file, c, diags);
        }
    }
    for (file, d) in &decls {
        for e in &d.exceptions {
            entities::add_exception(&mut model, *file, e, diags);
        }
        for f in &d.findings {
            entities::add_finding(&mut model, *file, f, diags);
        }
    }
    model.index();
    model.settings = settings::settings(settings_raw.cloned().unwrap_or_default(), &model, diags);
    model.settings.file = settings_file;
    references::check(&model, diags);
    cycles::teams(&model, diags);
    cycles::assets(&model, diags);
    model
}

/// Reports a second declaration of an id.
pub(super) fn duplicate(diags: &mut Diags, kind: &str, id: &str, first: Span, again: Span) {
    diags.push(
        Diagnostic::new(
            Code::DuplicateId,
            again,
            format!("duplicate {kind} id `{id}`"),
        )
        .label(first, format!("{kind} `{id}` first declared here"))
        .help(format!(
            "{kind} ids must be unique; rename or remove one declaration"
        )),
    );
}

pub(super) fn team_ref(s: &Sp<String>) -> Sp<TeamId> {
    Sp::new(TeamId(s.value.clone()), s.span)
}

/// Drops the spans of a list of vocabulary words.
pub(super) fn words<T: Copy>(list: &Option<Vec<Sp<T>>>) -> Option<Vec<T>> {
    list.as_ref().map(|v| v.iter().map(|s| s.value).collect())
}
