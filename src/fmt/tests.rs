use super::canonical::{format, WIDTH};

fn fmt(text: &str) -> String {
    format(text, false).unwrap()
}

#[test]
fn keys_follow_the_field_table_and_comments_stay_with_them() {
    let text = r#"# Billing.

[[asset]]
kind="agent"   # what it is
# The id comes first.
id = 'billing-agent'
x-custom = 1
name =    "Billing"

[asset.owners]
operator = "ops"
accountable = "finance"
"#;
    assert_eq!(
        fmt(text),
        r#"# Billing.

[[asset]]
# The id comes first.
id = "billing-agent"
name = "Billing"
kind = "agent"   # what it is
x-custom = 1

[asset.owners]
accountable = "finance"
operator = "ops"
"#
    );
}

#[test]
fn arrays_take_one_line_when_they_fit_and_one_line_an_item_otherwise() {
    let short = "[[asset]]\nid = \"a\"\ntags = [\n  \"x\",\n  \"y\"\n]\n";
    assert_eq!(fmt(short), "[[asset]]\nid = \"a\"\ntags = [\"x\", \"y\"]\n");
    let items: Vec<String> = (0..12).map(|i| format!("\"tag-number-{i}\"")).collect();
    let long = format!("[[asset]]\nid = \"a\"\ntags = [{}]\n", items.join(","));
    let formatted = fmt(&long);
    let expected: String = items.iter().map(|i| format!("  {i},\n")).collect();
    assert_eq!(
        formatted,
        format!("[[asset]]\nid = \"a\"\ntags = [\n{expected}]\n")
    );
    assert!(formatted.lines().all(|l| l.len() <= WIDTH));
    // An array with a comment inside keeps its layout.
    let commented = "[[asset]]\nid = \"a\"\ntags = [\n  \"x\", # first\n  \"y\",\n]\n";
    assert_eq!(fmt(commented), commented);
}

#[test]
fn inline_tables_are_ordered_and_spaced() {
    let text = "[[control]]\nid = \"C\"\ntitle = \"t\"\nowner = \"o\"\napplies-to = {risk=[\"high\"],kinds=[\"agent\",\"mcp-server\"]}\nmaps-to = [{coverage=\"partial\",ref=\"f:R\"}, \"f:S\"]\n";
    assert_eq!(
        fmt(text),
        "[[control]]\nid = \"C\"\ntitle = \"t\"\nowner = \"o\"\napplies-to = { kinds = [\"agent\", \"mcp-server\"], risk = [\"high\"] }\nmaps-to = [{ ref = \"f:R\", coverage = \"partial\" }, \"f:S\"]\n"
    );
}

#[test]
fn formatting_is_idempotent_and_refuses_what_is_not_toml() {
    let text = "[[team]]\nname='N'\nid='t'\n[[team]]\nid = \"u\"\n";
    let once = fmt(text);
    assert_eq!(fmt(&once), once);
    let err = format("[[team]\nid = 1\n", false).unwrap_err();
    assert!(err.span.is_some(), "{err:?}");
}

#[test]
fn multi_line_strings_keep_their_lines() {
    let text = "[[asset]]\nid = \"a\"\ndescription = \"\"\"\nTwo\nlines\"\"\"\n";
    assert_eq!(fmt(text), text);
}

#[test]
fn catalogs_settings_and_crosswalks_use_their_own_tables() {
    let catalog =
        "[framework]\nname = \"N\"\nid = \"f\"\n[[requirement]]\ntitle = \"T\"\nid = \"R\"\n";
    assert_eq!(
        fmt(catalog),
        "[framework]\nid = \"f\"\nname = \"N\"\n[[requirement]]\nid = \"R\"\ntitle = \"T\"\n"
    );
    let crosswalk = "[crosswalk]\nto = \"b\"\nfrom = \"a\"\nid = \"x\"\n[[link]]\nrelation = \"equal\"\nto = [\"Y\"]\nfrom = \"X\"\n";
    assert_eq!(
        fmt(crosswalk),
        "[crosswalk]\nid = \"x\"\nfrom = \"a\"\nto = \"b\"\n[[link]]\nfrom = \"X\"\nto = [\"Y\"]\nrelation = \"equal\"\n"
    );
    let settings = "[policy]\napproval-ttl = \"15m\"\nframeworks = [\"a\"]\n";
    assert_eq!(
        format(settings, true).unwrap(),
        "[policy]\nframeworks = [\"a\"]\napproval-ttl = \"15m\"\n"
    );
}
