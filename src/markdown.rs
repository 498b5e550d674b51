//! Markdown text shared by the reports written for pull requests and
//! issues (drift, escalations).

/// Escapes `text` for one table cell: a `|` would end the cell and a line
/// break the row.
pub fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
