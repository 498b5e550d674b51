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

#[test]
fn inline_tables_over_several_lines_are_left_alone() {
    // toml_edit cannot write such a table back as it was: the file is
    // refused whole rather than a comment lost.
    let text =
        "[[asset]]\nid = \"b\"\nowners = {\n  operator = \"o\",\n  accountable = \"t\", # who\n}\n";
    let err = format(text, false).unwrap_err();
    assert_eq!(err.message, super::canonical::UNKEPT);
    // On one line, with a comment after it, it is ordered.
    let one = "[[asset]]\nid = \"b\"\nowners = { operator = \"o\", accountable = \"t\" } # who\n";
    assert_eq!(
        fmt(one),
        "[[asset]]\nid = \"b\"\nowners = { accountable = \"t\", operator = \"o\" } # who\n"
    );
}

#[test]
fn line_ends_and_a_byte_order_mark_are_kept() {
    let crlf = "[[team]]\r\nname = 'N'\r\nid = \"t\"\r\n";
    assert_eq!(fmt(crlf), "[[team]]\r\nid = \"t\"\r\nname = \"N\"\r\n");
    let bom = "\u{feff}[[team]]\nname = \"N\"\nid = \"t\"\n";
    assert_eq!(fmt(bom), "\u{feff}[[team]]\nid = \"t\"\nname = \"N\"\n");
}

#[test]
fn strings_are_written_in_double_quotes_with_escapes() {
    let text = "[[team]]\nid = 't'\ncontact = 'C:\\x \"q\"'\nname = \"tab\\there\"\n";
    assert_eq!(
        fmt(text),
        "[[team]]\nid = \"t\"\nname = \"tab\\there\"\ncontact = \"C:\\\\x \\\"q\\\"\"\n"
    );
    let once = fmt(text);
    let a: toml::Table = toml::from_str(text).unwrap();
    let b: toml::Table = toml::from_str(&once).unwrap();
    assert_eq!(a, b);
}

#[test]
fn dotted_keys_are_ordered_within_their_table() {
    let text = "[[asset]]\nkind = \"agent\"\nowners.operator = \"o\"\nowners.accountable = \"t\"\nid = \"a\"\n";
    let once = fmt(text);
    assert_eq!(fmt(&once), once);
    let a: toml::Table = toml::from_str(text).unwrap();
    let b: toml::Table = toml::from_str(&once).unwrap();
    assert_eq!(a, b);
    assert!(
        once.find("id =").unwrap() < once.find("kind =").unwrap(),
        "{once}"
    );
    // Dotted keys of one table split by another key cannot be written back
    // as they were: the file is left alone.
    let split = "[[asset]]\nowners.operator = \"o\"\nid = \"a\"\nowners.accountable = \"t\"\n";
    assert!(format(split, false).is_err());
}
