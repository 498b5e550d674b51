//! A long list for a template whose items are made as the template reads
//! them: report.html lists every asset and every warning, hundreds of
//! thousands of rows at scale, and a tree of template values per row would
//! take many times the memory of the compact rows kept here.

use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use serde::Serialize;
use std::fmt::Debug;
use std::sync::Arc;

/// Rows a template sees as a list of maps: each row becomes a template
/// value, by its serialization, when the template reads it, and is dropped
/// after.
#[derive(Debug)]
pub struct Rows<T>(pub Vec<T>);

impl<T: Serialize + Debug + Send + Sync + 'static> Rows<T> {
    /// The rows as a template value.
    pub fn value(rows: Vec<T>) -> Value {
        Value::from_object(Rows(rows))
    }
}

impl<T: Serialize + Debug + Send + Sync + 'static> Object for Rows<T> {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let row = self.0.get(key.as_usize()?)?;
        Some(Value::from_serialize(row))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Serialize)]
    struct Row {
        id: String,
        n: usize,
    }

    #[test]
    fn rows_read_as_the_list_of_maps_they_serialize_to() {
        let rows = || {
            vec![
                Row {
                    id: "a".into(),
                    n: 1,
                },
                Row {
                    id: "b".into(),
                    n: 2,
                },
            ]
        };
        let lazy = Rows::value(rows());
        let eager = Value::from_serialize(rows());
        let mut env = minijinja::Environment::new();
        let text = "{{ r | length }}{% for x in r %} {{ x.id }}={{ x.n }}{% endfor %}\
                    {% if r %} some{% endif %} {{ r[1].id }} {{ r | map(attribute='n') | sum }}";
        env.add_template("t", text).unwrap();
        let t = env.get_template("t").unwrap();
        let lazy_out = t.render(minijinja::context! { r => lazy.clone() }).unwrap();
        let eager_out = t
            .render(minijinja::context! { r => eager.clone() })
            .unwrap();
        assert_eq!(lazy_out, "2 a=1 b=2 some b 3");
        assert_eq!(lazy_out, eager_out);
        assert_eq!(
            super::super::budget::weight(&lazy),
            super::super::budget::weight(&eager)
        );
        let empty = Rows::value(Vec::<Row>::new());
        let t = env
            .template_from_str("{% if r %}some{% else %}none{% endif %}")
            .unwrap();
        assert_eq!(
            t.render(minijinja::context! { r => empty }).unwrap(),
            "none"
        );
    }
}
