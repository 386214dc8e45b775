//! Documents made by real tools (see make_fixtures.py next to them) give the words people
//! would search for, and nothing they would not.

// A test that cannot set itself up should stop there.

use server::search::extract::{extract, Extracted, Format};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/search");

fn text_of(name: &str) -> String {
    let path = format!("{FIXTURES}/{name}");
    let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let format = Format::of(None, name).expect("a format with text");
    let done = extract(format, &data, 1 << 20).unwrap_or_else(|r| panic!("{name}: {}", r.0));
    assert!(!done.truncated, "{name} was cut");
    done.text
}

fn assert_has(text: &str, words: &[&str]) {
    for word in words {
        assert!(text.contains(word), "{word:?} missing from {text:?}");
    }
}

#[test]
fn docx_text_headers_and_tables() {
    let text = text_of("report.docx");
    assert_has(
        &text,
        &[
            "Annual results\n",
            "quarterly",
            "revenue grew sharply",
            "before tab\tafter tab\nnext line",
            "Island\tZanzibar\nMainland\tDodoma",
            "Confidential draft",
        ],
    );
}

#[test]
fn odt_paragraphs_spaces_and_tables() {
    let text = text_of("notes.odt");
    assert_has(
        &text,
        &[
            "Field notes\n",
            "lighthouse keeper",
            "wide    gaps\there",
            "Kilimanjaro\t5895",
        ],
    );
}

#[test]
fn xlsx_sheets_shared_strings_and_numbers() {
    let text = text_of("budget.xlsx");
    assert_has(
        &text,
        &[
            "Income\n",
            "City\tAmount\nMarrakesh\t1234.5",
            "Costs\n",
            "TRUE",
            "1241.5",
        ],
    );
    assert_eq!(text.matches("Recurring item").count(), 2, "{text:?}");
    assert!(!text.contains("B2+B3"), "formulas are not text: {text:?}");
    assert_has(&text_of("inline.xlsx"), &["Inline\n", "Reykjavik\t3.25"]);
}

#[test]
fn ods_cells_without_expanding_empty_repeats() {
    let text = text_of("plan.ods");
    assert_has(&text, &["Route\n", "Timbuktu", "42", "\nOuagadougou"]);
    assert!(text.len() < 100, "empty columns were expanded: {text:?}");
    assert!(!text.contains("Timbuktu42"), "{text:?}");
}

#[test]
fn html_shows_text_and_hides_code() {
    let text = text_of("page.html");
    assert_has(
        &text,
        &["Welcome page", "Hello world café & baré", "alpha", "beta"],
    );
    for hidden in ["secretcode", "secretstyle", "comment", "charset", "<"] {
        assert!(!text.contains(hidden), "{hidden:?} in {text:?}");
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    for pair in [
        ["first", "second"],
        ["cellone", "celltwo"],
        ["Front", "Hello"],
    ] {
        assert!(words.windows(2).any(|w| w == pair), "{pair:?} in {text:?}");
    }
}

#[test]
fn plain_text_in_legacy_encodings() {
    assert_has(
        &text_of("latin1.txt"),
        &[
            "Café crème brûlée à la carte, déjà vu",
            "soirée très réussie",
        ],
    );
    assert_has(
        &text_of("sjis.txt"),
        &["東京の天気は晴れです。明日も晴れるでしょう。"],
    );
    assert_eq!(text_of("utf16.txt"), "Grüße aus Köln\n");
    assert_has(&text_of("readme.md"), &["# Installation guide", "ocelot"]);
}

#[test]
fn text_is_cut_at_the_limit() {
    let data = std::fs::read(format!("{FIXTURES}/report.docx")).expect("fixture");
    let done = extract(Format::Docx, &data, 19).expect("text");
    assert_eq!(done.text, "Annual results\nThis");
    assert!(done.truncated);
    let done = extract(Format::Plain, "ab€cd".as_bytes(), 4).expect("text");
    assert_eq!(
        done,
        Extracted {
            text: "ab".into(),
            truncated: true
        }
    );
}
