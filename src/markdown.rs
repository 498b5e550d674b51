//! Markdown text shared by the reports written for pull requests and
//! issues (drift, escalations, check).

/// Escapes `text` for one table cell: a `|` would end the cell and a line
/// break the row.
pub fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// Returns `text` as one inline code span, fenced by more backticks than
/// any run of them inside, so a path or id shows verbatim whatever it
/// holds. Line breaks become spaces, as a code span renders them; in a
/// table, pass the span through [`cell`] too.
pub fn code(text: &str) -> String {
    let text = text.replace(['\r', '\n'], " ");
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A span that starts or ends with a backtick (or a space) needs a space
    // inside the fence, which CommonMark strips again.
    let pad = if text.starts_with(['`', ' ']) || text.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::code;

    #[test]
    fn a_code_span_outlasts_the_backticks_it_holds() {
        assert_eq!(code("governance/a b.toml"), "`governance/a b.toml`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(code("a|b\nc"), "`a|b c`");
    }
}
