//! One asset whole, as `govern explain` shows it: what it is, its owners,
//! identity, trust and tools, its RACI, the controls that apply with their
//! framework references, its exceptions and findings, and the problems that
//! point into its declarations.
//!
//! [`Explanation::of`] builds one typed value from a checked model; it
//! serializes to JSON and displays as the text people read. Both come from
//! the same value, so the JSON holds everything the text shows.

use crate::check::Outcome;
use crate::diag::{Acting, Code, Diagnostic, Position, Severity};
use crate::escalate;
use crate::model::duration::Duration;
use crate::model::vocab::{
    Access, AssetKind, AssetStatus, Coverage, Decision, Environment, FindingStatus, IdentityType,
    Level, Role,
};
use crate::model::{raci, Asset, Exception as ModelException, Finding as ModelFinding, Model};
use crate::source::{Sp, Span};
use jiff::civil::Date;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt::{self, Display};

/// One asset whole.
#[derive(Debug, Serialize)]
pub struct Explanation<'m> {
    pub id: &'m str,
    pub name: &'m str,
    pub kind: AssetKind,
    pub environment: Environment,
    pub risk: Level,
    /// A suspended or retired asset is denied every request.
    pub status: AssetStatus,
    /// The declaration file, relative to the repository root.
    pub file: &'m str,
    pub description: Option<&'m str>,
    pub tags: &'m [String],
    pub depends_on: Vec<&'m str>,
    pub vendor: Option<&'m str>,
    pub owners: Owners<'m>,
    /// The name of every declared team that `owners` or `vendor` names.
    pub teams: BTreeMap<&'m str, &'m str>,
    pub identity: Option<Identity<'m>>,
    pub trust: Option<Trust>,
    pub tools: Vec<Tool<'m>>,
    pub raci: Vec<RaciRow<'m>>,
    pub controls: Vec<Control<'m>>,
    pub exceptions: Vec<Exception<'m>>,
    pub findings: Vec<Finding<'m>>,
    pub problems: Vec<Problem<'m>>,
    /// What owners must do about the asset now, most overdue first: its
    /// items of `govern escalations`.
    pub open_items: Vec<OpenItem>,
}

/// One item of `govern escalations` about the asset.
#[derive(Debug, Serialize)]
pub struct OpenItem {
    pub team: String,
    pub role: Acting,
    pub code: Code,
    pub due: Option<Date>,
    pub overdue_days: i64,
    /// `due` and `overdue_days` in words, as the text says them.
    pub when: String,
    /// What it is about: the asset and its control, finding or exception.
    pub about: String,
    pub inform: Vec<String>,
    pub message: String,
}

/// The named owners by role; a role nobody holds is null.
#[derive(Debug, Serialize)]
pub struct Owners<'m> {
    pub accountable: Option<&'m str>,
    pub operator: Option<&'m str>,
    pub remediation: Option<&'m str>,
    pub approver: Option<&'m str>,
    pub revoker: Option<&'m str>,
    pub reviewers: Vec<&'m str>,
    pub incident: Option<&'m str>,
    /// When the accountable owner last confirmed ownership.
    #[serde(serialize_with = "maybe_text")]
    pub attested: Option<Date>,
    /// Every role held, in role order, for the text.
    #[serde(skip)]
    pub held: Vec<(Role, &'m str)>,
}

/// How the asset authenticates.
#[derive(Debug, Serialize)]
pub struct Identity<'m> {
    #[serde(rename = "type")]
    pub kind: Option<IdentityType>,
    pub spiffe_id: Option<&'m str>,
    #[serde(serialize_with = "maybe_text")]
    pub max_ttl: Option<Duration>,
}

/// The last trust assessment.
#[derive(Debug, Serialize)]
pub struct Trust {
    pub score: Option<u8>,
    /// The asset's own threshold, else policy.trust-threshold.
    pub threshold: u8,
    #[serde(serialize_with = "maybe_text")]
    pub assessed: Option<Date>,
}

/// A tool the asset may call.
#[derive(Debug, Serialize)]
pub struct Tool<'m> {
    pub id: &'m str,
    pub system: Option<&'m str>,
    pub access: Access,
    pub decision: Decision,
    /// The first day of the grant; null: it has no start.
    #[serde(serialize_with = "maybe_text")]
    pub from: Option<Date>,
    /// The last day of the grant; null: it never ends.
    #[serde(serialize_with = "maybe_text")]
    pub until: Option<Date>,
    /// Under this request confidence, the call needs a human approval.
    pub min_confidence: Option<u8>,
}

impl Tool<'_> {
    /// Says when the grant holds and what confidence it needs, for the
    /// text: "granted 2026-12-01 to 2026-12-31, min-confidence 80"; empty when the
    /// tool has neither bound nor floor.
    fn bounds(&self) -> String {
        let window = match (self.from, self.until) {
            (None, None) => None,
            (Some(f), None) => Some(format!("granted from {f}")),
            (None, Some(u)) => Some(format!("granted until {u}")),
            (Some(f), Some(u)) => Some(format!("granted {f} to {u}")),
        };
        let floor = self.min_confidence.map(|c| format!("min-confidence {c}"));
        window
            .into_iter()
            .chain(floor)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One RACI activity: which teams hold which letters.
#[derive(Debug, Serialize)]
pub struct RaciRow<'m> {
    pub activity: &'m str,
    pub cells: Vec<RaciCell<'m>>,
}

/// The letters one team holds in one activity, such as `A/R`.
#[derive(Debug, Serialize)]
pub struct RaciCell<'m> {
    pub team: &'m str,
    pub letters: &'static str,
}

/// A control that applies to the asset.
#[derive(Debug, Serialize)]
pub struct Control<'m> {
    pub id: &'m str,
    pub title: &'m str,
    pub owner: Option<&'m str>,
    pub maps_to: Vec<Reference>,
    /// The runtime checks it turns on.
    pub enforce: Vec<&'static str>,
}

/// A framework requirement a control maps to.
#[derive(Debug, Serialize)]
pub struct Reference {
    #[serde(rename = "ref")]
    pub target: String,
    pub coverage: Coverage,
}

/// An exception for the asset.
#[derive(Debug, Serialize)]
pub struct Exception<'m> {
    pub id: &'m str,
    pub control: &'m str,
    #[serde(serialize_with = "text")]
    pub expires: Date,
    pub approved_by: &'m str,
}

/// A finding against the asset.
#[derive(Debug, Serialize)]
pub struct Finding<'m> {
    pub id: &'m str,
    pub control: &'m str,
    pub status: FindingStatus,
    pub severity: Level,
    #[serde(serialize_with = "text")]
    pub opened: Date,
}

/// A diagnostic that points into the asset's declaration, or into one of
/// its exceptions or findings.
#[derive(Debug, Serialize)]
pub struct Problem<'m> {
    pub code: &'static str,
    pub severity: Severity,
    pub message: &'m str,
    pub file: &'m str,
    pub line: usize,
    pub column: usize,
}

impl<'m> Explanation<'m> {
    /// Explains `asset`, one of the assets of `outcome`'s model.
    pub fn of(outcome: &'m Outcome, asset: &'m Asset) -> Self {
        let model = &outcome.model;
        let id = |t: &'m Option<Sp<crate::model::TeamId>>| t.as_ref().map(|t| t.value.as_str());
        let o = &asset.owners;
        let first = |role| o.get(role).first().map(|t| t.value.as_str());
        let owners = Owners {
            accountable: first(Role::Accountable),
            operator: first(Role::Operator),
            remediation: first(Role::Remediation),
            approver: first(Role::Approver),
            revoker: first(Role::Revoker),
            reviewers: o
                .get(Role::Reviewers)
                .iter()
                .map(|t| t.value.as_str())
                .collect(),
            incident: first(Role::Incident),
            attested: o.attested.as_ref().map(|a| a.value),
            held: o
                .named()
                .map(|(role, t)| (role, t.value.as_str()))
                .collect(),
        };
        let named = o.named().map(|(_, t)| t).chain(&asset.vendor);
        let teams = named
            .filter_map(|t| model.teams.get(t.value.as_str()))
            .map(|t| (t.id.value.as_str(), t.name.as_str()))
            .collect();
        let exceptions: Vec<&ModelException> = model.exceptions_for(&asset.id.value).collect();
        let findings: Vec<&ModelFinding> = model
            .findings
            .values()
            .filter(|f| f.asset.value == asset.id.value)
            .collect();
        let regions: Vec<Span> = std::iter::once(extent(asset_spans(asset)))
            .chain(exceptions.iter().map(|e| extent(exception_spans(e))))
            .chain(findings.iter().map(|f| extent(finding_spans(f))))
            .flatten()
            .collect();
        Explanation {
            id: asset.id.value.as_str(),
            name: &asset.name,
            kind: asset.kind.value,
            environment: asset.environment.value,
            risk: asset.risk.value,
            status: asset.status.value,
            file: outcome.sources.name(asset.file),
            description: asset.description.as_deref(),
            tags: &asset.tags,
            depends_on: asset.depends_on.iter().map(|d| d.value.as_str()).collect(),
            vendor: id(&asset.vendor),
            owners,
            teams,
            identity: asset.identity.as_ref().map(|i| Identity {
                kind: i.kind.as_ref().map(|k| k.value),
                spiffe_id: i.spiffe_id.as_ref().map(|s| s.value.as_str()),
                max_ttl: i.max_ttl.as_ref().map(|t| t.value),
            }),
            trust: asset.trust.as_ref().map(|t| Trust {
                score: t.score.as_ref().map(|s| s.value),
                threshold: t
                    .threshold
                    .as_ref()
                    .map_or(model.settings.policy.trust_threshold, |t| t.value),
                assessed: t.assessed.as_ref().map(|d| d.value),
            }),
            tools: asset
                .tools
                .iter()
                .map(|t| Tool {
                    id: &t.id.value,
                    system: t.system.as_deref(),
                    access: t.access.value,
                    decision: t.decision.value,
                    from: t.from.as_ref().map(|d| d.value),
                    until: t.until.as_ref().map(|d| d.value),
                    min_confidence: t.min_confidence.as_ref().map(|c| c.value),
                })
                .collect(),
            raci: raci_rows(model, asset),
            controls: model
                .controls_for(asset)
                .map(|c| Control {
                    id: c.id.value.as_str(),
                    title: &c.title,
                    owner: id(&c.owner),
                    maps_to: c
                        .maps_to
                        .iter()
                        .map(|m| Reference {
                            target: m.target.to_string(),
                            coverage: m.coverage,
                        })
                        .collect(),
                    enforce: c.enforce.iter().map(|e| e.name()).collect(),
                })
                .collect(),
            exceptions: exceptions
                .iter()
                .map(|e| Exception {
                    id: e.id.value.as_str(),
                    control: e.control.value.as_str(),
                    expires: e.expires.value,
                    approved_by: e.approved_by.value.as_str(),
                })
                .collect(),
            findings: findings
                .iter()
                .map(|f| Finding {
                    id: f.id.value.as_str(),
                    control: f.control.value.as_str(),
                    status: f.status.value,
                    severity: f.severity,
                    opened: f.opened.value,
                })
                .collect(),
            problems: outcome
                .diagnostics
                .iter()
                .filter(|d| points_into(d, &regions))
                .map(|d| {
                    let at = Position::of(&outcome.sources, d.span);
                    Problem {
                        code: d.code.name(),
                        severity: d.severity,
                        message: &d.message,
                        file: outcome.sources.name(d.span.file),
                        line: at.line,
                        column: at.column,
                    }
                })
                .collect(),
            open_items: open_items(outcome, asset),
        }
    }

    /// Returns a team id with its name, when it has one of its own.
    fn team(&self, id: &str) -> String {
        match self.teams.get(id) {
            Some(name) if *name != id => format!("{id} ({name})"),
            _ => id.to_string(),
        }
    }
}

fn raci_rows<'m>(model: &'m Model, asset: &'m Asset) -> Vec<RaciRow<'m>> {
    raci::resolve(model, asset)
        .into_iter()
        .map(|row| RaciRow {
            activity: &row.activity.id,
            cells: row
                .cells
                .iter()
                .map(|c| RaciCell {
                    team: c.team.as_str(),
                    letters: c.letters_text(),
                })
                .collect(),
        })
        .collect()
}

/// Returns true when the diagnostic, or one of its labels, points into one
/// of `regions`.
fn points_into(d: &Diagnostic, regions: &[Span]) -> bool {
    let inside = |s: Span| {
        regions
            .iter()
            .any(|r| r.file == s.file && r.start <= s.start && s.end <= r.end)
    };
    inside(d.span) || d.labels.iter().any(|l| inside(l.span))
}

/// Returns the part of the file that `spans` cover, from the first to the
/// end of the last: all of one declaration, as far as the model keeps it.
/// Every span of a declaration is in its file, and a TOML table is one
/// stretch of its file, so nothing of another declaration lies between.
fn extent(spans: impl IntoIterator<Item = Span>) -> Option<Span> {
    spans.into_iter().reduce(|a, b| Span {
        file: a.file,
        start: a.start.min(b.start),
        end: a.end.max(b.end),
    })
}

/// Every span the model keeps of an asset's declaration.
fn asset_spans(a: &Asset) -> impl Iterator<Item = Span> + '_ {
    let o = &a.owners;
    let owners = o
        .named()
        .map(|(_, t)| t.span)
        .chain(o.attested.as_ref().map(|d| d.span))
        .chain([o.span]);
    let identity = a.identity.iter().flat_map(|i| {
        [Some(i.span)]
            .into_iter()
            .chain([
                i.kind.as_ref().map(|k| k.span),
                i.spiffe_id.as_ref().map(|s| s.span),
                i.max_ttl.as_ref().map(|t| t.span),
            ])
            .flatten()
    });
    let tools = a.tools.iter().flat_map(|t| {
        [t.span, t.id.span, t.access.span, t.decision.span]
            .into_iter()
            .chain(t.from.as_ref().map(|d| d.span))
            .chain(t.until.as_ref().map(|d| d.span))
            .chain(t.min_confidence.as_ref().map(|c| c.span))
    });
    let trust = a.trust.iter().flat_map(|t| {
        [Some(t.span), t.score.as_ref().map(|s| s.span)]
            .into_iter()
            .chain([t.threshold.as_ref().map(|s| s.span)])
            .flatten()
    });
    [
        a.span,
        a.id.span,
        a.kind.span,
        a.environment.span,
        a.risk.span,
        a.status.span,
    ]
    .into_iter()
    .chain(a.depends_on.iter().map(|d| d.span))
    .chain(a.vendor.as_ref().map(|v| v.span))
    .chain(owners)
    .chain(identity)
    .chain(tools)
    .chain(trust)
    // The model keeps defaults at other spans (an absent kind at the
    // id); only those in the asset's file say where it lies.
    .filter(move |s| s.file == a.file)
}

/// Every span the model keeps of an exception's declaration.
fn exception_spans(e: &ModelException) -> impl Iterator<Item = Span> + '_ {
    [
        e.id.span,
        e.asset.span,
        e.control.span,
        e.approved_by.span,
        e.granted.span,
        e.expires.span,
    ]
    .into_iter()
    .chain(e.compensating.iter().map(|c| c.span))
    .filter(move |s| s.file == e.file)
}

/// Every span the model keeps of a finding's declaration.
fn finding_spans(f: &ModelFinding) -> impl Iterator<Item = Span> + '_ {
    [
        f.id.span,
        f.asset.span,
        f.control.span,
        f.opened.span,
        f.status.span,
    ]
    .into_iter()
    .chain(f.retest_by.as_ref().map(|r| r.span))
    .filter(move |s| s.file == f.file)
}

impl Display for Explanation<'_> {
    /// Writes the text `govern explain` prints.
    fn fmt(&self, w: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(w, "{}: {}", self.id, self.name)?;
        writeln!(
            w,
            "  {} in {}, risk {}, declared in {}",
            self.kind, self.environment, self.risk, self.file
        )?;
        match self.status {
            AssetStatus::Active => writeln!(w, "  status active")?,
            stopped => writeln!(w, "  status {stopped}: the bundles deny it every request")?,
        }
        if let Some(d) = self.description {
            writeln!(w, "  {d}")?;
        }
        if !self.tags.is_empty() {
            writeln!(w, "  tags {}", self.tags.join(", "))?;
        }
        if !self.depends_on.is_empty() {
            writeln!(w, "  depends on {}", self.depends_on.join(", "))?;
        }
        if let Some(v) = self.vendor {
            writeln!(w, "  vendor {}", self.team(v))?;
        }

        writeln!(w, "\nOwners")?;
        let o = &self.owners;
        for (role, team) in &o.held {
            writeln!(w, "  {role:<12} {}", self.team(team))?;
        }
        if let Some(a) = o.attested {
            writeln!(w, "  {:<12} {a}", "attested")?;
        }

        if let Some(i) = &self.identity {
            writeln!(w, "\nIdentity")?;
            if let Some(t) = i.kind {
                writeln!(w, "  type         {t}")?;
            }
            if let Some(s) = i.spiffe_id {
                writeln!(w, "  spiffe-id    {s}")?;
            }
            if let Some(t) = i.max_ttl {
                writeln!(w, "  max-ttl      {t}")?;
            }
        }

        if let Some(t) = &self.trust {
            writeln!(w, "\nTrust")?;
            match t.score {
                Some(score) => write!(w, "  score {score} (threshold {})", t.threshold)?,
                None => write!(w, "  no score (threshold {})", t.threshold)?,
            }
            match t.assessed {
                Some(day) => writeln!(w, ", assessed {day}")?,
                None => writeln!(w, ", never assessed")?,
            }
        }

        if !self.tools.is_empty() {
            writeln!(w, "\nTools")?;
            for t in &self.tools {
                let line = format!(
                    "  {:<24} {:<6} {:<8} {:<10} {}",
                    t.id,
                    t.access.name(),
                    t.decision.name(),
                    t.system.unwrap_or_default(),
                    t.bounds()
                );
                writeln!(w, "{}", line.trim_end())?;
            }
        }

        writeln!(w, "\nRACI")?;
        for row in &self.raci {
            let cells: Vec<String> = row
                .cells
                .iter()
                .map(|c| format!("{} {}", c.letters, c.team))
                .collect();
            writeln!(w, "  {:<28} {}", row.activity, cells.join(", "))?;
        }

        writeln!(w, "\nControls ({} apply)", self.controls.len())?;
        for c in &self.controls {
            let owner = c.owner.unwrap_or("nobody");
            writeln!(w, "  {}  {} [owner {owner}]", c.id, c.title)?;
            if !c.maps_to.is_empty() {
                let refs: Vec<String> = c
                    .maps_to
                    .iter()
                    .map(|m| match m.coverage {
                        Coverage::Full => m.target.clone(),
                        Coverage::Partial => format!("{} (partial)", m.target),
                    })
                    .collect();
                writeln!(w, "      maps to {}", refs.join(", "))?;
            }
            if !c.enforce.is_empty() {
                writeln!(w, "      enforces {}", c.enforce.join(", "))?;
            }
        }

        if !self.exceptions.is_empty() {
            writeln!(w, "\nExceptions")?;
            for e in &self.exceptions {
                writeln!(
                    w,
                    "  {}  {} until {}, approved by {}",
                    e.id, e.control, e.expires, e.approved_by
                )?;
            }
        }

        if !self.findings.is_empty() {
            writeln!(w, "\nFindings")?;
            for f in &self.findings {
                writeln!(
                    w,
                    "  {}  {} {} {}, opened {}",
                    f.id, f.status, f.severity, f.control, f.opened
                )?;
            }
        }

        if !self.open_items.is_empty() {
            writeln!(w, "\nOpen items")?;
            for i in &self.open_items {
                writeln!(
                    w,
                    "  {} as {}: {}, {}, on {}\n    {}",
                    i.team, i.role, i.code, i.when, i.about, i.message
                )?;
            }
        }

        if !self.problems.is_empty() {
            writeln!(w, "\nProblems")?;
            for p in &self.problems {
                writeln!(
                    w,
                    "  {}:{}: {}[{}]: {}",
                    p.file,
                    p.line,
                    p.severity.name(),
                    p.code,
                    p.message
                )?;
            }
        }
        Ok(())
    }
}

/// Serializes a value by its text: a vocabulary word, a date, a duration.
fn text<T: Display, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

/// Serializes an optional value by its text, or null.
fn maybe_text<T: Display, S: Serializer>(value: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

/// The items of `govern escalations` about `asset`, most overdue first.
fn open_items(outcome: &Outcome, asset: &Asset) -> Vec<OpenItem> {
    let id = asset.id.value.as_str();
    escalate::flat(escalate::groups(outcome))
        .into_iter()
        .filter(|(_, i)| i.asset.as_deref() == Some(id))
        .map(|(team, i)| OpenItem {
            team,
            role: i.role,
            code: i.code,
            due: i.due,
            overdue_days: i.overdue_days,
            when: escalate::human::when(&i),
            about: escalate::human::about(&i),
            inform: i.inform,
            message: i.message,
        })
        .collect()
}
