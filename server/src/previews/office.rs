//! Office documents (Word, Excel, PowerPoint, OpenDocument, RTF) converted to PDF by
//! LibreOffice headless, in the sandbox: a fresh child and a fresh profile per document, whose
//! settings forbid macros and remote loads, at most a few conversions at a time. The PDF then
//! takes the PDF path (thumbnail, pages, text).

use std::path::{Path, PathBuf};

use super::{
    sandbox::{Limits, Sandbox},
    Refusal,
};

/// Extensions LibreOffice converts here.
pub const EXTENSIONS: &[&str] = &[
    "docx", "doc", "odt", "rtf", "xlsx", "xls", "ods", "pptx", "ppt", "odp",
];

/// The profile's settings: macros never run (not even signed ones), links to other documents
/// and remote resources are never followed or updated.
const REGISTRY: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>1</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Internal"><prop oor:name="SendCrashReport" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"#;

/// Whether a file name is an office document LibreOffice converts.
pub fn is_office(name: &str) -> bool {
    extension(name).is_some_and(|e| EXTENSIONS.contains(&e.as_str()))
}

fn extension(name: &str) -> Option<String> {
    name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())
}

/// Converts the document in `input` (its extension tells LibreOffice the format) to a PDF in
/// `work`, a directory of this conversion's own; returns the PDF's path.
pub async fn to_pdf(
    sandbox: &Sandbox,
    soffice: &Path,
    input: &Path,
    work: &Path,
    limits: Limits,
) -> Result<PathBuf, Refusal> {
    let failed = |e: std::io::Error| {
        tracing::warn!(error = %e, "a LibreOffice profile could not be written");
        Refusal("LibreOffice could not run".into())
    };
    let profile = work.join("profile");
    let user = profile.join("user");
    tokio::fs::create_dir_all(&user).await.map_err(failed)?;
    tokio::fs::write(user.join("registrymodifications.xcu"), REGISTRY)
        .await
        .map_err(failed)?;
    let out = work.join("out");
    tokio::fs::create_dir_all(&out).await.map_err(failed)?;
    let args = vec![
        "--headless".to_owned(),
        "--invisible".to_owned(),
        "--norestore".to_owned(),
        "--nologo".to_owned(),
        "--nodefault".to_owned(),
        "--nolockcheck".to_owned(),
        format!("-env:UserInstallation=file://{}", profile.display()),
        "--convert-to".to_owned(),
        "pdf".to_owned(),
        "--outdir".to_owned(),
        out.display().to_string(),
        input.display().to_string(),
    ];
    let output = sandbox
        .run("LibreOffice", soffice, &args, work, limits)
        .await?;
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let pdf = out.join(format!("{stem}.pdf"));
    match tokio::fs::metadata(&pdf).await {
        Ok(m) if m.len() > 0 => Ok(pdf),
        // LibreOffice ends well even when it could not load the document: it says so.
        _ if output.near_memory_limit(&limits) => Err(Refusal(format!(
            "LibreOffice needed more than {} MB of memory, the most allowed",
            limits.memory_bytes >> 20
        ))),
        _ => Err(Refusal(
            "LibreOffice could not convert this document (damaged, protected by a password, or not an office document)".into(),
        )),
    }
}
