//! Temporary stand-in until the extraction module lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format { Plain, Html, Docx, Odt, Xlsx, Ods }
impl Format {
    pub fn of(_mime: Option<&str>, name: &str) -> Option<Format> {
        name.ends_with(".txt").then_some(Format::Plain)
    }
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted { pub text: String, pub truncated: bool }
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);
pub fn extract(_format: Format, data: &[u8], _limit: usize) -> Result<Extracted, Refusal> {
    Ok(Extracted { text: String::from_utf8_lossy(data).into_owned(), truncated: false })
}
