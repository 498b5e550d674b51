//! `oscal/catalogs/<framework>.json` (with `build --oscal-catalogs`): a
//! reported framework as an OSCAL catalog, for tools that resolve the
//! control implementations' `source`.
//!
//! Each requirement is a control whose id is its [`super::token`], with
//! the requirement id as its `label` prop, its kind as a govern prop and
//! its note as guidance; a requirement's children are nested controls, in
//! catalog order. A requirement whose parent is unknown, or sits in a
//! cycle that check reported, is placed at the top. The tree is written
//! without recursion, so no depth of nesting exhausts the stack.

use super::{field, line, prop, string, token, Context, OSCAL_VERSION};
use crate::model::Framework;

/// The catalog document of `f`.
pub fn document(context: &Context<'_>, f: &Framework) -> Vec<u8> {
    let id = f.id.value.as_str();
    let mut out = Vec::new();
    out.extend_from_slice(b"{\"catalog\":{");
    super::ids::field(&mut out, &context.ids.uuid("catalog", Some(id)));
    out.extend_from_slice(b",\"metadata\":{");
    field(&mut out, "title", line(&f.name).as_deref().unwrap_or(id));
    out.push(b',');
    field(&mut out, "last-modified", context.date);
    out.push(b',');
    let version = f.version.as_deref().and_then(line);
    field(
        &mut out,
        "version",
        version.as_deref().unwrap_or("unversioned"),
    );
    out.push(b',');
    field(&mut out, "oscal-version", OSCAL_VERSION);
    out.extend_from_slice(b",\"props\":[");
    prop(&mut out, "framework", id);
    out.extend_from_slice(b"]}");
    let (roots, children) = tree(f);
    if !roots.is_empty() {
        out.extend_from_slice(b",\"controls\":[");
        // Each level's controls still to write, and whether one was.
        let mut stack: Vec<(std::slice::Iter<usize>, bool)> = vec![(roots.iter(), false)];
        while let Some((level, wrote)) = stack.last_mut() {
            match level.next() {
                Some(&at) => {
                    if *wrote {
                        out.push(b',');
                    }
                    *wrote = true;
                    control(&mut out, f, at);
                    if children[at].is_empty() {
                        out.push(b'}');
                    } else {
                        out.extend_from_slice(b",\"controls\":[");
                        stack.push((children[at].iter(), false));
                    }
                }
                None => {
                    stack.pop();
                    // The list of a control's children, then the control.
                    out.extend_from_slice(if stack.is_empty() { b"]" } else { b"]}" });
                }
            }
        }
    }
    out.extend_from_slice(b"}}\n");
    out
}

/// Appends a requirement as a control, left open for its children.
fn control(out: &mut Vec<u8>, f: &Framework, at: usize) {
    let r = &f.requirements[at];
    let id = r.id.value.as_str();
    out.push(b'{');
    field(out, "id", &token::token(id));
    out.push(b',');
    let title = line(&r.title).or_else(|| line(id));
    field(out, "title", title.as_deref().unwrap_or("(untitled)"));
    let label = line(id);
    let kind = r.kind.as_deref().and_then(line);
    if label.is_some() || kind.is_some() {
        out.extend_from_slice(b",\"props\":[");
        if let Some(label) = &label {
            out.extend_from_slice(b"{\"name\":\"label\",\"value\":");
            string(out, label);
            out.push(b'}');
        }
        if let Some(kind) = &kind {
            if label.is_some() {
                out.push(b',');
            }
            prop(out, "kind", kind);
        }
        out.push(b']');
    }
    if let Some(note) = r.note.as_deref().filter(|n| !n.trim().is_empty()) {
        out.extend_from_slice(b",\"parts\":[{\"name\":\"guidance\",");
        field(out, "prose", note);
        out.extend_from_slice(b"}]");
    }
}

/// The requirements at the top, and each one's children, by position.
fn tree(f: &Framework) -> (Vec<usize>, Vec<Vec<usize>>) {
    let n = f.requirements.len();
    let parent: Vec<Option<usize>> = f
        .requirements
        .iter()
        .map(|r| r.parent.as_deref().and_then(|p| f.position(p)))
        .collect();
    // Walk up from each requirement: one that does not reach the top is in
    // a cycle (or below one), and is put at the top so it is written once.
    let mut top = vec![false; n];
    let mut state = vec![0u8; n]; // 0 unseen, 1 on the walk, 2 placed
    for start in 0..n {
        let mut path = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at {
            if state[i] != 0 {
                break;
            }
            state[i] = 1;
            path.push(i);
            at = parent[i];
        }
        if let Some(i) = at {
            if state[i] == 1 {
                // The walk came back to itself: cut the cycle there.
                top[i] = true;
            }
        }
        for i in path {
            state[i] = 2;
        }
    }
    let mut roots = Vec::new();
    let mut children = vec![Vec::new(); n];
    for i in 0..n {
        match parent[i] {
            Some(p) if !top[i] => children[p].push(i),
            _ => roots.push(i),
        }
    }
    (roots, children)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::Provenance;
    use crate::model::{FrameworkId, Model, Requirement};
    use crate::source::{FileId, Sp, Span};

    fn framework(parents: &[(&str, Option<&str>)]) -> Framework {
        let sp = |s: &str| Sp::new(s.to_string(), Span::new(FileId(0), 0..0));
        let requirements = parents
            .iter()
            .map(|(id, parent)| Requirement {
                id: sp(id),
                kind: Some("kind\nof".into()),
                title: String::new(),
                parent: parent.map(str::to_string),
                note: Some("A note".into()),
            })
            .collect();
        let id = Sp::new(FrameworkId("fw".into()), Span::new(FileId(0), 0..0));
        Framework::new(id, " ".into(), None, None, false, requirements)
    }

    fn written(f: &Framework) -> Vec<u8> {
        let model = Model::default();
        let provenance = Provenance::default_dirty();
        let today = jiff::civil::date(2026, 11, 23);
        document(&Context::new(&model, &provenance, today, true), f)
    }

    /// Each control's id and its children, in the order written.
    fn shape(v: &serde_json::Value) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        let mut stack: Vec<&serde_json::Value> = vec![v];
        while let Some(c) = stack.pop() {
            let kids = c["controls"].as_array().cloned().unwrap_or_default();
            if let Some(id) = c["id"].as_str() {
                let ids = kids.iter().map(|k| k["id"].as_str().unwrap().to_string());
                out.push((id.to_string(), ids.collect()));
            }
            for k in c["controls"].as_array().into_iter().flatten().rev() {
                stack.push(k);
            }
        }
        out
    }

    #[test]
    fn children_nest_below_their_parents_and_cycles_are_cut_once() {
        let f = framework(&[
            ("A", None),
            ("A.1", Some("A")),
            ("B", Some("C")),
            ("C", Some("B")),
            ("D", Some("missing")),
            ("A.2", Some("A")),
        ]);
        let doc: serde_json::Value = serde_json::from_slice(&written(&f)).unwrap();
        let catalog = &doc["catalog"];
        assert_eq!(catalog["metadata"]["title"], "fw");
        assert_eq!(catalog["metadata"]["version"], "unversioned");
        let shape = shape(catalog);
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            shape,
            [
                ("a".into(), ids(&["a.1", "a.2"])),
                ("a.1".into(), vec![]),
                ("a.2".into(), vec![]),
                // The first of a cycle in catalog order goes to the top.
                ("b".into(), ids(&["c"])),
                ("c".into(), vec![]),
                ("d".into(), vec![]),
            ]
        );
        let a1 = &catalog["controls"][0]["controls"][0];
        assert_eq!(a1["title"], "A.1", "an empty title is the id");
        assert_eq!(a1["props"][0]["value"], "A.1");
        assert_eq!(a1["props"][1]["value"], "kind of");
        assert_eq!(a1["parts"][0]["prose"], "A note");
    }

    #[test]
    fn a_chain_of_any_depth_is_written_without_recursion() {
        let ids: Vec<String> = (0..50_000).map(|i| format!("R{i}")).collect();
        let parents: Vec<(&str, Option<&str>)> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i.checked_sub(1).map(|p| ids[p].as_str())))
            .collect();
        let bytes = written(&framework(&parents));
        let text = std::str::from_utf8(&bytes).unwrap();
        assert_eq!(text.matches("\"controls\":[").count(), 50_000);
        let depth = text.bytes().try_fold(0i64, |d, b| {
            let d = d + i64::from(b == b'{' || b == b'[') - i64::from(b == b'}' || b == b']');
            (d >= 0).then_some(d)
        });
        assert_eq!(depth, Some(0), "balanced");
        assert!(text.ends_with("]}]}]}}\n"), "{}", &text[text.len() - 20..]);
    }
}
